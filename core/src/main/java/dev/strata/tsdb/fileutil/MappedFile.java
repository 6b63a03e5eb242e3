package dev.strata.tsdb.fileutil;

import dev.strata.tsdb.encoding.ByteSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A whole file mapped read-only into memory, for block files (chunk segments, index) that are
 * immutable once written.
 *
 * <p><b>Mapping.</b> A {@link MappedByteBuffer} holds at most 2 GiB, and segment or index files
 * may be larger, so the file is mapped as consecutive regions of {@value #DEFAULT_REGION_BYTES}
 * bytes and reads that straddle a region boundary are split. The JDK's own mapping is used rather
 * than chronicle-bytes' {@code MappedFile}: the JDK's buffers bounds-check every access and need no
 * JVM flags, while chronicle unmaps from a background thread some time after {@code releaseLast()}
 * (the mapping outlived close in our check, so a deleted block would keep its disk space for a
 * while) and cannot map at all without {@code --add-opens=java.base/java.lang.reflect}. The file
 * descriptor is closed right after mapping, as a mapping does not need it, so any number of block
 * files can stay open without holding descriptors.
 *
 * <p><b>Closing.</b> {@link #close()} unmaps at once, through {@code
 * sun.misc.Unsafe.invokeCleaner} (module {@code jdk.unsupported}, usable without flags), so that
 * a deleted block frees its disk space immediately and, on Windows, can be deleted at all. Reading
 * unmapped memory would crash the JVM, so every read is bracketed by a count of reads in flight:
 * close marks the file closed, waits for the reads already running (they are bounded copies) and
 * only then unmaps; a read that starts after close fails with {@link IllegalStateException}. The
 * bracket costs two atomic operations per call, which is why decoders should copy ranges with
 * {@link #read} (as {@link dev.strata.tsdb.encoding.ByteCursor} does) rather than call the
 * single-value reads in tight loops. If the JDK ever stops offering {@code invokeCleaner}, close
 * leaves the mapping to the garbage collector ({@link #canUnmap()} tells).
 *
 * <p><b>Errors.</b> A read outside {@code [0, length())} throws {@link IndexOutOfBoundsException}
 * naming the file, the offset and the length. If another process truncates the file while it is
 * mapped, the JDK turns the resulting bus error into an {@link InternalError} rather than crashing;
 * the error may surface slightly after the faulting access, and when it surfaces inside a read,
 * the read rethrows it as an {@link UncheckedIOException} naming the file.
 *
 * <p>Thread-safe: any number of threads may read concurrently and close at any time.
 */
public final class MappedFile implements ByteSource, AutoCloseable {

  /** Region size: a power of two below the 2 GiB limit of a buffer. */
  public static final int DEFAULT_REGION_BYTES = 1 << 30;

  private static final int CLOSED = Integer.MIN_VALUE;
  private static final VarHandle STATE;
  private static final MethodHandle INVOKE_CLEANER = findInvokeCleaner();

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(MappedFile.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Path path;
  private final String description;
  private final long length;
  private final int regionShift;
  private final long regionMask;
  // Buffers are read with absolute accessors only, which never touch their position or limit,
  // so one buffer serves all threads.
  private final MappedByteBuffer[] regions;

  // Reads in flight in the low 31 bits; the sign bit is set once close() has begun.
  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

  private MappedFile(Path path, long length, int regionShift, MappedByteBuffer[] regions) {
    this.path = path;
    this.description = path.toString();
    this.length = length;
    this.regionShift = regionShift;
    this.regionMask = (1L << regionShift) - 1;
    this.regions = regions;
  }

  /** Maps the whole of the file at {@code path} read-only. */
  public static MappedFile open(Path path) throws IOException {
    return open(path, DEFAULT_REGION_BYTES);
  }

  /** As {@link #open(Path)} with a smaller region size, so tests can cross region boundaries. */
  static MappedFile open(Path path, int regionBytes) throws IOException {
    if (regionBytes <= 0 || Integer.bitCount(regionBytes) != 1) {
      throw new IllegalArgumentException("region size " + regionBytes + " is not a power of two");
    }
    int shift = Integer.numberOfTrailingZeros(regionBytes);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = channel.size();
      int count = (int) ((size + regionBytes - 1) >>> shift);
      MappedByteBuffer[] regions = new MappedByteBuffer[count];
      try {
        for (int i = 0; i < count; i++) {
          long from = (long) i << shift;
          regions[i] =
              channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(regionBytes, size - from));
        }
      } catch (IOException | RuntimeException e) {
        for (MappedByteBuffer region : regions) {
          unmap(region);
        }
        throw e;
      }
      return new MappedFile(path, size, shift, regions);
    }
  }

  /** Whether {@link #close()} unmaps at once on this JVM (otherwise the GC does it later). */
  public static boolean canUnmap() {
    return INVOKE_CLEANER != null;
  }

  public Path path() {
    return path;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public String description() {
    return description;
  }

  private void enter() {
    int s = (int) STATE.getAndAdd(this, 1);
    if (s < 0) {
      STATE.getAndAdd(this, -1);
      throw new IllegalStateException(description + " is closed");
    }
  }

  private void exit() {
    STATE.getAndAdd(this, -1);
  }

  private void checkRange(long position, long len) {
    if (position < 0 || len < 0 || position > length - len) {
      throw new IndexOutOfBoundsException(
          "read of " + len + " bytes at offset " + position + " is outside " + description
              + " (length " + length + ")");
    }
  }

  private RuntimeException faulted(long position, InternalError e) {
    return new UncheckedIOException(
        new IOException(
            "memory fault reading " + description + " at offset " + position
                + "; was the file truncated while mapped?",
            e));
  }

  @Override
  public void read(long position, byte[] dst, int dstOffset, int len) {
    checkRange(position, len);
    Objects.checkFromIndexSize(dstOffset, len, dst.length);
    enter();
    try {
      while (len > 0) {
        ByteBuffer region = regions[(int) (position >>> regionShift)];
        int at = (int) (position & regionMask);
        int n = Math.min(len, region.limit() - at);
        region.get(at, dst, dstOffset, n);
        position += n;
        dstOffset += n;
        len -= n;
      }
    } catch (InternalError e) {
      throw faulted(position, e);
    } finally {
      exit();
    }
  }

  public byte readByte(long position) {
    checkRange(position, 1);
    enter();
    try {
      return regions[(int) (position >>> regionShift)].get((int) (position & regionMask));
    } catch (InternalError e) {
      throw faulted(position, e);
    } finally {
      exit();
    }
  }

  public int readUnsignedByte(long position) {
    return readByte(position) & 0xFF;
  }

  /** Big-endian. */
  public short readShort(long position) {
    return (short) readBigEndian(position, Short.BYTES);
  }

  public int readUnsignedShort(long position) {
    return readShort(position) & 0xFFFF;
  }

  /** Big-endian. */
  public int readInt(long position) {
    return (int) readBigEndian(position, Integer.BYTES);
  }

  public long readUnsignedInt(long position) {
    return readInt(position) & 0xFFFF_FFFFL;
  }

  /** Big-endian. */
  public long readLong(long position) {
    return readBigEndian(position, Long.BYTES);
  }

  // MappedByteBuffers are big-endian by default, which is the byte order of every block format.
  private long readBigEndian(long position, int size) {
    checkRange(position, size);
    enter();
    try {
      int region = (int) (position >>> regionShift);
      int at = (int) (position & regionMask);
      ByteBuffer buf = regions[region];
      if (at <= buf.limit() - size) {
        return switch (size) {
          case Short.BYTES -> buf.getShort(at);
          case Integer.BYTES -> buf.getInt(at);
          default -> buf.getLong(at);
        };
      }
      long v = 0;
      for (int i = 0; i < size; i++) {
        long p = position + i;
        v = (v << 8) | (regions[(int) (p >>> regionShift)].get((int) (p & regionMask)) & 0xFF);
      }
      return v;
    } catch (InternalError e) {
      throw faulted(position, e);
    } finally {
      exit();
    }
  }

  /**
   * CRC32-Castagnoli of {@code [position, position + len)}, computed on the mapping without
   * copying (the JDK uses the CPU's CRC32C instructions on direct buffers). Allocates a checksum
   * and a buffer view per call, which costs less than copying all but the smallest ranges.
   */
  public int crc32c(long position, long len) {
    checkRange(position, len);
    CRC32C crc = new CRC32C();
    enter();
    try {
      while (len > 0) {
        ByteBuffer region = regions[(int) (position >>> regionShift)];
        int at = (int) (position & regionMask);
        int n = (int) Math.min(len, region.limit() - at);
        crc.update(region.slice(at, n));
        position += n;
        len -= n;
      }
    } catch (InternalError e) {
      throw faulted(position, e);
    } finally {
      exit();
    }
    return (int) crc.getValue();
  }

  /** Whether {@link #close()} has been called. */
  public boolean isClosed() {
    return (int) STATE.getVolatile(this) < 0;
  }

  /**
   * Unmaps the file once the reads in flight have finished; later reads throw {@link
   * IllegalStateException}. Idempotent.
   */
  @Override
  public void close() {
    int s;
    do {
      s = (int) STATE.getVolatile(this);
      if (s < 0) {
        return;
      }
    } while (!STATE.compareAndSet(this, s, s | CLOSED));
    // Reads are bounded copies, so the wait is short; back off politely in case a reader thread
    // has been descheduled in the middle of one.
    for (int spins = 0; ((int) STATE.getVolatile(this) & ~CLOSED) != 0; spins++) {
      if (spins < 100) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    for (int i = 0; i < regions.length; i++) {
      unmap(regions[i]);
      regions[i] = null;
    }
  }

  private static void unmap(MappedByteBuffer buffer) {
    if (buffer == null || INVOKE_CLEANER == null) {
      return;
    }
    try {
      INVOKE_CLEANER.invokeExact((ByteBuffer) buffer);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("unmapping failed", e);
    }
  }

  // sun.misc.Unsafe lives in jdk.unsupported, which opens its package, so reflection needs no flag.
  private static MethodHandle findInvokeCleaner() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
      theUnsafe.setAccessible(true);
      Object unsafe = theUnsafe.get(null);
      return MethodHandles.lookup()
          .findVirtual(unsafeClass, "invokeCleaner", MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(unsafe);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return description;
  }
}
