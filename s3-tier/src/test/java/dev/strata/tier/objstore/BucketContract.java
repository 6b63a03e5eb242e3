package dev.strata.tier.objstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.testing.TempDirectory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link Bucket} must do, run against each implementation. */
abstract class BucketContract {
  protected Bucket bucket;
  protected TempDirectory tmp;

  /** A fresh, empty bucket. */
  protected abstract Bucket newBucket() throws IOException;

  @BeforeEach
  void setUp() throws IOException {
    tmp = TempDirectory.create("bucket-contract");
    bucket = newBucket();
  }

  @AfterEach
  void tearDown() {
    bucket.close();
    tmp.close();
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void writesAndReadsBytesFilesAndStreams() throws IOException {
    byte[] a = random(1000, 1);
    bucket.upload("x/a", a);
    assertArrayEquals(a, bucket.readAll("x/a"));

    byte[] b = random(300_000, 2);
    Path f = tmp.path().resolve("f");
    Files.write(f, b);
    bucket.upload("x/b", f);
    assertArrayEquals(b, bucket.readAll("x/b"));

    byte[] c = random(70_000, 3);
    bucket.upload("x/c", new ByteArrayInputStream(c), c.length);
    try (InputStream in = bucket.get("x/c")) {
      assertArrayEquals(c, in.readAllBytes());
    }
    bucket.upload("x/empty", new byte[0]);
    assertArrayEquals(new byte[0], bucket.readAll("x/empty"));
    assertEquals(0, bucket.attributes("x/empty").size());
  }

  @Test
  void overwritesWholeObjects() throws IOException {
    bucket.upload("k", random(5000, 1));
    byte[] second = random(10, 2);
    bucket.upload("k", second);
    assertArrayEquals(second, bucket.readAll("k"));
  }

  @Test
  void aShortStreamLeavesNoObject() {
    byte[] few = random(10, 1);
    assertThrows(IOException.class,
        () -> bucket.upload("short", new ByteArrayInputStream(few), 100));
    assertThrows(ObjectNotFoundException.class, () -> bucket.readAll("short"));
  }

  @Test
  void rangedReadsAtTheEdges() throws IOException {
    byte[] data = random(10_000, 7);
    bucket.upload("r", data);
    assertArrayEquals(slice(data, 0, 1), bucket.readRange("r", 0, 1));
    assertArrayEquals(slice(data, 9_999, 1), bucket.readRange("r", 9_999, 1));
    assertArrayEquals(slice(data, 0, 10_000), bucket.readRange("r", 0, 10_000));
    assertArrayEquals(slice(data, 9_990, 10), bucket.readRange("r", 9_990, 100),
        "a range past the end is cut at the end");
    assertArrayEquals(new byte[0], bucket.readRange("r", 10_000, 5), "a range at the end is empty");
    assertArrayEquals(new byte[0], bucket.readRange("r", 20_000, 5));
    assertArrayEquals(new byte[0], bucket.readRange("r", 17, 0));
    assertArrayEquals(slice(data, 4_321, 1_234), bucket.readRange("r", 4_321, 1_234));
    try (InputStream in = bucket.getRange("r", 5_000, 6_000)) {
      assertArrayEquals(slice(data, 5_000, 5_000), in.readAllBytes());
    }
    assertThrows(ObjectNotFoundException.class, () -> bucket.readRange("missing", 0, 10));
  }

  static byte[] slice(byte[] b, int off, int len) {
    return java.util.Arrays.copyOfRange(b, off, off + len);
  }

  @Test
  void existenceAndAttributes() throws IOException {
    Instant before = Instant.now().minus(Duration.ofSeconds(5));
    bucket.upload("a/b/c", random(1234, 1));
    assertTrue(bucket.exists("a/b/c"));
    assertFalse(bucket.exists("a/b"));
    assertFalse(bucket.exists("a/b/cd"));
    ObjectAttributes attrs = bucket.attributes("a/b/c");
    assertEquals(1234, attrs.size());
    assertTrue(attrs.lastModified().isAfter(before), attrs.lastModified() + " after " + before);
    assertThrows(ObjectNotFoundException.class, () -> bucket.attributes("a/b/d"));
    assertTrue(bucket.attributesIfExists("nope").isEmpty());
    ObjectNotFoundException e = assertThrows(ObjectNotFoundException.class, () -> bucket.get("a/x"));
    assertEquals("a/x", e.key());
  }

  @Test
  void listsRecursivelyAndByDirectory() throws IOException {
    for (String k : List.of("b/1", "b/2/x", "b/2/y", "b/3", "a", "c/d/e/f", "bz")) {
      bucket.upload(k, k.getBytes());
    }
    assertEquals(List.of("a", "b/1", "b/2/x", "b/2/y", "b/3", "bz", "c/d/e/f"), keys("", true));
    assertEquals(List.of("a", "b/", "bz", "c/"), keys("", false));
    assertEquals(List.of("b/1", "b/2/", "b/3"), keys("b/", false));
    assertEquals(List.of("b/", "bz"), keys("b", false));
    assertEquals(List.of("b/2/x", "b/2/y"), keys("b/2", true));
    assertEquals(List.of(), keys("q/", true));
    List<ListEntry> top = new ArrayList<>();
    bucket.iterate("b/", false, top::add);
    assertTrue(top.get(1).directory());
    assertEquals(1, top.get(0).size() > 0 ? 1 : 0);
    assertEquals(3, top.get(0).size());
  }

  List<String> keys(String prefix, boolean recursive) throws IOException {
    List<String> out = new ArrayList<>();
    bucket.iterate(prefix, recursive, e -> out.add(e.key()));
    return out;
  }

  @Test
  void paginatesOverMoreThanAThousandKeys() throws Exception {
    TreeSet<String> expected = new TreeSet<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 1_234; i++) {
        String key = String.format("many/%05d", i);
        expected.add(key);
        fs.add(pool.submit(() -> {
          bucket.upload(key, key.getBytes());
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    ListPage first = bucket.list("many/", true, null, 1000);
    assertEquals(1000, first.entries().size());
    assertTrue(first.nextPageToken().isPresent());
    ListPage second = bucket.list("many/", true, first.nextPageToken().get(), 1000);
    assertEquals(234, second.entries().size());
    assertTrue(second.nextPageToken().isEmpty());
    assertEquals(new ArrayList<>(expected), keys("many/", true));
    // Small pages give the same sequence.
    List<String> paged = new ArrayList<>();
    String token = null;
    do {
      ListPage p = bucket.list("many/", true, token, 97);
      p.entries().forEach(e -> paged.add(e.key()));
      token = p.nextPageToken().orElse(null);
    } while (token != null);
    assertEquals(new ArrayList<>(expected), paged);
  }

  @Test
  void deletesAndForgetsEmptyDirectories() throws IOException {
    bucket.upload("d/e/f", new byte[] {1});
    bucket.upload("d/g", new byte[] {2});
    bucket.delete("d/e/f");
    bucket.delete("d/e/f"); // again: not an error
    bucket.delete("never/was");
    assertFalse(bucket.exists("d/e/f"));
    assertEquals(List.of("d/g"), keys("d/", false));
    bucket.delete("d/g");
    assertEquals(List.of(), keys("", false));
  }

  @Test
  void concurrentUploadsAllLand() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        int n = i;
        fs.add(pool.submit(() -> {
          bucket.upload("conc/" + n, random(20_000 + n, n));
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    for (int i = 0; i < 64; i++) {
      assertArrayEquals(random(20_000 + i, i), bucket.readAll("conc/" + i));
    }
  }

  @Test
  void rejectsKeysThatAreNotKeys() {
    for (String bad : List.of("", "/a", "a/", "a//b", "a/../b", "./a", "a\\b")) {
      assertThrows(IllegalArgumentException.class, () -> bucket.upload(bad, new byte[1]), bad);
    }
  }
}
