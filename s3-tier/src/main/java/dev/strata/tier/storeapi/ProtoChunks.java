package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.labels.Xxh64;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

/**
 * Chunks on the StoreAPI: raw Prometheus chunk bytes, an encoding one below Prometheus's, and the
 * XXH64 of the bytes, which the querier uses to drop identical chunks from several stores.
 */
final class ProtoChunks {

  private ProtoChunks() {}

  /**
   * The StoreAPI chunk for Prometheus chunk bytes, which it refers to rather than copies: chunk
   * bytes handed out by a {@link dev.strata.tsdb.storage.ChunkIterator} are never written to
   * again, and copying every chunk once more was the largest allocation of a {@code Series} call.
   *
   * @throws IllegalArgumentException for an encoding the StoreAPI cannot carry as a raw chunk
   */
  static Chunk raw(byte prometheusEncoding, byte[] data) {
    return Chunk.newBuilder()
        .setType(toProto(prometheusEncoding))
        .setData(UnsafeByteOperations.unsafeWrap(data))
        .setHash(Xxh64.hash(data, 0, data.length))
        .build();
  }

  /**
   * The StoreAPI chunk for the Prometheus chunk {@code data[offset, offset + length)}, referring
   * to those bytes: the caller vouches that nothing writes to {@code data} again (a page of a
   * cached chunk file, see {@link dev.strata.tsdb.storage.ChunkIterator#sharedBytes()}).
   */
  static Chunk shared(byte prometheusEncoding, byte[] data, int offset, int length) {
    return Chunk.newBuilder()
        .setType(toProto(prometheusEncoding))
        .setData(UnsafeByteOperations.unsafeWrap(data, offset, length))
        .setHash(Xxh64.hash(data, offset, length))
        .build();
  }

  /** The StoreAPI chunk for the Prometheus chunk {@code data[offset, offset + length)}, copied. */
  static Chunk raw(byte prometheusEncoding, byte[] data, int offset, int length) {
    return Chunk.newBuilder()
        .setType(toProto(prometheusEncoding))
        .setData(ByteString.copyFrom(data, offset, length))
        .setHash(Xxh64.hash(data, offset, length))
        .build();
  }

  static Chunk.Encoding toProto(byte prometheusEncoding) {
    return switch (prometheusEncoding) {
      case ChunkEncoding.XOR -> Chunk.Encoding.XOR;
      case ChunkEncoding.HISTOGRAM -> Chunk.Encoding.HISTOGRAM;
      case ChunkEncoding.FLOAT_HISTOGRAM -> Chunk.Encoding.FLOAT_HISTOGRAM;
      default ->
          throw new IllegalArgumentException(
              "chunk encoding " + ChunkEncoding.name(prometheusEncoding)
                  + " cannot be sent as a raw StoreAPI chunk");
    };
  }

  /** Prometheus's encoding byte for a StoreAPI chunk type. */
  static byte toPrometheus(Chunk.Encoding encoding) {
    return switch (encoding) {
      case XOR -> ChunkEncoding.XOR;
      case HISTOGRAM -> ChunkEncoding.HISTOGRAM;
      case FLOAT_HISTOGRAM -> ChunkEncoding.FLOAT_HISTOGRAM;
      case UNRECOGNIZED -> throw new IllegalArgumentException("unrecognized chunk encoding");
    };
  }
}
