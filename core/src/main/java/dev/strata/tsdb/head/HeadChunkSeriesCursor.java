package dev.strata.tsdb.head;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkSeriesCursor;
import dev.strata.tsdb.tombstones.Intervals;
import dev.strata.tsdb.tombstones.TombstoneSet;

/**
 * Head series in the order of the given refs, each snapshot under its lock when the cursor reaches
 * it.
 */
final class HeadChunkSeriesCursor implements ChunkSeriesCursor {
  private final HeadReader reader;
  private final long[] refs;
  private final long mint;
  private final long maxt;
  private final TombstoneSet tombstones;
  private final SeriesSnapshot snapshot = new SeriesSnapshot();
  private int position = -1;

  HeadChunkSeriesCursor(
      HeadReader reader, long[] refs, long mint, long maxt, TombstoneSet tombstones) {
    this.reader = reader;
    this.refs = refs;
    this.mint = mint;
    this.maxt = maxt;
    this.tombstones = tombstones;
  }

  @Override
  public boolean next() {
    while (++position < refs.length) {
      if (reader.series(refs[position], mint, maxt, snapshot) && snapshot.chunkCount() > 0) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Labels labels() {
    return snapshot.labels();
  }

  @Override
  public int chunkCount() {
    return snapshot.chunkCount();
  }

  @Override
  public long chunkMinTime(int i) {
    return snapshot.minTime(i);
  }

  @Override
  public long chunkMaxTime(int i) {
    return snapshot.maxTime(i);
  }

  @Override
  public byte chunkEncoding(int i) {
    return ChunkEncoding.XOR;
  }

  @Override
  public int chunkLength(int i) {
    return snapshot.length(i);
  }

  @Override
  public int chunkVisibleSamples(int i) {
    return snapshot.visibleSamples(i);
  }

  @Override
  public void readChunk(int i, byte[] dst) {
    reader.read(snapshot, i, dst);
  }

  @Override
  public void decode(int i, XorChunkIterator it) {
    reader.reset(it, snapshot, i);
  }

  @Override
  public Intervals deleted() {
    return tombstones.get(snapshot.ref());
  }
}
