package dev.strata.examples.cli.tsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.examples.cli.StrataCli;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input fails with exit code 1 and one line on stderr that says what and where. */
class BadInputTest {
  @TempDir Path tmp;

  private static void assertOneLineFailure(StrataCli.Result r, String... fragments) {
    assertNotEquals(0, r.exitCode(), r.stdout());
    assertEquals(1, r.stderr().lines().count(), "one line:\n" + r.stderr());
    for (String f : fragments) {
      assertTrue(r.stderr().contains(f), "\"" + f + "\" in: " + r.stderr());
    }
  }

  private StrataCli.Result backfill(String text, Path out) throws Exception {
    Path in = Files.writeString(tmp.resolve("in.om"), text);
    return StrataCli.run(
        "tsdb", "create-blocks-from", "openmetrics", in.toString(), out.toString());
  }

  @Test
  void malformedOpenMetricsWritesNothing() throws Exception {
    Path out = tmp.resolve("out");
    String good = "# TYPE a gauge\na{b=\"c\"} 1 100\n";
    StrataCli.Result r = backfill(good + "a{b=\"c\" 2 200\na{b=\"c\"} 3 300\n# EOF\n", out);
    assertOneLineFailure(r, "in.om: line 3, column ");
    assertEquals("", r.stdout());
    assertFalse(Files.exists(out), "no output directory");

    assertOneLineFailure(backfill(good, out), "line ");
    assertOneLineFailure(backfill(good + "a{b=\"c\"} 2\n# EOF\n", out), "line 3");
    assertFalse(Files.exists(out));

    Path existing = Files.createDirectories(tmp.resolve("existing"));
    assertOneLineFailure(backfill(good + "a{b=\"c\"} x 200\n# EOF\n", existing), "line 3");
    try (Stream<Path> files = Files.list(existing)) {
      assertEquals(0, files.count(), "no block, no temporary directory");
    }
  }

  @Test
  void outOfOrderAndDuplicateSamplesAreDroppedAndCounted() throws Exception {
    Path out = tmp.resolve("out");
    StrataCli.Result r = backfill("""
        # TYPE a gauge
        a{b="c"} 1 100
        a{b="c"} 2 300
        a{b="c"} 3 200
        a{b="c"} 4 300
        a{b="c"} 2 300
        a{b="c"} 5 400
        a{b="c"} 6 7300
        a{b="c"} 7 50
        # EOF
        """, out).assertSuccess();
    assertEquals(tmp.resolve("in.om") + ": dropped 4 samples: 2 out of order, 1 duplicate timestamp"
        + " with a different value, 1 exact duplicate\n", r.stderr());
    assertEquals(3, r.stdout().lines().count(), "promtool's table: a header and two blocks");
    // The first sample of a timestamp is kept; samples of another block never conflict.
    assertEquals("""
        {__name__="a", b="c"} 1 100000
        {__name__="a", b="c"} 2 300000
        {__name__="a", b="c"} 5 400000
        {__name__="a", b="c"} 6 7300000
        """, StrataCli.run("tsdb", "dump", out.toString()).assertSuccess().stdout());
  }

  @Test
  void missingFilesAndDirectoriesAreNamed() throws Exception {
    Path nowhere = tmp.resolve("nowhere");
    assertOneLineFailure(StrataCli.run("tsdb", "create-blocks-from", "openmetrics",
            nowhere.toString(), tmp.resolve("out").toString()),
        nowhere + ": no such file or directory");
    for (String tool : new String[] {"list", "dump", "analyze"}) {
      assertOneLineFailure(StrataCli.run("tsdb", tool, nowhere.toString()),
          "opening the db dir: " + nowhere + ": no such file or directory");
    }
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertOneLineFailure(StrataCli.run("tsdb", "dump", empty.toString()), "read WAL", "wal");
    assertOneLineFailure(StrataCli.run("tsdb", "analyze", empty.toString()), "block  not found");
    assertEquals("BLOCK ULID", StrataCli.run("tsdb", "list", empty.toString()).assertSuccess()
        .stdout().substring(0, 10));
  }

