package dev.strata.tier.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prometheus file_sd files as {@code thanos query --store.sd-files} reads them: only targets,
 * once each; changes seen within moments through the directory watch (the periodic re-read is
 * left at 5 minutes here, so only the watch can see them).
 */
class FileSdTest {
  private static final Duration SOON = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void yamlAndJsonFilesGiveTheirTargetsOnce() throws Exception {
    Path yaml = write("a.yml", """
        - targets:
          - 'host1:10901'
          - 'host2:10901'
          labels:
            job: thanos
        - targets:
          - 'host2:10901'
          - 'store:10901'
        """);
    Path json = write("b.json", """
        [{"targets": ["store:10901", "host3:10901"], "labels": {"a": "b"}, "extra": 1}]
        """);
    try (FileSd sd = FileSd.builder().file(yaml).file(json).start()) {
      assertEquals(Set.of("host1:10901", "host2:10901", "store:10901", "host3:10901"),
          sd.targets());
      assertEquals("[host1:10901, host2:10901, host3:10901, store:10901]",
          sd.targets().toString(), "sorted");
      assertEquals(Map.of(), sd.errors());
    }
  }

  @Test
  void writeRenameAndDeleteAreSeenWithinSeconds() throws Exception {
    Path file = dir.resolve("targets.yaml");
    try (FileSd sd = FileSd.builder().file(file).start()) {
      assertEquals(Set.of(), sd.targets(), "no file yet: no targets, no error");
      assertEquals(Map.of(), sd.errors());

      write("targets.yaml", "- targets: ['a:1', 'b:2']\n");
      Eventually.within(SOON, () -> sd.targets().equals(Set.of("a:1", "b:2")), sd::toString);

      // As an editor or a template renderer saves: a new file renamed over the old one.
      Path tmp = write(".targets.yaml.tmp", "- targets: ['c:3']\n");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      Eventually.within(SOON, () -> sd.targets().equals(Set.of("c:3")), () -> "" + sd.targets());

      // Written in place.
      Files.writeString(file, "- targets: ['c:3', 'd:4']\n");
      Eventually.within(SOON, () -> sd.targets().equals(Set.of("c:3", "d:4")),
          () -> "" + sd.targets());

      Files.delete(file);
      Eventually.within(SOON, () -> sd.targets().isEmpty(), () -> "" + sd.targets());
      assertEquals(Map.of(), sd.errors());
    }
  }

  @Test
  void malformedFileKeepsItsLastTargetsAndTheErrorNamesIt() throws Exception {
    Path file = write("sd.yml", "- targets: ['a:1']\n");
    Path other = write("other.json", "[{\"targets\": [\"b:2\"]}]");
    try (FileSd sd = FileSd.builder().file(file).file(other).start()) {
      assertEquals(Set.of("a:1", "b:2"), sd.targets());

      Files.writeString(file, "- targets: ['a:1', 'x:9'\n  labels: [\n");
      Eventually.within(SOON, () -> sd.errors().containsKey(file), () -> "" + sd.errors());
      String error = sd.errors().get(file);
      assertTrue(error.contains(file.toString()) && error.contains("syntax error"), error);
      assertEquals(Set.of("a:1", "b:2"), sd.targets(), "the last good targets are kept");

      Files.writeString(file, "- targets: ['a:1']\n  port: 80\n");
      Eventually.within(SOON, () -> sd.errors().getOrDefault(file, "").contains("\"port\""),
          () -> "" + sd.errors());
      assertEquals(Set.of("a:1", "b:2"), sd.targets());

      Files.writeString(file, "- targets: ['e:5']\n");
      Eventually.within(SOON, () -> sd.errors().isEmpty(), () -> "" + sd.errors());
      assertEquals(Set.of("b:2", "e:5"), sd.targets());
    }
  }

  @Test
  void aFileNamePatternMatchesTheFilesOfItsDirectory() throws Exception {
    write("one.json", "[{\"targets\": [\"a:1\"]}]");
    write("two.json", "[{\"targets\": [\"b:2\"]}]");
    write("skipped.yml", "- targets: ['c:3']\n");
    try (FileSd sd = FileSd.builder().file(dir.resolve("*.json")).start()) {
      assertEquals(Set.of("a:1", "b:2"), sd.targets());
      write("three.json", "[{\"targets\": [\"d:4\"]}]");
      Eventually.within(SOON, () -> sd.targets().contains("d:4"), () -> "" + sd.targets());
    }
  }

  @Test
  void whatIsWrongWithAFileIsSaid() {
    assertEquals(Set.of(), TargetGroups.parse("x.yml", bytes("")), "empty YAML: no groups");
    assertEquals(Set.of(), TargetGroups.parse("x.json", bytes("null")));
    assertEquals(Set.of("a:1"), TargetGroups.parse("x.yaml", bytes("- targets: ['a:1', '']\n")));
    assertError("x.json", "", "empty file");
    assertError("x.json", "[] []", "syntax error");
    assertError("x.yml", "targets: ['a:1']\n", "expected a list of target groups, found a mapping");
    assertError("x.yml", "- targets: 'a:1'\n", "targets must be a list of strings");
    assertError("x.yml", "- targets: [[1]]\n", "target group 1: target [1] is not a string");
    assertError("x.yml", "- targets: []\n- null\n", "target group 2 is empty");
    assertError("x.yml", "- targets: []\n  labels: {a: [1]}\n", "label \"a\" is not a string");
    assertError("x.yml", "- targets: []\n  other: 1\n", "unknown field \"other\"");
    assertError("x.txt", "", "unsupported file extension");
  }

  @Test
  void onlyJsonAndYamlFilesCanBeGiven() {
    assertThrows(IllegalArgumentException.class, () -> FileSd.builder().file(dir.resolve("a.txt")));
    assertThrows(IllegalArgumentException.class,
        () -> FileSd.builder().file(dir.resolve("*").resolve("a.yml")));
    assertThrows(IllegalStateException.class, () -> FileSd.builder().start());
  }

  private static void assertError(String name, String content, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TargetGroups.parse(name, bytes(content)), content);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }
}
