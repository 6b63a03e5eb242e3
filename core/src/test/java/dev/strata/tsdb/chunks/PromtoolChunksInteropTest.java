package dev.strata.tsdb.chunks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.HeapChunkBuffer;
import dev.strata.tsdb.chunkenc.XorChunkAppender;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds blocks with the real {@code promtool tsdb create-blocks-from openmetrics} and checks that
 * Strata reads their chunk segments, decodes them to exactly the input samples, re-encodes every
 * chunk to the same bytes, and writes the same segment file from the same chunks.
 */
@Interop
class PromtoolChunksInteropTest {

  private static final long BLOCK_MS = 2 * 3600 * 1000L;
  // What Go's strconv.ParseFloat returns for "NaN" (math.NaN()); Java's parser gives another NaN.
  private static final long GO_NAN_BITS = 0x7FF8000000000001L;

  @TempDir Path tmp;

  /** A series as promtool will see it: sorted label pairs and its samples in time order. */
  static final class Series {
    final String metric;
    final String[] labels; // name, value, name, value... as written, unsorted
    final String[] sorted; // name, value... sorted by name, __name__ included
    final List<Long> times = new ArrayList<>();
    final List<Long> bits = new ArrayList<>();
    final StringBuilder text = new StringBuilder();

    Series(String metric, String... labels) {
      this.metric = metric;
      this.labels = labels;
      List<String[]> pairs = new ArrayList<>();
      pairs.add(new String[] {"__name__", metric});
      for (int i = 0; i < labels.length; i += 2) {
        pairs.add(new String[] {labels[i], labels[i + 1]});
      }
      pairs.sort((a, b) -> compareBytes(a[0], b[0]));
      sorted = pairs.stream().flatMap(Arrays::stream).toArray(String[]::new);
    }

    /**
     * Appends a sample at about {@code targetMs}, spelled in one of several ways. The timestamp
     * promtool will store is whatever Go makes of the spelling, int64(seconds * 1000), which is
     * not always the target; samples that would not be strictly after the previous one are left
     * out.
     */
    void add(long targetMs, double value, Random random) {
      String ts = spellSeconds(targetMs, random);
      long parsed = (long) (Double.parseDouble(ts) * 1000.0);
      if (!times.isEmpty() && parsed <= times.get(times.size() - 1)) {
        return;
      }
      times.add(parsed);
      bits.add(Double.isNaN(value) ? GO_NAN_BITS : Double.doubleToRawLongBits(value));
      text.append(metric);
      if (labels.length > 0) {
        text.append('{');
        for (int i = 0; i < labels.length; i += 2) {
          text.append(i == 0 ? "" : ",").append(labels[i]).append("=\"")
              .append(escape(labels[i + 1])).append('"');
        }
        text.append('}');
      }
      text.append(' ').append(spellValue(value)).append(' ').append(ts).append('\n');
    }

    long lastTime() {
      return times.isEmpty() ? Long.MIN_VALUE : times.get(times.size() - 1);
    }
  }

  private static String spellSeconds(long ms, Random random) {
    long s = ms / 1000;
    int frac = (int) (ms % 1000);
    return switch (random.nextInt(5)) {
      case 0 -> frac == 0 ? Long.toString(s) : String.format("%d.%03d", s, frac);
      case 1 -> String.format("%d.%03d000", s, frac); // trailing zeros
      case 2 -> String.format("%d.%03d%d", s, frac, random.nextInt(10)); // below a millisecond
      case 3 -> String.format("%d.%02d", s, frac / 10);
      default -> String.format("%d.%03d", s, frac);
    };
  }