  @Test
  void aFileWhereADirectoryBelongsIsNotADirectory() throws Exception {
    Path file = Files.writeString(tmp.resolve("afile"), "not a directory");
    for (String tool : new String[] {"list", "dump", "analyze"}) {
      assertOneLineFailure(StrataCli.run("tsdb", tool, file.toString()),
          file + ": not a directory");
    }
    Path in = Files.writeString(tmp.resolve("in.om"), "# TYPE a gauge\na 1 100\n# EOF\n");
    for (Path out : new Path[] {file, file.resolve("sub")}) {
      StrataCli.Result r = StrataCli.run(
          "tsdb", "create-blocks-from", "openmetrics", in.toString(), out.toString());
      assertOneLineFailure(r, file + ": not a directory");
      assertFalse(r.stderr().contains("exists"), r.stderr());
    }
    StrataCli.Result demo = StrataCli.run("jvm-metrics", "--seconds", "1", "--data-dir",
        file.resolve("data").toString());
    assertOneLineFailure(demo, file + ": not a directory");

    Path data = validBlock();
    Path block;
    try (Stream<Path> dirs = Files.list(data)) {
      block = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    StrataCli.Result downsample = StrataCli.run(
        "tools", "downsample", "--resolution=5m", block.toString(), file.toString());
    assertOneLineFailure(downsample, file + ": not a directory");
  }

  @Test
  void badFlagsAreReported() throws Exception {
    Path data = validBlock();
    Files.createDirectories(data.resolve("wal"));
    assertOneLineFailure(StrataCli.run("tsdb", "dump", "--match=a{", data.toString()),
        "1:3: parse error: unexpected end of input inside braces");
    assertOneLineFailure(
        StrataCli.run("tsdb", "analyze", data.toString(), "01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        "block 01ARZ3NDEKTSV4RRFFQ69G5FAV not found");
    StrataCli.Result r = StrataCli.run("tsdb", "create-blocks-from", "--max-block-duration=3d",
        "openmetrics", tmp.resolve("in.om").toString(), tmp.resolve("o").toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.stderr().contains("time: unknown unit \"d\" in duration \"3d\""), r.stderr());
  }

  @Test
  void corruptBlocksNameFileSectionAndOffset() throws Exception {
    Path data = validBlock();
    Path block;
    try (Stream<Path> dirs = Files.list(data)) {
      block = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    Path index = block.resolve("index");
    byte[] bytes = Files.readAllBytes(index);
    long tocAt = bytes.length - 52;
    flip(index, tocAt + 3);
    assertOneLineFailure(StrataCli.run("tsdb", "list", data.toString()),
        "corrupted block " + block.getFileName(), index.toString(), "offset");
    assertOneLineFailure(StrataCli.run("tsdb", "analyze", data.toString()), index.toString());
    flip(index, tocAt + 3);
    StrataCli.run("tsdb", "list", data.toString()).assertSuccess();

    // A series entry whose CRC does not match: list does not read series, dump and analyze do.
    long section = ByteBuffer.wrap(bytes, (int) tocAt + 8, 8).getLong();
    long entry = (section + 15) / 16 * 16; // entries are 16-byte aligned
    long entryCrc = entry + 1 + bytes[(int) entry]; // after the one-byte length and the body
    flip(index, entryCrc);
    StrataCli.run("tsdb", "list", data.toString()).assertSuccess();
    Files.createDirectories(data.resolve("wal"));
    assertOneLineFailure(StrataCli.run("tsdb", "dump", data.toString()),
        index.toString(), "series at offset " + entryCrc, "CRC");
    assertOneLineFailure(StrataCli.run("tsdb", "analyze", data.toString()), "CRC");
    flip(index, entryCrc);

    Path chunks = block.resolve("chunks/000001");
    flip(chunks, 0);
    assertOneLineFailure(StrataCli.run("tsdb", "list", data.toString()),
        chunks.toString(), "segment header at offset 0", "magic number");
    flip(chunks, 0);

    // Block directories without a readable meta.json are skipped, as promtool skips them.
    String listed = StrataCli.run("tsdb", "list", data.toString()).assertSuccess().stdout();
    Files.createDirectories(data.resolve("01ARZ3NDEKTSV4RRFFQ69G5FAV"));
    Path garbled = Files.createDirectories(data.resolve("01BX5ZZKBKACTAV9WEVGEMMVRZ"));
    Files.writeString(garbled.resolve("meta.json"), "{\"ulid\": ");
    StrataCli.Result skipped = StrataCli.run("tsdb", "list", data.toString()).assertSuccess();
    assertEquals(listed, skipped.stdout());
    assertTrue(skipped.stderr().contains("skipping " + garbled), skipped.stderr());
  }

  private Path validBlock() throws Exception {
    Path data = tmp.resolve("data");
    backfill("# TYPE a gauge\na{b=\"c\"} 1 100\na{b=\"c\"} 2 115\n# EOF\n", data).assertSuccess();
    return data;
  }

  private static void flip(Path file, long position) throws Exception {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.allocate(1);
      ch.read(b, position);
      b.put(0, (byte) (b.get(0) ^ 0x5a)).rewind();
      ch.write(b, position);
    }
  }
}
