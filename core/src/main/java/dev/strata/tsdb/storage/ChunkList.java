package dev.strata.tsdb.storage;

/**
 * A series' chunks held as a list (received from a remote store, say): readable sample by sample
 * through {@link ChunkListSamples}, and chunk by chunk through {@link #iterator()}.
 */
public interface ChunkList extends ChunkListSamples.Chunks {

  /** Prometheus's encoding byte of chunk {@code i}. */
  byte encoding(int i);

  /** The bytes of chunk {@code i}, the caller's to keep. */
  byte[] bytes(int i);

  /** The chunks in list order. */
  default ChunkIterator iterator() {
    return new ChunkIterator() {
      private int i = -1;

      @Override
      public boolean next() {
        return ++i < size();
      }

      @Override
      public long minTime() {
        return ChunkList.this.minTime(i);
      }

      @Override
      public long maxTime() {
        return ChunkList.this.maxTime(i);
      }

      @Override
      public byte encoding() {
        return ChunkList.this.encoding(i);
      }

      @Override
      public byte[] bytes() {
        return ChunkList.this.bytes(i);
      }

      @Override
      public SampleIterator samples() {
        return decode(i);
      }
    };
  }
}
