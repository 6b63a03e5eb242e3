package dev.strata.tsdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.strata.tsdb.chunkenc.ChunkEncoding;
import dev.strata.tsdb.chunkenc.XorChunkIterator;
import dev.strata.tsdb.chunks.ChunkCursor;
import dev.strata.tsdb.chunks.ChunkRef;
import dev.strata.tsdb.chunks.ChunkSegmentReader;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.labels.Utf8Order;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads indexes that the real {@code promtool tsdb create-blocks-from openmetrics} wrote, checks
 * them against the input and the chunks they point to, compares matcher results with {@code
 * promtool tsdb dump --match}, and rewrites each index with {@link IndexWriter} from what was read,
 * expecting promtool's file byte for byte.
 */
@Interop
class PromtoolIndexInteropTest {
  @TempDir Path tmp;

  /** A series of the input: its label set and samples (ms, value bits). */
  static final class InputSeries {
    final Labels labels;
    final String text; // how its samples are spelled, without value and timestamp
    final List<long[]> samples = new ArrayList<>();

    InputSeries(String metric, String family, String... pairs) {
      String[] all = Arrays.copyOf(pairs, pairs.length + 2);
      all[pairs.length] = Labels.METRIC_NAME;
      all[pairs.length + 1] = metric;
      this.labels = Labels.of(all);
      StringBuilder sb = new StringBuilder(metric);
      if (pairs.length > 0) {
        sb.append('{');
        for (int i = 0; i < pairs.length; i += 2) {
          sb.append(i == 0 ? "" : ",").append(pairs[i]).append("=\"").append(escape(pairs[i + 1]))
              .append('"');
        }
        sb.append('}');
      }
      this.text = sb.toString();
    }
  }

  record Family(String name, String type, List<InputSeries> series) {}

  private static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static List<Family> generate(long start, long end, java.util.Random random) {
    List<Family> families = new ArrayList<>();
    List<InputSeries> cpu = new ArrayList<>();
    for (int host = 1; host <= 8; host++) {
      for (int c = 0; c < 4; c++) {
        for (String mode : new String[] {"idle", "user", "system"}) {
          cpu.add(new InputSeries("node_cpu_seconds_total", "node_cpu_seconds",
              "instance", "host-" + host + ":9100", "job", "node", "cpu", Integer.toString(c),
              "mode", mode));
        }
      }
    }
    families.add(new Family("node_cpu_seconds", "counter", cpu));
    List<InputSeries> http = new ArrayList<>();
    String[] paths = {"/", "/api/v1/query", "/a\"b\\c", "/日本/😀", "/line\nbreak", "/\uffff", "/é"};
    for (String path : paths) {
      for (String code : new String[] {"200", "500"}) {
        http.add(new InputSeries("http_requests_total", "http_requests",
            "job", "api", "path", path, "code", code, "method", code.equals("200") ? "GET" : "POST"));
      }
    }
    families.add(new Family("http_requests", "counter", http));
    List<InputSeries> temps = new ArrayList<>();
    for (String room : new String[] {"kitchen", "attic", "Küche", "😀 room", "a b"}) {
      temps.add(new InputSeries("temperature_celsius", "temperature_celsius", "room", room,
          "Zone", room.length() % 2 == 0 ? "eu-west" : "ap-south"));
    }
    families.add(new Family("temperature_celsius", "gauge", temps));
    families.add(new Family("up", "gauge", List.of(
        new InputSeries("up", "up", "job", "node", "instance", "host-1:9100"),
        new InputSeries("up", "up", "job", "api", "instance", "api-0"),
        new InputSeries("up", "up"))));

    for (Family f : families) {
      for (InputSeries s : f.series()) {
        int kind = random.nextInt(3);
        long step = kind == 0 ? 15_000 : kind == 1 ? 60_000 : 500 * (1 + random.nextInt(2400));
        long first = start + 500L * random.nextInt(200);
        // Some series stop early or start late, so blocks hold different series.
        long last = random.nextInt(4) == 0 ? start + (end - start) / 3 : end;
        if (random.nextInt(5) == 0) {
          first = start + (end - start) / 2;
        }
        double v = random.nextInt(100);
        for (long t = first; t < last; t += step) {
          v += f.type().equals("counter") ? random.nextInt(10) : random.nextInt(7) - 3;
          s.samples.add(new long[] {t, Double.doubleToRawLongBits(v)});
        }
      }
    }
    return families;
  }

