package dev.strata.tsdb;

import dev.strata.tsdb.block.Block;
import dev.strata.tsdb.index.ChunkMetas;
import dev.strata.tsdb.index.Postings;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.tombstones.TombstoneSet;
import java.io.IOException;

/** Adds deleted intervals to a block's tombstones. */
final class TombstoneDeletion {
  private TombstoneDeletion() {}

  static void deleteInBlock(Block block, long mint, long maxt, LabelMatcher... matchers)
      throws IOException {
    block.acquire();
    try {
      Postings refs = block.index().postingsForMatchers(matchers);
      TombstoneSet.Builder updated = block.tombstones().toBuilder();
      ChunkMetas chunks = new ChunkMetas();
      boolean any = false;
      while (refs.next()) {
        chunks.clear();
        block.index().series(refs.at(), chunks);
        // As Prometheus: only series with data in the interval, clamped to their data.
        for (int i = 0; i < chunks.size(); i++) {
          if (chunks.minTime(i) <= maxt && chunks.maxTime(i) >= mint) {
            long from = Math.max(mint, chunks.minTime(0));
            long to = Math.min(maxt, chunks.maxTime(chunks.size() - 1));
            updated.add(refs.at(), from, to);
            any = true;
            break;
          }
        }
      }
      if (any) {
        block.setTombstones(updated.build());
      }
    } finally {
      block.release();
    }
  }
}
