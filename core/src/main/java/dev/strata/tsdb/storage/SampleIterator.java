package dev.strata.tsdb.storage;

import dev.strata.tsdb.chunkenc.XorChunkIterator;

/** Samples of one series in time order, with primitive accessors. */
public interface SampleIterator {
  /** Advances to the next sample; false at the end. */
  boolean next();

  /**
   * Advances to the first sample at or after {@code t}, staying put if the current sample
   * qualifies; false if there is none.
   */
  boolean seek(long t);

  /** Timestamp of the current sample (milliseconds). */
  long t();

  /** Value of the current sample. */
  double v();

  /** The samples of one XOR chunk, as {@code it} decodes them. */
  static SampleIterator of(XorChunkIterator it) {
    return new SampleIterator() {
      @Override
      public boolean next() {
        return it.next();
      }

      @Override
      public boolean seek(long t) {
        return it.seek(t);
      }

      @Override
      public long t() {
        return it.atT();
      }

      @Override
      public double v() {
        return it.atV();
      }
    };
  }

  /** An iterator with no samples. */
  SampleIterator EMPTY =
      new SampleIterator() {
        @Override
        public boolean next() {
          return false;
        }

        @Override
        public boolean seek(long t) {
          return false;
        }

        @Override
        public long t() {
          throw new IllegalStateException("no sample");
        }

        @Override
        public double v() {
          throw new IllegalStateException("no sample");
        }
      };
}