  private static String openMetrics(List<Family> families) {
    StringBuilder out = new StringBuilder();
    for (Family f : families) {
      out.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
      for (InputSeries s : f.series()) {
        for (long[] sample : s.samples) {
          double v = Double.longBitsToDouble(sample[1]);
          out.append(s.text).append(' ').append((long) v).append(' ')
              .append(sample[0] / 1000).append('.').append(String.format("%03d", sample[0] % 1000))
              .append('\n');
        }
      }
    }
    return out.append("# EOF\n").toString();
  }

  record Block(Path dir, long minTime, long maxTime, long numSeries) {}

  private static long field(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(-?\\d+)").matcher(json);
    assertTrue(m.find(), "meta.json lacks " + name);
    return Long.parseLong(m.group(1));
  }

  @Test
  void readsChecksAndRewritesPromtoolIndexes(TestReporter report) throws Exception {
    java.util.Random random = new java.util.Random(424242);
    long start = 1_700_000_000_000L;
    long end = start + 5 * 3_600_000L + 1_234_000L;
    List<Family> families = generate(start, end, random);
    Path input = tmp.resolve("input.om");
    Files.writeString(input, openMetrics(families));
    Path db = tmp.resolve("db");
    Files.createDirectories(db.resolve("wal")); // promtool tsdb dump wants one
    Promtool.run(tmp, "tsdb", "create-blocks-from", "openmetrics", input.toString(), db.toString())
        .assertSuccess();

    List<InputSeries> all = new ArrayList<>();
    families.forEach(f -> all.addAll(f.series()));
    all.sort(Comparator.comparing(s -> s.labels));

    List<Block> blocks = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(db)) {
      for (Path d : dirs.filter(p -> Files.exists(p.resolve("meta.json"))).toList()) {
        String json = Files.readString(d.resolve("meta.json"));
        blocks.add(new Block(d, field(json, "minTime"), field(json, "maxTime"),
            field(json, "numSeries")));
      }
    }
    blocks.sort(Comparator.comparingLong(Block::minTime));
    assertTrue(blocks.size() >= 3, "blocks: " + blocks.size());

    long samples = 0;
    long series = 0;
    for (Block block : blocks) {
      samples += checkBlock(block, all);
      compareWithPromtoolAnalyze(db, block.dir());
      rewriteByteForByte(block.dir().resolve("index"));
      series += block.numSeries();
    }
    assertEquals(all.stream().mapToLong(s -> s.samples.size()).sum(), samples,
        "every input sample is found through the indexes");

