package dev.strata.tsdb.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.block.BlockDirectories.BlockDirectory;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockDirectoriesTest {

  @TempDir Path data;

  static final Ulid A = Ulid.parse("01M8962N0FJNS2CQA16J6NKE3V");
  static final Ulid B = Ulid.parse("01M8962N20X8MXR58D37ADKPCG");
  static final Ulid C = Ulid.parse("01M896847XCM5A7BX9NWXDM8Z7");

  private Path block(String name, boolean withMeta) throws IOException {
    Path dir = Files.createDirectories(data.resolve(name));
    if (withMeta) {
      Files.writeString(dir.resolve("meta.json"), "{}");
    }
    return dir;
  }

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(data)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void listsUlidNamedDirectoriesWithMetaInUlidOrder() throws IOException {
    Path c = block(C.toString(), true);
    Path a = block(A.toString(), true);
    Path b = block(B.toString().toLowerCase(Locale.ROOT), true); // Prometheus accepts lower case
    block("01M8962N0FJNS2CQA16J6NKE3X", false); // no meta.json: unfinished or broken
    block(A + BlockDirectories.TMP_FOR_CREATION_SUFFIX, true);
    block(A + BlockDirectories.TMP_FOR_DELETION_SUFFIX, true);
    block("wal", false);
    block("chunks_head", false);
    block("01M8962N0FJNS2CQA16J6NKE3U", true); // U is not base32
    Files.writeString(data.resolve("01M8962N0FJNS2CQA16J6NKE3W"), "a file, not a directory");
    Files.createSymbolicLink(data.resolve("01M8962N0FJNS2CQA16J6NKE3Y"), a);
    Files.writeString(data.resolve("queries.active"), "");

    assertEquals(
        List.of(new BlockDirectory(A, a), new BlockDirectory(B, b), new BlockDirectory(C, c)),
        BlockDirectories.list(data));
  }

  @Test
  void temporaryNamesAreAUlidWithATemporarySuffix() {
    assertTrue(BlockDirectories.isTemporary(A + ".tmp-for-creation"));
    assertTrue(BlockDirectories.isTemporary(A + ".tmp-for-deletion"));
    assertTrue(BlockDirectories.isTemporary(A + ".tmp"));
    assertFalse(BlockDirectories.isTemporary(A.toString()));
    assertFalse(BlockDirectories.isTemporary("wal.tmp"));
    assertFalse(BlockDirectories.isTemporary(A + ".tmp-for-something"));
    assertFalse(BlockDirectories.isTemporary(A + ".tmp-for-creation.tmp"));
    assertFalse(BlockDirectories.isTemporary(".tmp-for-creation"));
  }

  @Test
  void removeTemporaryDeletesLeftoversOnly() throws IOException {
    Path creating = block(A + ".tmp-for-creation", true);
    Files.createDirectories(creating.resolve("chunks")).resolve("000001").toFile().createNewFile();
    block(B + ".tmp-for-deletion", false);
    block(C + ".tmp", false);
    block(C.toString(), true);
    block("wal.tmp-for-creation", false);
    Files.writeString(data.resolve(A + ".tmp"), "a file with a temporary name");

    List<Path> removed = BlockDirectories.removeTemporary(data);

    assertEquals(3, removed.size());
    assertEquals(List.of(A + ".tmp", C.toString(), "wal.tmp-for-creation"), names());
  }

  @Test
  void createWritesUnderATemporaryNameAndRenames() throws IOException {
    Path[] seenDir = new Path[1];
    Path created =
        BlockDirectories.create(
            data,
            A,
            dir -> {
              seenDir[0] = dir;
              assertEquals(List.of(A + ".tmp-for-creation"), names());
              Files.createDirectories(dir.resolve("chunks"));
              Files.writeString(dir.resolve("chunks/000001"), "chunks");
              BlockMetaFile.write(dir, BlockMeta.newBlock(A, 0, 1, BlockStats.EMPTY));
            });
    assertEquals(data.resolve(A.toString()), created);
    assertEquals(data.resolve(A + ".tmp-for-creation"), seenDir[0]);
    assertEquals(List.of(A.toString()), names());
    assertEquals("chunks", Files.readString(created.resolve("chunks/000001")));
    assertEquals(List.of(new BlockDirectory(A, created)), BlockDirectories.list(data));
  }

  @Test
  void createReplacesALeftoverTemporaryDirectory() throws IOException {
    Path leftover = block(A + ".tmp-for-creation", true);
    Files.writeString(leftover.resolve("index"), "half written before a crash");
    Path created =
        BlockDirectories.create(data, A, dir -> Files.writeString(dir.resolve("x"), "y"));
    try (Stream<Path> s = Files.list(created)) {
      assertEquals(List.of(created.resolve("x")), s.toList());
    }
  }

  @Test
  void failedCreationLeavesNothingBehind() throws IOException {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                BlockDirectories.create(
                    data,
                    A,
                    dir -> {
                      Files.writeString(dir.resolve("index"), "partial");
                      throw new IOException("disk full");
                    }));
    assertEquals("disk full", e.getMessage());
    assertEquals(List.of(), names());
  }

  @Test
  void createRefusesAnExistingBlock() throws IOException {
    block(A.toString(), true);
    assertThrows(
        FileAlreadyExistsException.class, () -> BlockDirectories.create(data, A, dir -> {}));
    assertEquals(List.of(A.toString()), names());
  }

  @Test
  void deleteRemovesTheWholeBlockByWayOfATemporaryName() throws IOException {
    Path a = block(A.toString(), true);
    Files.createDirectories(a.resolve("chunks"));
    Files.writeString(a.resolve("chunks/000001"), "data");
    block(A + ".tmp-for-deletion", true); // left by a crash during an earlier deletion
    block(B.toString(), true);

    assertTrue(BlockDirectories.delete(a));
    assertEquals(List.of(B.toString()), names());
    assertFalse(BlockDirectories.delete(a));
    assertThrows(
        IllegalArgumentException.class, () -> BlockDirectories.delete(data.resolve("wal")));
  }

  @Test
  void pathIsTheUpperCaseUlid() {
    assertEquals(data.resolve("01M8962N0FJNS2CQA16J6NKE3V"), BlockDirectories.path(data, A));
  }
}
