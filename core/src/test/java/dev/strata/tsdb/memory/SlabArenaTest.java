package dev.strata.tsdb.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SlabArenaTest {

  @Test
  void slotSizesGrowInQuartersAndCoverTheRequest() {
    for (int request = 1; request <= SlabArena.MAX_SLOT_BYTES; request += 1 + request / 7) {
      try (SlabArena arena = new SlabArena()) {
        long h = arena.allocate(request);
        int slot = arena.slotBytes(h);
        assertTrue(slot >= request, "slot " + slot + " for " + request);
        assertTrue(slot <= Math.max(16, request * 1.25 + 8), "slot " + slot + " for " + request);
      }
    }
  }

  @Test
  void writesAndReadsBigEndianWithinASlot() {
    try (SlabArena arena = new SlabArena()) {
      long h = arena.allocate(24);
      arena.putLongBigEndian(h, 0, 0x0102030405060708L);
      arena.putShortBigEndian(h, 8, (short) 0x0a0b);
      byte[] out = new byte[10];
      arena.read(h, 0, out, 0, 10);
      assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 10, 11}, out);
      assertEquals((short) 0x0a0b, arena.getShortBigEndian(h, 8));
    }
  }

  @Test
  void accessOutsideTheSlotFailsInsteadOfTouchingNeighbours() {
    try (SlabArena arena = new SlabArena()) {
      long h = arena.allocate(16);
      int slot = arena.slotBytes(h);
      assertThrows(IndexOutOfBoundsException.class, () -> arena.putLongBigEndian(h, slot - 7, 1));
      assertThrows(IndexOutOfBoundsException.class, () -> arena.read(h, -1, new byte[4], 0, 4));
      assertThrows(IndexOutOfBoundsException.class, () -> arena.write(h, 0, new byte[slot + 1], 0, slot + 1));
    }
  }

  @Test
  void freedSlotsAreReusedBeforeTheSlabGrows() {
    try (SlabArena arena = new SlabArena()) {
      long a = arena.allocate(100);
      arena.free(a);
      long b = arena.allocate(100);
      assertEquals(a, b);
      assertEquals(1, arena.liveSlots());
      assertEquals(arena.slotBytes(b), arena.allocatedBytes());
    }
  }

  @Test
  void manySlotsSpreadOverSlabsAndNeverOverlap() {
    try (SlabArena arena = new SlabArena(SlabArena.MAX_SLOT_BYTES)) {
      Random rnd = new Random(42);
      List<long[]> live = new ArrayList<>(); // handle, fill byte
      for (int i = 0; i < 20_000; i++) {
        if (!live.isEmpty() && rnd.nextInt(3) == 0) {
          long[] victim = live.remove(rnd.nextInt(live.size()));
          check(arena, victim);
          arena.free(victim[0]);
          continue;
        }
        int size = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 20_000 : 300);
        long h = arena.allocate(size);
        byte fill = (byte) rnd.nextInt();
        byte[] content = new byte[arena.slotBytes(h)];
        java.util.Arrays.fill(content, fill);
        arena.write(h, 0, content, 0, content.length);
        live.add(new long[] {h, fill});
      }
      Set<Long> handles = new HashSet<>();
      for (long[] slot : live) {
        check(arena, slot);
        assertTrue(handles.add(slot[0]));
      }
      assertEquals(live.size(), arena.liveSlots());
      assertTrue(arena.reservedBytes() > SlabArena.MAX_SLOT_BYTES, "used several slabs");
    }
  }

  private static void check(SlabArena arena, long[] slot) {
    byte[] content = new byte[arena.slotBytes(slot[0])];
    arena.read(slot[0], 0, content, 0, content.length);
    for (byte b : content) {
      assertEquals((byte) slot[1], b, "slot content overwritten by a neighbour");
    }
  }

  @Test
  void closeReleasesEverythingAndLaterUseFails() {
    SlabArena arena = new SlabArena();
    long h = arena.allocate(64);
    assertNotEquals(0, arena.reservedBytes());
    arena.close();
    assertEquals(0, arena.reservedBytes());
    assertEquals(0, arena.liveSlots());
    assertThrows(IllegalStateException.class, () -> arena.allocate(8));
    assertThrows(RuntimeException.class, () -> arena.putLongBigEndian(h, 0, 1));
    arena.close(); // idempotent
  }

  @Test
  void rejectsImpossibleRequests() {
    try (SlabArena arena = new SlabArena()) {
      assertThrows(IllegalArgumentException.class, () -> arena.allocate(0));
      assertThrows(IllegalArgumentException.class, () -> arena.allocate(SlabArena.MAX_SLOT_BYTES + 1));
      assertThrows(IllegalArgumentException.class, () -> arena.free(0x7fff_0000_0000_0000L));
    }
    assertThrows(IllegalArgumentException.class, () -> new SlabArena(1024));
  }

  @Property(tries = 100)
  void copyMovesExactlyTheRequestedBytes(
      @ForAll @Size(max = 2000) byte[] content, @ForAll @IntRange(min = 0, max = 3000) int extra) {
    try (SlabArena arena = new SlabArena()) {
      long from = arena.allocate(Math.max(1, content.length));
      arena.write(from, 0, content, 0, content.length);
      long to = arena.allocate(Math.max(1, content.length + extra));
      arena.copy(from, to, content.length);
      byte[] out = new byte[content.length];
      arena.read(to, 0, out, 0, out.length);
      assertArrayEquals(content, out);
    }
  }
}
