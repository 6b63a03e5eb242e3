package dev.strata.tier.objstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