    for (LabelMatcher[] ms : matcherSets()) {
      compareWithPromtoolDump(db, all, ms);
    }
    report.publishEntry("promtool index interop", String.format(
        "%d blocks, %d series entries, %d samples: read, checked against chunks, dump and"
            + " analyze, and rewritten byte for byte", blocks.size(), series, samples));
  }

  /**
   * A block whose index Strata wrote from scratch (chunks from Strata's XOR appender and segment
   * writer): promtool dumps exactly the samples put in, finds series by matchers and analyzes it.
   */
  @Test
  void promtoolReadsABlockWithOurIndex() throws Exception {
    java.util.Random random = new java.util.Random(7);
    long start = 1_700_002_800_000L;
    List<InputSeries> input = new ArrayList<>();
    String[] jobs = {"api", "db", "cache", "日本", "q\"uote"};
    for (int i = 0; i < 400; i++) {
      InputSeries s = new InputSeries(i % 7 == 0 ? "up" : "requests_total", "",
          "job", jobs[i % jobs.length], "instance", "host-" + (i / 3), "shard", "s" + (i % 11),
          "note", i % 13 == 0 ? "😀\nline" : "plain");
      long t = start + random.nextInt(60_000);
      int n = 1 + random.nextInt(i % 10 == 0 ? 700 : 150);
      for (int k = 0; k < n; k++) {
        s.samples.add(new long[] {t, Double.doubleToRawLongBits(random.nextInt(100_000))});
        t += 1 + random.nextInt(20_000);
      }
      input.add(s);
    }
    input = new ArrayList<>(input.stream()
        .collect(Collectors.toMap(s -> s.labels, s -> s, (a, b) -> a, TreeMap::new)).values());

    Path db = tmp.resolve("own");
    String ulid = com.github.f4b6a3.ulid.UlidCreator.getUlid().toString();
    Path block = db.resolve(ulid);
    Files.createDirectories(db.resolve("wal"));
    Files.createDirectories(block);
    TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
    input.forEach(s -> s.labels.forEach((n, v) -> {
      symbols.add(n);
      symbols.add(v);
    }));
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    long samples = 0;
    long chunkCount = 0;
    try (dev.strata.tsdb.chunks.ChunkSegmentWriter chunkWriter =
            new dev.strata.tsdb.chunks.ChunkSegmentWriter(block.resolve("chunks"));
        IndexWriter w = IndexWriter.create(block.resolve("index"))) {
      for (String sym : symbols) {
        w.addSymbol(sym);
      }
      dev.strata.tsdb.chunks.ChunkBatch batch = new dev.strata.tsdb.chunks.ChunkBatch();
      ChunkMetas metas = new ChunkMetas();
      for (InputSeries s : input) {
        batch.clear();
        metas.clear();
        for (int from = 0; from < s.samples.size(); from += 120) {
          int to = Math.min(from + 120, s.samples.size());
          var app = dev.strata.tsdb.chunkenc.XorChunkAppender.create(
              new dev.strata.tsdb.chunkenc.HeapChunkBuffer());
          for (int k = from; k < to; k++) {
            app.appendBits(s.samples.get(k)[0], s.samples.get(k)[1]);
          }
          byte[] data = app.buffer().toByteArray(app.byteLength());
          batch.add(ChunkEncoding.XOR, data, 0, data.length);
          metas.add(s.samples.get(from)[0], s.samples.get(to - 1)[0], 0);
        }
        long[] refs = new long[batch.size()];
        chunkWriter.write(batch, refs);
        ChunkMetas withRefs = new ChunkMetas();
        for (int c = 0; c < metas.size(); c++) {
          withRefs.add(metas.minTime(c), metas.maxTime(c), refs[c]);
        }
        w.addSeries(s.labels, withRefs);
        minTime = Math.min(minTime, s.samples.get(0)[0]);
        maxTime = Math.max(maxTime, s.samples.get(s.samples.size() - 1)[0]);
        samples += s.samples.size();
        chunkCount += metas.size();
      }
    }
    Files.writeString(block.resolve("meta.json"), String.format(
        "{\"ulid\":\"%s\",\"minTime\":%d,\"maxTime\":%d,\"stats\":{\"numSamples\":%d,"
            + "\"numSeries\":%d,\"numChunks\":%d},\"compaction\":{\"level\":1,\"sources\":[\"%s\"]},"
            + "\"version\":1}",
        ulid, minTime, maxTime + 1, samples, input.size(), chunkCount, ulid));

    // Every sample, in promtool's order: series by labels, then time.
    String dump = Promtool.run(tmp, "tsdb", "dump", db.toString()).assertSuccess().stdout();
    String[] lines = dump.split("\n");
    assertEquals(samples, lines.length, "dumped samples");
    int line = 0;
    for (InputSeries s : input) {
      for (long[] x : s.samples) {
        String l = lines[line++];
        int ts = l.lastIndexOf(' ');
        int value = l.lastIndexOf(' ', ts - 1);
        assertEquals(s.labels.toString(), l.substring(0, value), "line " + line);
        assertEquals(Double.longBitsToDouble(x[1]), Double.parseDouble(l.substring(value + 1, ts)),
            "line " + line);
        assertEquals(x[0], Long.parseLong(l.substring(ts + 1)), "line " + line);
      }
    }
    for (LabelMatcher[] ms : List.of(
        new LabelMatcher[] {LabelMatcher.equal("job", "日本")},
        new LabelMatcher[] {LabelMatcher.regex("job", "api|db"), LabelMatcher.notEqual("shard", "s3"),
            LabelMatcher.notRegex("instance", "host-1.*")},
        new LabelMatcher[] {LabelMatcher.regex("note", "(?s)😀.*")})) {
      compareWithPromtoolDump(db, input, ms);
    }
    compareWithPromtoolAnalyze(db, block);
    try (IndexReader r = IndexReader.open(block.resolve("index"))) {
      assertEquals(input.size(), r.verifyAll());
    }
  }

  /** The label statistics of {@code promtool tsdb analyze} agree with {@link IndexReader#labelStats}. */
  private void compareWithPromtoolAnalyze(Path db, Path block) throws Exception {
    String out = Promtool.run(tmp, "tsdb", "analyze", db.toString(), block.getFileName().toString())
        .assertSuccess().stdout();
    try (IndexReader r = IndexReader.open(block.resolve("index"))) {
      List<LabelStats> stats = r.labelStats();
      assertEquals(r.seriesCount(), analyzed(out, "Series"), block + " series");
      assertEquals(stats.size(), analyzed(out, "Label names"), block + " label names");
      assertEquals(stats.stream().mapToLong(LabelStats::values).sum(),
          analyzed(out, "Postings (unique label pairs)"), block + " label pairs");
      assertEquals(stats.stream().mapToLong(LabelStats::series).sum(),
          analyzed(out, "Postings entries (total label pairs)"), block + " postings entries");
    }
  }

  private static long analyzed(String out, String what) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(what) + ": (\\d+)$").matcher(out);
    assertTrue(m.find(), "analyze output lacks " + what + ":\n" + out);
    return Long.parseLong(m.group(1));
  }

  private static List<LabelMatcher[]> matcherSets() {
    return List.of(
        new LabelMatcher[] {LabelMatcher.equal("job", "node")},
        new LabelMatcher[] {LabelMatcher.regex("__name__", "node_.*"), LabelMatcher.notEqual("mode", "idle"),
            LabelMatcher.regex("cpu", "1|3")},
        new LabelMatcher[] {LabelMatcher.regex("path", ".*😀.*|/a\"b\\\\c|/é")},
        new LabelMatcher[] {LabelMatcher.regex("room", ".+"), LabelMatcher.notRegex("Zone", "eu.*")},
        new LabelMatcher[] {LabelMatcher.equal("__name__", "up"), LabelMatcher.equal("job", "")},
        new LabelMatcher[] {LabelMatcher.regex("job", "api|node"), LabelMatcher.notEqual("instance", "host-1:9100"),
            LabelMatcher.notRegex("code", "5..")},
        new LabelMatcher[] {LabelMatcher.regex("path", "/line\nbreak|/\uffff")});
  }

  private long checkBlock(Block block, List<InputSeries> all) throws IOException {
    String where = "block " + block.dir().getFileName();
    // What the block must hold: every series with samples in [minTime, maxTime).
    List<InputSeries> present = new ArrayList<>();
    List<List<long[]>> expectedSamples = new ArrayList<>();
    for (InputSeries s : all) {
      List<long[]> in = s.samples.stream()
          .filter(x -> x[0] >= block.minTime() && x[0] < block.maxTime()).toList();
      if (!in.isEmpty()) {
        present.add(s);
        expectedSamples.add(in);
      }
    }
    assertEquals(present.size(), block.numSeries(), where);
    long samples = 0;
    try (IndexReader r = IndexReader.open(block.dir().resolve("index"));
        ChunkSegmentReader chunks = ChunkSegmentReader.open(block.dir().resolve("chunks"))) {
      assertEquals(present.size(), r.verifyAll(), where + " verifyAll");
      assertEquals(present.size(), r.seriesCount(), where);

      // Series in label order, each with chunks that hold exactly its samples.
      Postings p = r.allPostings();
      ChunkMetas metas = new ChunkMetas();
      ChunkCursor cursor = chunks.cursor();
      XorChunkIterator it = new XorChunkIterator();
      List<Labels> read = new ArrayList<>();
      for (int i = 0; i < present.size(); i++) {
        assertTrue(p.next(), where + ": fewer series than expected");
        Labels labels = r.series(p.at(), metas);
        read.add(labels);
        assertEquals(present.get(i).labels, labels, where + " series " + i);
        List<long[]> expected = expectedSamples.get(i);
        int k = 0;
        long prevMax = Long.MIN_VALUE;
        for (int c = 0; c < metas.size(); c++) {
          String chunk = where + " " + labels + " chunk " + c + " " + ChunkRef.toString(metas.ref(c));
          assertTrue(metas.minTime(c) > prevMax, chunk + " overlaps the previous one");
          prevMax = metas.maxTime(c);
          cursor.seek(metas.ref(c));
          assertEquals(ChunkEncoding.XOR, cursor.encoding(), chunk);
          it.reset(cursor.source(), cursor.dataPosition(), cursor.dataLength());
          long first = Long.MIN_VALUE;
          long last = Long.MIN_VALUE;
          while (it.next()) {
            if (first == Long.MIN_VALUE) {
              first = it.atT();
            }
            last = it.atT();
            assertTrue(k < expected.size(), chunk + " has more samples than the input");
            assertEquals(expected.get(k)[0], it.atT(), chunk + " sample time");
            assertEquals(expected.get(k)[1], it.atValueBits(), chunk + " sample value");
            k++;
          }
          assertEquals(metas.minTime(c), first, chunk + " minTime is its first sample");
          assertEquals(metas.maxTime(c), last, chunk + " maxTime is its last sample");
        }
        assertEquals(expected.size(), k, where + " " + labels + " samples");
        samples += k;
      }
      assertTrue(!p.next(), where + ": more series than expected");

      // Names, values and symbols.
      TreeMap<String, TreeSet<String>> names = new TreeMap<>(Utf8Order.COMPARATOR);
      TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
      symbols.add(""); // promtool's head lists the all-postings key's empty name as a symbol
      for (Labels l : read) {
        l.forEach((n, v) -> {
          names.computeIfAbsent(n, x -> new TreeSet<>(Utf8Order.COMPARATOR)).add(v);
          symbols.add(n);
          symbols.add(v);
        });
      }
      assertEquals(new ArrayList<>(names.keySet()), r.labelNames(), where);
      for (var e : names.entrySet()) {
        assertEquals(new ArrayList<>(e.getValue()), r.labelValues(e.getKey()), where);
      }
      List<String> actualSymbols = new ArrayList<>();
      r.forEachSymbol(actualSymbols::add);
      assertEquals(new ArrayList<>(symbols), actualSymbols, where + " symbols");

      // Matchers against a scan.
      List<Long> refs = IndexRoundTripTest.box(Postings.toArray(r.allPostings()));
      for (LabelMatcher[] ms : matcherSets()) {
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < read.size(); i++) {
          Labels l = read.get(i);
          if (Arrays.stream(ms).allMatch(m -> m.matches(l))) {
            expected.add(refs.get(i));
          }
        }
        assertEquals(expected, IndexRoundTripTest.box(Postings.toArray(r.postingsForMatchers(ms))),
            where + " " + Arrays.toString(ms));
      }
    }
    return samples;
  }

  /** Writes the index again from what the reader decoded and expects the same bytes. */
  private void rewriteByteForByte(Path theirs) throws IOException {
    Path ours = tmp.resolve("rewritten-index");
    try (IndexReader r = IndexReader.open(theirs); IndexWriter w = IndexWriter.create(ours)) {
      List<String> symbols = new ArrayList<>();
      r.forEachSymbol(symbols::add);
      for (String s : symbols) {
        w.addSymbol(s);
      }
      Postings p = r.allPostings();
      ChunkMetas chunks = new ChunkMetas();
      while (p.next()) {
        w.addSeries(r.series(p.at(), chunks), chunks);
      }
    }
    byte[] a = Files.readAllBytes(theirs);
    byte[] b = Files.readAllBytes(ours);
    int at = Arrays.mismatch(a, b);
    if (at >= 0) {
      fail(String.format(
          "rewritten index of %s differs at byte %d (promtool %d bytes, Strata %d bytes)",
          theirs.getParent().getFileName(), at, a.length, b.length));
    }
  }

  /** {@code promtool tsdb dump --match} selects the same series as our postings. */
  private void compareWithPromtoolDump(Path db, List<InputSeries> all, LabelMatcher[] ms)
      throws Exception {
    String selector = Arrays.stream(ms).map(LabelMatcher::toString)
        .collect(Collectors.joining(",", "{", "}"));
    Promtool.Result result = Promtool.run(tmp, "tsdb", "dump", "--match=" + selector, db.toString())
        .assertSuccess();
    Set<String> dumped = new TreeSet<>();
    long lines = 0;
    for (String line : result.stdout().split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      int ts = line.lastIndexOf(' ');
      int value = line.lastIndexOf(' ', ts - 1);
      dumped.add(line.substring(0, value));
      lines++;
    }
    Set<String> expected = new TreeSet<>();
    long samples = 0;
    for (InputSeries s : all) {
      if (!s.samples.isEmpty() && Arrays.stream(ms).allMatch(m -> m.matches(s.labels))) {
        expected.add(s.labels.toString());
        samples += s.samples.size();
      }
    }
    assertTrue(!expected.isEmpty(), selector + " selects something");
    assertEquals(expected, dumped, "series promtool dumps for " + selector);
    assertEquals(samples, lines, "samples promtool dumps for " + selector);
  }
}
