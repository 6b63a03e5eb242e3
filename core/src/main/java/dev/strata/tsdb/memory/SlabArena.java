package dev.strata.tsdb.memory;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.UnsafeMemory;

/**
 * Off-heap memory for many small objects of varying size (chunk bytes), carved out of large slabs.
 *
 * <p>Each slab is one chronicle-bytes native store of {@link #slabBytes()} bytes, so the JVM sees a
 * handful of native allocations however many objects live here. Objects are addressed by a
 * primitive {@code long} handle, never by a Java object:
 *
 * <pre>
 *   bits 63..40  slab index      (24 bits)
 *   bits 39..32  size class      (8 bits)
 *   bits 31..0   offset in slab  (32 bits)
 * </pre>
 *
 * <p>Slots come in size classes four to a doubling (16, 20, 24, 28, 32, 40, ... bytes rounded up to
 * 8), so at most a fifth of a slot is unused. Freed slots go to a per-class free list and are reused
 * before the slab tail grows; memory goes back to the operating system only on {@link #close()},
 * which releases every slab at once.
 *
 * <p>Thread-safety: {@link #allocate} and {@link #free} are synchronized. Reads and writes through a
 * handle are not: the owner of a slot must publish it to other threads safely, as with any mutable
 * memory. Every access is bounds-checked against the slot, so a stale or foreign handle fails with
 * an exception instead of touching memory outside the arena.
 */
public final class SlabArena implements AutoCloseable {

  /** A handle value that refers to no slot. */
  public static final long NO_HANDLE = -1L;

  /** Default slab size: large enough that slab count stays small, small enough for tests. */
  public static final int DEFAULT_SLAB_BYTES = 4 << 20;

  /** The largest slot; a slab must be at least this big. */
  public static final int MAX_SLOT_BYTES = 2 << 20;

  private static final int MIN_SLOT_BYTES = 16;
  private static final int[] SLOT_SIZES = slotSizes();
  private static final int MAX_SLABS = 1 << 24;
  private static final UnsafeMemory MEMORY = UnsafeMemory.MEMORY;
  private static final boolean NATIVE_IS_BIG_ENDIAN =
      ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

  private final int slabBytes;

  // Readers index this array without locking; it is replaced, never mutated in place, when it
  // grows, and emptied on close so that a late access fails on the bounds check.
  private volatile BytesStore<?, ?>[] slabs = new BytesStore<?, ?>[0];
  // Base addresses of the slabs, for the hot accessors: a bounds-checked slot offset plus the
  // base goes straight to memory, without a store's own checks on every access.
  private volatile long[] slabAddresses = new long[0];
  private int slabCount;
  private int tailOffset; // bump pointer into the last slab

  private final long[][] freeSlots = new long[SLOT_SIZES.length][];
  private final int[] freeCounts = new int[SLOT_SIZES.length];

  private long allocatedBytes;
  private long liveSlots;
  private boolean closed;

  public SlabArena() {
    this(DEFAULT_SLAB_BYTES);
  }

  public SlabArena(int slabBytes) {
    if (slabBytes < MAX_SLOT_BYTES) {
      throw new IllegalArgumentException(
          "slab size " + slabBytes + " is smaller than the largest slot " + MAX_SLOT_BYTES);
    }
    this.slabBytes = slabBytes;
    for (int i = 0; i < freeSlots.length; i++) {
      freeSlots[i] = new long[16];
    }
  }

  private static int[] slotSizes() {
    int[] sizes = new int[128];
    int n = 0;
    for (int base = MIN_SLOT_BYTES; base <= MAX_SLOT_BYTES; base <<= 1) {
      for (int quarter = 0; quarter < 4; quarter++) {
        int size = (base + base * quarter / 4 + 7) & ~7;
        if (size > MAX_SLOT_BYTES) {
          break;
        }
        sizes[n++] = size;
      }
    }
    return Arrays.copyOf(sizes, n);
  }

