package dev.strata.tsdb.index;

import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.labels.Labels;
import java.util.Arrays;

/**
 * The body of a series entry: label refs, then chunk metas as deltas. The first chunk stores its
 * min time (signed), its duration and its ref; each later chunk its gap to the previous max time,
 * its duration and its ref's difference to the previous ref (signed). All differences are taken in
 * wrapping 64-bit arithmetic, so decoding restores any input bit for bit.
 */
final class SeriesCodec {
  private SeriesCodec() {}

  /** Encodes {@code labelCount} (name ref, value ref) pairs from {@code refs} and the chunks. */
  static void encode(ByteSink body, int[] refs, int labelCount, ChunkMetas chunks) {
    body.putUvarint(labelCount);
    for (int i = 0; i < labelCount << 1; i++) {
      body.putUvarint(Integer.toUnsignedLong(refs[i]));
    }
    int n = chunks.size();
    body.putUvarint(n);
    if (n == 0) {
      return;
    }
    long[] mins = chunks.minTimes();
    long[] maxs = chunks.maxTimes();
    long[] cr = chunks.refs();
    body.putVarint(mins[0]);
    body.putUvarint(maxs[0] - mins[0]);
    body.putUvarint(cr[0]);
    for (int i = 1; i < n; i++) {
      body.putUvarint(mins[i] - maxs[i - 1]);
      body.putUvarint(maxs[i] - mins[i]);
      body.putVarint(cr[i] - cr[i - 1]);
    }
  }

  /**
   * Decodes the body the cursor is ranged over; {@code entry} (the offset of the entry's length
   * field) is named in errors. Labels whose value is the empty string are dropped, as a label set
   * has no such labels; Prometheus never writes them.
   *
   * @param chunks filled with the chunk metas, or null to skip them
   */
  static Labels decode(
      ByteCursor c, long entry, SymbolTable symbols, Scratch s, ChunkMetas chunks) {
    long countAt = c.position();
    int k = c.readUvarintLength();
    // Each label takes at least two bytes, which bounds the allocation.
    if (k > c.remaining() / 2) {
      throw c.corruptAt(
          countAt,
          "series entry at offset " + entry + " claims " + k + " labels in "
              + c.remaining() + " bytes");
    }
    String[] pairs = k == 0 ? null : new String[k << 1];
    int kept = 0;
    long prevName = -1;
    int symbolCount = symbols.count();
    for (int i = 0; i < k; i++) {
      long at = c.position();
      long nameRef = Integer.toUnsignedLong(c.readUvarint32());
      long valueRef = Integer.toUnsignedLong(c.readUvarint32());
      if (nameRef >= symbolCount || valueRef >= symbolCount) {
        throw c.corruptAt(
            at,
            "label " + i + " of the series entry at offset " + entry + " refers to symbol "
                + Math.max(nameRef, valueRef) + " but the symbol table has " + symbolCount);
      }
      // Symbol refs follow string order, so ascending refs mean ascending names.
      if (nameRef <= prevName) {
        throw c.corruptAt(
            at,
            "label " + i + " of the series entry at offset " + entry
                + " does not sort after the previous label name");
      }
      prevName = nameRef;
      String value = symbols.lookup((int) valueRef, s);
      if (!value.isEmpty()) {
        pairs[kept++] = symbols.lookup((int) nameRef, s);
        pairs[kept++] = value;
      }
    }
    if (chunks != null) {
      decodeChunks(c, entry, chunks);
    }
    if (kept == 0) {
      return Labels.EMPTY;
    }
    if (kept < pairs.length) {
      pairs = Arrays.copyOf(pairs, kept);
    }
    return Labels.fromSortedTrusted(pairs);
  }

  /** Decodes the chunk metas that follow the labels. */
  static void decodeChunks(ByteCursor c, long entry, ChunkMetas chunks) {
    long countAt = c.position();
    int n = c.readUvarintLength();
    // Each chunk takes at least three bytes.
    if (n > c.remaining() / 3) {
      throw c.corruptAt(
          countAt,
          "series entry at offset " + entry + " claims " + n + " chunks in " + c.remaining()
              + " bytes");
    }
    chunks.resize(n);
    if (n == 0) {
      return;
    }
    long[] mins = chunks.minTimes();
    long[] maxs = chunks.maxTimes();
    long[] refs = chunks.refs();
    long t = c.readVarint();
    mins[0] = t;
    t += c.readUvarint();
    maxs[0] = t;
    long ref = c.readUvarint();
    refs[0] = ref;
    for (int i = 1; i < n; i++) {
      long min = t + c.readUvarint();
      t = min + c.readUvarint();
      ref += c.readVarint();
      mins[i] = min;
      maxs[i] = t;
      refs[i] = ref;
    }
  }
}
