package dev.strata.tier.objstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilesystemBucketTest extends BucketContract {
  @Override
  protected Bucket newBucket() throws IOException {
    return FilesystemBucket.open(tmp.path().resolve("bucket"));
  }

  @Test
  void staleUploadsAreRemovedAndNeverListed() throws IOException {
    Path root = ((FilesystemBucket) bucket).root();
    Path stale = root.resolve(FilesystemBucket.TMP_DIR).resolve("half-written");
    Files.createDirectories(stale.getParent());
    Files.write(stale, new byte[100]);
    assertEquals(List.of(), keys("", true));
    assertEquals(List.of(), keys("", false));
    FilesystemBucket.open(root).close();
    assertFalse(Files.exists(stale));
    assertThrows(IllegalArgumentException.class, () -> bucket.upload(FilesystemBucket.TMP_DIR + "/x", new byte[1]));
  }

  @Test
  void emptyDirectoriesAreNotPrefixes() throws IOException {
    Path root = ((FilesystemBucket) bucket).root();
    Files.createDirectories(root.resolve("ghost/dir"));
    bucket.upload("real/x", new byte[1]);
    assertEquals(List.of("real/"), keys("", false));
  }

  @Test
  void readersNeedTheDirectoryWritersMayCreateIt() throws IOException {
    Path missing = tmp.path().resolve("no-such-bucket");
    BucketAccessException e =
        assertThrows(BucketAccessException.class, () -> FilesystemBucket.openExisting(missing));
    assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    assertFalse(Files.exists(missing), "a reader creates nothing");
    BucketAccessException viaConfig = assertThrows(BucketAccessException.class,
        () -> BucketConfig.filesystem(missing).openExisting());
    assertTrue(viaConfig.getMessage().contains(missing.toString()), viaConfig.getMessage());

    Path file = Files.writeString(tmp.path().resolve("a-file"), "x");
    assertTrue(assertThrows(BucketAccessException.class, () -> FilesystemBucket.openExisting(file))
        .getMessage().contains("is not a directory"));

    List<Path> created = new ArrayList<>();
    BucketConfig.filesystem(missing).openOrCreate(created::add).close();
    assertEquals(List.of(missing), created);
    assertTrue(Files.isDirectory(missing));
    FilesystemBucket.openOrCreate(missing, created::add).close();
    assertEquals(1, created.size(), "an existing directory is not reported as created");
    FilesystemBucket.openExisting(missing).close();
  }
}
