package dev.strata.tsdb.chunkenc;

import dev.strata.tsdb.memory.SlabArena;

/**
 * A chunk buffer in a slot of a {@link SlabArena}: the head's chunks live off-heap this way. Growing
 * moves the bytes to a larger slot, so {@link #handle()} changes; owners read it after appending.
 */
public final class ArenaChunkBuffer extends ChunkBuffer {
  private final SlabArena arena;
  private long handle;

  /** A new buffer in a fresh slot of at least {@code initialCapacity} bytes. */
  public ArenaChunkBuffer(SlabArena arena, int initialCapacity) {
    this.arena = arena;
    this.handle = arena.allocate(Math.max(initialCapacity, 2 + WRITE_SLACK));
  }

  /** Takes ownership of an existing slot (for re-opening a chunk kept in the arena). */
  public ArenaChunkBuffer(SlabArena arena, long handle) {
    this.arena = arena;
    this.handle = handle;
  }

  /**
   * Points this buffer at a fresh slot of at least {@code initialCapacity} bytes, leaving the
   * previous slot to its owner: one buffer object can fill any number of slots.
   */
  public ArenaChunkBuffer allocate(int initialCapacity) {
    handle = arena.allocate(Math.max(initialCapacity, 2 + WRITE_SLACK));
    return this;
  }

  /** Points this buffer at an existing slot, leaving the previous slot to its owner. */
  public ArenaChunkBuffer attach(long handle) {
    this.handle = handle;
    return this;
  }

  /** The slot currently holding the bytes. */
  public long handle() {
    return handle;
  }

  public SlabArena arena() {
    return arena;
  }

  @Override
  public int capacity() {
    return arena.slotBytes(handle);
  }

  @Override
  void ensureCapacity(int minCapacity) {
    int capacity = capacity();
    if (minCapacity > capacity) {
      moveTo(arena.allocate(Math.min(grownCapacity(capacity, minCapacity), SlabArena.MAX_SLOT_BYTES)), capacity);
    }
  }

  /**
   * Moves the first {@code length} bytes into the smallest slot that holds them plus the write
   * slack: done once a chunk is complete, so that finished chunks waste little.
   */
  public void trimTo(int length) {
    int wanted = length + WRITE_SLACK;
    long trimmed = arena.allocate(wanted);
    if (arena.slotBytes(trimmed) < capacity()) {
      moveTo(trimmed, length);
    } else {
      arena.free(trimmed);
    }
  }

  private void moveTo(long newHandle, int bytesToCopy) {
    arena.copy(handle, newHandle, bytesToCopy);
    arena.free(handle);
    handle = newHandle;
  }

  /** Frees the slot. The buffer must not be used afterwards. */
  public void release() {
    arena.free(handle);
    handle = SlabArena.NO_HANDLE;
  }

  @Override
  void putLongBigEndian(int pos, long value) {
    arena.putLongBigEndian(handle, pos, value);
  }

  @Override
  void putShortBigEndian(int pos, short value) {
    arena.putShortBigEndian(handle, pos, value);
  }

  @Override
  public void read(int pos, byte[] dst, int dstOffset, int len) {
    arena.read(handle, pos, dst, dstOffset, len);
  }
}