  /** The size class whose slots hold at least {@code bytes} bytes. */
  static int sizeClassFor(int bytes) {
    int i = Arrays.binarySearch(SLOT_SIZES, bytes);
    return i >= 0 ? i : -i - 1;
  }

  /** Bytes per slab. */
  public int slabBytes() {
    return slabBytes;
  }

  /**
   * Allocates a slot of at least {@code minBytes} bytes. Its content is unspecified (callers write
   * before they read).
   *
   * @throws IllegalArgumentException if {@code minBytes} is not in {@code [1, MAX_SLOT_BYTES]}
   * @throws IllegalStateException if the arena is closed
   */
  public synchronized long allocate(int minBytes) {
    if (minBytes <= 0 || minBytes > MAX_SLOT_BYTES) {
      throw new IllegalArgumentException(
          "slot size " + minBytes + " out of range [1, " + MAX_SLOT_BYTES + "]");
    }
    ensureOpen();
    int sizeClass = sizeClassFor(minBytes);
    int size = SLOT_SIZES[sizeClass];
    long handle;
    if (freeCounts[sizeClass] > 0) {
      handle = freeSlots[sizeClass][--freeCounts[sizeClass]];
    } else {
      if (slabCount == 0 || tailOffset + size > slabBytes) {
        recycleTail();
        addSlab();
      }
      handle = handle(slabCount - 1, sizeClass, tailOffset);
      tailOffset += size;
    }
    allocatedBytes += size;
    liveSlots++;
    return handle;
  }

  /** Returns a slot to its free list. Freeing {@link #NO_HANDLE} does nothing. */
  public synchronized void free(long handle) {
    if (handle == NO_HANDLE || closed) {
      return;
    }
    int sizeClass = sizeClass(handle);
    checkHandle(handle);
    pushFree(sizeClass, handle);
    allocatedBytes -= SLOT_SIZES[sizeClass];
    liveSlots--;
  }

  private void pushFree(int sizeClass, long handle) {
    long[] stack = freeSlots[sizeClass];
    if (freeCounts[sizeClass] == stack.length) {
      stack = freeSlots[sizeClass] = Arrays.copyOf(stack, stack.length * 2);
    }
    stack[freeCounts[sizeClass]++] = handle;
  }

  // The unused tail of a full slab is cut into the largest slots that fit, so it is not lost.
  private void recycleTail() {
    if (slabCount == 0) {
      return;
    }
    int remaining = slabBytes - tailOffset;
    int sizeClass = SLOT_SIZES.length - 1;
    while (remaining >= MIN_SLOT_BYTES) {
      while (SLOT_SIZES[sizeClass] > remaining) {
        sizeClass--;
      }
      pushFree(sizeClass, handle(slabCount - 1, sizeClass, tailOffset));
      tailOffset += SLOT_SIZES[sizeClass];
      remaining -= SLOT_SIZES[sizeClass];
    }
  }

  private void addSlab() {
    if (slabCount == MAX_SLABS) {
      throw new IllegalStateException("arena is full: " + MAX_SLABS + " slabs");
    }
    BytesStore<?, ?> store = BytesStore.nativeStoreWithFixedCapacity(slabBytes);
    BytesStore<?, ?>[] grown = Arrays.copyOf(slabs, slabCount + 1);
    long[] addresses = Arrays.copyOf(slabAddresses, slabCount + 1);
    grown[slabCount] = store;
    addresses[slabCount] = store.addressForRead(0);
    slabCount++;
    slabs = grown;
    slabAddresses = addresses;
    tailOffset = 0;
  }

  private static long handle(int slab, int sizeClass, int offset) {
    return ((long) slab << 40) | ((long) sizeClass << 32) | (offset & 0xFFFF_FFFFL);
  }

  private static int sizeClass(long handle) {
    return (int) (handle >>> 32) & 0xFF;
  }