  // Java's shortest-repr output parses back to the same double in Go as in Java.
  private static String spellValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return Double.toString(v);
  }

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static int compareBytes(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  /** Prometheus's order of label sets: pairwise by name, then value; a prefix comes first. */
  private static int compareLabels(Series a, Series b) {
    int n = Math.min(a.sorted.length, b.sorted.length);
    for (int i = 0; i < n; i++) {
      int c = compareBytes(a.sorted[i], b.sorted[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.sorted.length, b.sorted.length);
  }

  /** One metric family: its TYPE line and series. */
  record Family(String name, String type, List<Series> series) {}

  private static List<Family> generate(long start, long end, Random random) {
    List<Family> families = new ArrayList<>();

    // Counters: steady increments, fractional ones, and a reset.
    List<Series> counters = new ArrayList<>();
    for (String[] l : new String[][] {
          {"method", "GET", "code", "200"}, {"method", "GET", "code", "500"},
          {"method", "POST", "code", "200"}}) {
      Series s = new Series("http_requests_total", l);
      double v = 0;
      for (long t = start + random.nextInt(15_000); t < end; t += 15_000 + random.nextInt(41) - 20) {
        v += l[3].equals("500") ? random.nextInt(2) : 0.25 * random.nextInt(40) + random.nextInt(3) / 10.0;
        if (l[1].equals("POST") && random.nextInt(400) == 0) {
          v = 0; // counter reset
        }
        s.add(t, v, random);
      }
      counters.add(s);
    }
    families.add(new Family("http_requests", "counter", counters));

    // Gauges: random walks, plus one with an upper-case label name that sorts before __name__.
    List<Series> walks = new ArrayList<>();
    for (String room : new String[] {"kitchen", "attic"}) {
      Series s = new Series("temperature_celsius", "room", room);
      double v = 20;
      for (long t = start + random.nextInt(10_000); t < end; t += 5_000 + random.nextInt(10_000)) {
        v += random.nextGaussian() * 0.3;
        s.add(t, v, random);
      }
      walks.add(s);
    }
    families.add(new Family("temperature_celsius", "gauge", walks));
    Series zone = new Series("zone_load", "Zone", "eu-west", "path", "/a\"b\\c");
    for (long t = start; t < end; t += 20_000) {
      zone.add(t, Math.round(random.nextDouble() * 1000) / 8.0 - 60, random);
    }
    families.add(new Family("zone_load", "gauge", List.of(zone)));

    // Constants, sampled regularly: zero deltas of time and value.
    Series c42 = new Series("constant_value", "kind", "answer");
    Series c0 = new Series("constant_value", "kind", "zero");
    for (long t = start - start % 30_000; t < end; t += 30_000) {
      if (t >= start) {
        c42.add(t, 42, random);
        c0.add(t, 0, random);
      }
    }
    families.add(new Family("constant_value", "gauge", List.of(c42, c0)));

    // Special and extreme values at irregular times, gaps from 1 ms to 20 minutes.
    double[] specials = {
      Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, -1.5,
      Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-300, 1e300, 2.2250738585072014E-308,
      123456789.123456789, -0.1, 1.0 / 3
    };
    Series weird = new Series("weird_values");
    for (long t = start + 1; t < end; ) {
      double v = random.nextInt(3) == 0 ? random.nextGaussian() * 1e6 : specials[random.nextInt(specials.length)];
      weird.add(t, v, random);
      int kind = random.nextInt(4);
      t += kind == 0 ? 1 + random.nextInt(5) : kind == 1 ? random.nextInt(1_200_000) + 1 : 1000 + random.nextInt(60_000);
    }
    families.add(new Family("weird_values", "gauge", List.of(weird)));

    // Sparse: a handful of samples hours apart, and a series that only starts late.
    Series sparse = new Series("sparse_events", "source", "batch");
    for (long t = start + 777; t < end; t += 3_600_000 + random.nextInt(1_800_000)) {
      sparse.add(t, random.nextInt(100), random);
    }
    Series late = new Series("sparse_events", "source", "late");
    for (long t = end - 40 * 60_000; t < end; t += 1000 + random.nextInt(3)) {
      late.add(t, random.nextInt(5), random);
    }
    families.add(new Family("sparse_events", "gauge", List.of(sparse, late)));
    return families;
  }

  private static String openMetrics(List<Family> families) {
    StringBuilder out = new StringBuilder();
    for (Family f : families) {
      out.append("# HELP ").append(f.name()).append(" Generated for an interop test.\n");
      out.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
      for (Series s : f.series()) {
        out.append(s.text);
      }
    }
    return out.append("# EOF\n").toString();
  }

  /** The fields of meta.json this test needs. */
  record Meta(Path dir, long minTime, long maxTime, long numSamples, long numSeries, long numChunks) {
    static Meta read(Path dir) throws IOException {
      String json = Files.readString(dir.resolve("meta.json"));
      return new Meta(
          dir, field(json, "minTime"), field(json, "maxTime"), field(json, "numSamples"),
          field(json, "numSeries"), field(json, "numChunks"));
    }

    private static long field(String json, String name) {
      Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(-?\\d+)").matcher(json);
      if (!m.find()) {
        throw new AssertionError("meta.json lacks " + name + ": " + json);
      }
      return Long.parseLong(m.group(1));
    }
  }

  @Test
  void readsDecodesReencodesAndRewritesPromtoolChunks(TestReporter report) throws Exception {
    Random random = new Random(20240242);
    // Not aligned to the 2 h block grid, spanning seven hours: four blocks.
    long start = 1_700_000_000_000L + 1234;
    long end = start + 7 * 3_600_000L;
    List<Family> families = generate(start, end, random);
    Path input = tmp.resolve("input.om");
    Files.writeString(input, openMetrics(families));
    Path out = tmp.resolve("blocks");
    Files.createDirectories(out);
    Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", input.toString(), out.toString())
        .assertSuccess();

    List<Series> all = new ArrayList<>();
    families.forEach(f -> all.addAll(f.series()));
    all.sort(PromtoolChunksInteropTest::compareLabels);
    long totalSamples = all.stream().mapToLong(s -> s.times.size()).sum();

    List<Meta> blocks = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(out)) {
      for (Path d : dirs.filter(Files::isDirectory).toList()) {
        blocks.add(Meta.read(d));
      }
    }
    blocks.sort(Comparator.comparingLong(Meta::minTime));
    assertEquals(4, blocks.size(), "blocks");

    long samplesSeen = 0;
    long chunksSeen = 0;
    for (Meta block : blocks) {
      // Every sample of the 2 h window the block was cut for, and nothing else, is in it.
      long windowStart = Math.floorDiv(block.minTime(), BLOCK_MS) * BLOCK_MS;
      assertTrue(block.maxTime() <= windowStart + BLOCK_MS, "block crosses its window");
      BlockCheck check = checkBlock(block, all, windowStart, windowStart + BLOCK_MS);
      samplesSeen += check.samples;
      chunksSeen += check.chunks;
    }
    assertEquals(totalSamples, samplesSeen, "every input sample is in exactly one block");
    report.publishEntry("promtool interop", String.format(
        "%d series, %d samples, %d blocks, %d chunks: decoded, re-encoded and rewritten byte for"
            + " byte", all.size(), totalSamples, blocks.size(), chunksSeen));
  }

  record BlockCheck(long samples, long chunks) {}

  private BlockCheck checkBlock(Meta block, List<Series> all, long windowStart, long windowEnd)
      throws IOException {
    String where = "block " + block.dir().getFileName();
    // The expected content: each series' samples in the block's [minTime, maxTime).
    List<Series> present = new ArrayList<>();
    List<long[]> expectedT = new ArrayList<>();
    List<long[]> expectedBits = new ArrayList<>();
    long minT = Long.MAX_VALUE;
    long maxT = Long.MIN_VALUE;
    for (Series s : all) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < s.times.size(); i++) {
        long t = s.times.get(i);
        if (t >= block.minTime() && t < block.maxTime()) {
          idx.add(i);
        }
        if (t >= windowStart && t < windowEnd) {
          minT = Math.min(minT, t);
          maxT = Math.max(maxT, t);
        }
      }
      if (!idx.isEmpty()) {
        present.add(s);
        expectedT.add(idx.stream().mapToLong(s.times::get).toArray());
        expectedBits.add(idx.stream().mapToLong(s.bits::get).toArray());
      }
    }
    assertEquals(minT, block.minTime(), where + " minTime");
    assertEquals(maxT + 1, block.maxTime(), where + " maxTime");
    assertEquals(present.size(), block.numSeries(), where + " numSeries");

    Path promChunks = block.dir().resolve("chunks");
    Path ourChunks = tmp.resolve("rewritten-" + block.dir().getFileName());
    long samples = 0;
    long chunks = 0;
    XorChunkIterator it = new XorChunkIterator();
    long[] t = new long[XorChunkAppender.MAX_SAMPLES];
    long[] v = new long[XorChunkAppender.MAX_SAMPLES];
    List<Long> promRefs = new ArrayList<>();
    List<Long> ourRefs = new ArrayList<>();
    try (ChunkSegmentReader reader = ChunkSegmentReader.open(promChunks);
        ChunkSegmentWriter writer = new ChunkSegmentWriter(ourChunks)) {
      assertEquals(block.numChunks(), reader.verifyAll(), where + " chunks with valid CRCs");
      ChunkCursor cursor = reader.cursor();
      ChunkBatch batch = new ChunkBatch();
      int series = 0;
      int consumed = 0; // samples of present.get(series) already matched
      for (int seg = 0; seg < reader.segmentCount(); seg++) {
        cursor.scan(seg);
        while (cursor.next()) {
          String chunkWhere = where + " chunk " + ChunkRef.toString(cursor.ref());
          assertEquals(ChunkEncoding.XOR, cursor.encoding(), chunkWhere);
          it.reset(cursor.source(), cursor.dataPosition(), cursor.dataLength());
          int n = 0;
          while (it.next()) {
            t[n] = it.atT();
            v[n++] = it.atValueBits();
          }
          // Chunks of a series are consecutive: a chunk starts a new series once the current
          // one is used up, and never spans two.
          if (consumed == expectedT.get(series).length) {
            writeSeries(writer, batch, ourRefs);
            series++;
            consumed = 0;
          }
          long[] et = expectedT.get(series);
          long[] ev = expectedBits.get(series);
          assertTrue(consumed + n <= et.length, chunkWhere + " runs past its series");
          for (int i = 0; i < n; i++) {
            if (t[i] != et[consumed + i] || v[i] != ev[consumed + i]) {
              fail(String.format(
                  "%s of %s, sample %d: decoded (%d, %016x), expected (%d, %016x)",
                  chunkWhere, String.join(",", present.get(series).sorted), consumed + i,
                  t[i], v[i], et[consumed + i], ev[consumed + i]));
            }
          }
          consumed += n;
          samples += n;
          chunks++;

          byte[] theirs = new byte[cursor.dataLength()];
          cursor.source().read(cursor.dataPosition(), theirs, 0, theirs.length);
          XorChunkAppender app = XorChunkAppender.create(new HeapChunkBuffer());
          for (int i = 0; i < n; i++) {
            app.appendBits(t[i], v[i]);
          }
          byte[] ours = app.buffer().toByteArray(app.byteLength());
          if (!Arrays.equals(theirs, ours)) {
            int at = Arrays.mismatch(theirs, ours);
            fail(String.format(
                "%s (%d samples): re-encoded chunk differs at byte %d: promtool %s, Strata %s",
                chunkWhere, n, at, slice(theirs, at), slice(ours, at)));
          }
          promRefs.add(cursor.ref());
          batch.add(cursor.encoding(), cursor.source(), cursor.dataPosition(), cursor.dataLength());
        }
      }
      assertEquals(present.size() - 1, series, where + ": all series have chunks");
      assertEquals(expectedT.get(series).length, consumed, where + ": last series complete");
      writeSeries(writer, batch, ourRefs);
      assertEquals(block.numSamples(), samples, where + " numSamples");
    }
    // The same chunks, handed over per series, give the same file.
    List<Path> theirFiles = ChunkSegmentFormat.list(promChunks);
    List<Path> ourFiles = ChunkSegmentFormat.list(ourChunks);
    assertEquals(theirFiles.size(), ourFiles.size(), where + " segment count");
    for (int i = 0; i < theirFiles.size(); i++) {
      byte[] theirs = Files.readAllBytes(theirFiles.get(i));
      byte[] ours = Files.readAllBytes(ourFiles.get(i));
      assertArrayEquals(theirs, ours, where + " segment " + theirFiles.get(i).getFileName());
    }
    assertEquals(promRefs, ourRefs, where + " references");
    return new BlockCheck(samples, chunks);
  }

  private static void writeSeries(ChunkSegmentWriter writer, ChunkBatch batch, List<Long> refs)
      throws IOException {
    long[] out = new long[batch.size()];
    writer.write(batch, out);
    for (long ref : out) {
      refs.add(ref);
    }
    batch.clear();
  }

  private static String slice(byte[] b, int at) {
    StringBuilder s = new StringBuilder();
    for (int i = Math.max(0, at - 2); i < Math.min(b.length, at + 6); i++) {
      s.append(String.format("%02x", b[i]));
    }
    return s + " (length " + b.length + ")";
  }
}
