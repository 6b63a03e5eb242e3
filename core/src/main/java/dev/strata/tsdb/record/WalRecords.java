package dev.strata.tsdb.record;

import dev.strata.tsdb.encoding.ByteArraySource;
import dev.strata.tsdb.encoding.ByteCursor;
import dev.strata.tsdb.encoding.ByteSink;
import dev.strata.tsdb.encoding.CorruptDataException;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes write-ahead log records in Prometheus 2.42's layout.
 *
 * <ul>
 *   <li>series: type, then per series a big-endian 64-bit reference, a uvarint label count and
 *       uvarint-length-prefixed names and values, sorted by name;
 *   <li>samples: type, the first sample's reference and timestamp as big-endian 64-bit values,
 *       then per sample the reference and timestamp as signed varint deltas to the first sample and
 *       the value's 64 bits big-endian;
 *   <li>tombstones: type, then per deleted interval a big-endian 64-bit reference and the closed
 *       interval's ends as signed varints.
 * </ul>
 */
public final class WalRecords {
  private WalRecords() {}

  /** Receives decoded series. */
  @FunctionalInterface
  public interface SeriesConsumer {
    void accept(long ref, Labels labels);
  }

  /** Receives decoded tombstones. */
  @FunctionalInterface
  public interface TombstoneConsumer {
    void accept(long ref, long minTime, long maxTime);
  }

  /** Appends a series record for the {@code n} series in {@code refs}/{@code labels} to {@code out}. */
  public static void encodeSeries(ByteSink out, long[] refs, Labels[] labels, int n) {
    out.putByte(WalRecordType.SERIES);
    for (int i = 0; i < n; i++) {
      out.putBE64(refs[i]);
      Labels l = labels[i];
      out.putUvarint(l.size());
      for (int j = 0; j < l.size(); j++) {
        putString(out, l.name(j));
        putString(out, l.value(j));
      }
    }
  }

  private static void putString(ByteSink out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.putUvarintBytes(b, 0, b.length);
  }

  /** Appends a samples record for {@code batch} to {@code out}. */
  public static void encodeSamples(ByteSink out, SampleBatch batch) {
    out.putByte(WalRecordType.SAMPLES);
    int n = batch.size();
    if (n == 0) {
      return;
    }
    long firstRef = batch.ref(0);
    long firstTime = batch.time(0);
    out.putBE64(firstRef);
    out.putBE64(firstTime);
    for (int i = 0; i < n; i++) {
      out.putVarint(batch.ref(i) - firstRef);
      out.putVarint(batch.time(i) - firstTime);
      out.putBE64(batch.valueBits(i));
    }
  }

  /** Appends a tombstones record of {@code n} (reference, closed interval) triples to {@code out}. */
  public static void encodeTombstones(
      ByteSink out, long[] refs, long[] minTimes, long[] maxTimes, int n) {
    out.putByte(WalRecordType.TOMBSTONES);
    for (int i = 0; i < n; i++) {
      out.putBE64(refs[i]);
      out.putVarint(minTimes[i]);
      out.putVarint(maxTimes[i]);
    }
  }

  /**
   * Decodes the series record {@code rec[0, len)}; {@code where} names the log position for
   * errors.
   */
  public static void decodeSeries(byte[] rec, int len, String where, SeriesConsumer consumer) {
    ByteCursor c = cursor(rec, len, where, "series record", WalRecordType.SERIES);
    while (c.hasRemaining()) {
      long ref = c.readBE64();
      long count = c.readUvarint();
      if (count < 0 || count > c.remaining() / 2) {
        throw c.corrupt("series " + ref + " claims " + count + " labels");
      }
      String[] pairs = new String[2 * (int) count];
      for (int i = 0; i < pairs.length; i++) {
        pairs[i] = readString(c);
      }
      for (int i = 2; i < pairs.length; i += 2) {
        if (Utf8Order.compare(pairs[i - 2], pairs[i]) >= 0) {
          throw c.corrupt("series " + ref + " has labels out of order or duplicated: " + pairs[i]);
        }
      }
      for (int i = 1; i < pairs.length; i += 2) {
        if (pairs[i].isEmpty()) {
          throw c.corrupt("series " + ref + " has an empty value for " + pairs[i - 1]);
        }
      }
      consumer.accept(ref, Labels.fromSortedTrusted(pairs));
    }
  }

  private static String readString(ByteCursor c) {
    int n = c.readUvarintLength();
    byte[] b = new byte[n];
    c.readBytes(b, 0, n);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Decodes the samples record {@code rec[0, len)} into {@code out} (cleared first). */
  public static void decodeSamples(byte[] rec, int len, String where, SampleBatch out) {
    out.clear();
    ByteCursor c = cursor(rec, len, where, "samples record", WalRecordType.SAMPLES);
    if (!c.hasRemaining()) {
      return;
    }
    long firstRef = c.readBE64();
    long firstTime = c.readBE64();
    while (c.hasRemaining()) {
      long ref = firstRef + c.readVarint();
      long t = firstTime + c.readVarint();
      out.add(ref, t, c.readBE64());
    }
  }

  /** Decodes the tombstones record {@code rec[0, len)}. */
  public static void decodeTombstones(
      byte[] rec, int len, String where, TombstoneConsumer consumer) {
    ByteCursor c = cursor(rec, len, where, "tombstones record", WalRecordType.TOMBSTONES);
    while (c.hasRemaining()) {
      long ref = c.readBE64();
      long minTime = c.readVarint();
      long maxTime = c.readVarint();
      consumer.accept(ref, minTime, maxTime);
    }
  }

  private static ByteCursor cursor(byte[] rec, int len, String where, String section, int type) {
    if (len == 0 || (rec[0] & 0xFF) != type) {
      throw new CorruptDataException(
          where, section, 0,
          "expected a " + WalRecordType.name(type) + " record, found "
              + (len == 0 ? "an empty record" : WalRecordType.name(rec[0] & 0xFF)));
    }
    ByteCursor c = new ByteCursor(new ByteArraySource(rec, 0, len, where), section);
    c.skip(1);
    return c;
  }
}