  private void checkHandle(long handle) {
    int slab = (int) (handle >>> 40);
    int sizeClass = sizeClass(handle);
    int offset = (int) handle;
    if (slab >= slabCount
        || sizeClass >= SLOT_SIZES.length
        || offset < 0
        || offset > slabBytes - SLOT_SIZES[sizeClass]) {
      throw new IllegalArgumentException("not a handle of this arena: 0x" + Long.toHexString(handle));
    }
  }

  /** Usable bytes of the slot behind {@code handle}. */
  public int slotBytes(long handle) {
    return SLOT_SIZES[sizeClass(handle)];
  }

  private BytesStore<?, ?> store(long handle) {
    return slabs[(int) (handle >>> 40)];
  }

  private static long offset(long handle, int pos, int len, int slotBytes) {
    Objects.checkFromIndexSize(pos, len, slotBytes);
    return (handle & 0xFFFF_FFFFL) + pos;
  }

  // Address of byte pos of the slot, after checking that [pos, pos + len) lies inside it.
  private long address(long handle, int pos, int len) {
    Objects.checkFromIndexSize(pos, len, SLOT_SIZES[sizeClass(handle)]);
    return slabAddresses[(int) (handle >>> 40)] + (handle & 0xFFFF_FFFFL) + pos;
  }

  /** Writes {@code value} as 8 big-endian bytes at {@code pos} within the slot. */
  public void putLongBigEndian(long handle, int pos, long value) {
    MEMORY.writeLong(
        address(handle, pos, Long.BYTES), NATIVE_IS_BIG_ENDIAN ? value : Long.reverseBytes(value));
  }

  /** Writes {@code value} as 2 big-endian bytes at {@code pos} within the slot. */
  public void putShortBigEndian(long handle, int pos, short value) {
    MEMORY.writeShort(
        address(handle, pos, Short.BYTES),
        NATIVE_IS_BIG_ENDIAN ? value : Short.reverseBytes(value));
  }

  /** Reads 2 big-endian bytes at {@code pos} within the slot. */
  public short getShortBigEndian(long handle, int pos) {
    short v = MEMORY.readShort(address(handle, pos, Short.BYTES));
    return NATIVE_IS_BIG_ENDIAN ? v : Short.reverseBytes(v);
  }

  /** Copies {@code len} bytes of the slot starting at {@code pos} into {@code dst}. */
  public void read(long handle, int pos, byte[] dst, int dstOffset, int len) {
    Objects.checkFromIndexSize(dstOffset, len, dst.length);
    long at = offset(handle, pos, len, slotBytes(handle));
    store(handle).read(at, dst, dstOffset, len);
  }

  /** Copies {@code len} bytes from {@code src} into the slot starting at {@code pos}. */
  public void write(long handle, int pos, byte[] src, int srcOffset, int len) {
    Objects.checkFromIndexSize(srcOffset, len, src.length);
    long at = offset(handle, pos, len, slotBytes(handle));
    store(handle).write(at, src, srcOffset, len);
  }

  /** Copies the first {@code len} bytes of one slot to the start of another. */
  public void copy(long fromHandle, long toHandle, int len) {
    long from = offset(fromHandle, 0, len, slotBytes(fromHandle));
    long to = offset(toHandle, 0, len, slotBytes(toHandle));
    store(toHandle).write(to, store(fromHandle), from, len);
  }

  /** Native memory held by this arena: slab count times slab size. */
  public synchronized long reservedBytes() {
    return (long) slabCount * slabBytes;
  }

  /** Bytes in live slots (slot sizes, not requested sizes). */
  public synchronized long allocatedBytes() {
    return allocatedBytes;
  }

  /** Number of slots allocated and not freed. */
  public synchronized long liveSlots() {
    return liveSlots;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("arena is closed");
    }
  }

  /** Releases every slab. Handles become invalid; using one afterwards throws. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    BytesStore<?, ?>[] toRelease = slabs;
    slabs = new BytesStore<?, ?>[0];
    slabAddresses = new long[0];
    for (int i = 0; i < slabCount; i++) {
      toRelease[i].releaseLast();
    }
    slabCount = 0;
    allocatedBytes = 0;
    liveSlots = 0;
  }
}
