package dev.strata.tsdb.fileutil;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void createDirectoriesNamesTheFileInTheWay() throws Exception {
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    assertEquals(file.toString(), assertThrows(NotDirectoryException.class,
        () -> FileTrees.createDirectories(file)).getFile());
    assertEquals(file.toString(), assertThrows(NotDirectoryException.class,
        () -> FileTrees.createDirectories(file.resolve("a/b"))).getFile());

    Path fresh = tmp.resolve("x/y/z");
    assertEquals(fresh, FileTrees.createDirectories(fresh));
    assertTrue(Files.isDirectory(fresh));
    FileTrees.createDirectories(fresh); // an existing directory is fine
  }
}
