package dev.strata.tier.objstore;

import dev.strata.tsdb.fileutil.FileSync;
import dev.strata.tsdb.labels.Utf8Order;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A bucket in a local directory: object {@code a/b/c} is the file {@code <root>/a/b/c}. The
 * embedded default, and what tests and single-machine setups use instead of S3.
 *
 * <p>Writes go to a temporary file under {@code <root>/.strata-uploads/}, are synced, and are
 * renamed into place (an atomic rename on one filesystem), so a reader never sees a partial
 * object and a crash leaves at most a temporary file, which opening the bucket removes. Deleting an
 * object removes directories it leaves empty, so "directories" vanish with their last object as
 * prefixes do in S3.
 *
 * <p>Local calls are not bounded by timeouts: the disk is assumed to answer.
 */
public final class FilesystemBucket implements Bucket {
  /** Directory under the root holding uploads in progress; never listed. */
  static final String TMP_DIR = ".strata-uploads";

  private final Path root;
  private final Path tmp;

  private FilesystemBucket(Path root) {
    this.root = root;
    this.tmp = root.resolve(TMP_DIR);
  }

  /**
   * Opens the bucket in {@code directory}, which must exist, as an S3 bucket must: for readers, to
   * whom a missing directory is a mistake (a typo in a path), not an empty bucket. Removes stale
   * temporary files.
   *
   * @throws BucketAccessException naming the directory if it does not exist or is not a directory
   */
  public static FilesystemBucket openExisting(Path directory) throws IOException {
    Path root = directory.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new BucketAccessException("bucket directory " + root
          + (Files.exists(root) ? " is not a directory" : " does not exist")
          + ": create it, or correct 'directory' in the objstore config");
    }
    return cleaned(new FilesystemBucket(root));
  }

  /**
   * Opens the bucket in {@code directory}, creating the directory if it is missing, for writers
   * (a shipper's first upload); {@code whenCreated} hears of the directory made, so that the
   * caller can say so.
   */
  public static FilesystemBucket openOrCreate(Path directory, Consumer<Path> whenCreated)
      throws IOException {
    Path root = directory.toAbsolutePath().normalize();
    boolean missing = !Files.isDirectory(root);
    Files.createDirectories(root);
    if (missing) {
      whenCreated.accept(root);
    }
    return cleaned(new FilesystemBucket(root));
  }

  /**
   * Opens the bucket in {@code directory}, creating the directory if it is missing, silently: the
   * behaviour before readers and writers were told apart, kept for existing callers. Prefer {@link
   * #openExisting} or {@link #openOrCreate}.
   */
  public static FilesystemBucket open(Path directory) throws IOException {
    return openOrCreate(directory, created -> {});
  }

  private static FilesystemBucket cleaned(FilesystemBucket bucket) throws IOException {
    if (Files.isDirectory(bucket.tmp)) {
      try (DirectoryStream<Path> stale = Files.newDirectoryStream(bucket.tmp)) {
        for (Path p : stale) {
          Files.deleteIfExists(p);
        }
      }
    }
    return bucket;
  }

  /** The directory holding the objects. */
  public Path root() {
    return root;
  }

  @Override
  public String name() {
    return root.toString();
  }

  private Path path(String key) {
    Keys.check(key);
    if (key.equals(TMP_DIR) || key.startsWith(TMP_DIR + "/")) {
      throw new IllegalArgumentException("object key \"" + key + "\" is reserved");
    }
    return root.resolve(key);
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    Path target = path(key);
    Path t = newTemp();
    try {
      Files.copy(file, t, StandardCopyOption.REPLACE_EXISTING);
      publish(t, target);
    } finally {
      Files.deleteIfExists(t);
    }
  }

  @Override
  public void upload(String key, InputStream in, long length) throws IOException {
    Path target = path(key);
    if (length < 0) {
      throw new IllegalArgumentException("negative length " + length);
    }
    Path t = newTemp();
    try {
      long copied;
      try (OutputStream out = Files.newOutputStream(t, StandardOpenOption.WRITE)) {
        copied = copy(in, out, length);
      }
      if (copied != length) {
        throw new IOException(
            "upload of " + key + " ended after " + copied + " of " + length + " bytes");
      }
      publish(t, target);
    } finally {
      Files.deleteIfExists(t);
    }
  }

  private static long copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buf = new byte[64 << 10];
    long total = 0;
    while (total < length) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, length - total));
      if (n < 0) {
        break;
      }
      out.write(buf, 0, n);
      total += n;
    }
    return total;
  }

  private Path newTemp() throws IOException {
    Files.createDirectories(tmp);
    Path t = tmp.resolve(UUID.randomUUID().toString());
    Files.createFile(t);
    return t;
  }

  // Syncs the temporary file and renames it over the target; a concurrent delete may remove the
  // target's (then empty) directory in between, in which case the directory is made again.
  private void publish(Path t, Path target) throws IOException {
    try (FileChannel ch = FileChannel.open(t, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    for (int attempt = 0; ; attempt++) {
      Files.createDirectories(target.getParent());
      try {
        Files.move(t, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        break;
      } catch (NoSuchFileException e) {
        if (attempt >= 3 || !Files.exists(t)) {
          throw e;
        }
      }
    }
    FileSync.directory(target.getParent());
  }

  @Override
  public InputStream get(String key) throws IOException {
    Path p = path(key);
    if (Files.isDirectory(p)) {
      throw new ObjectNotFoundException(name(), key);
    }
    try {
      return Files.newInputStream(p);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(name(), key);
    }
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    if (offset < 0 || length < 0) {
      throw new IllegalArgumentException("range at " + offset + " of " + length + " bytes");
    }
    Path p = path(key);
    if (Files.isDirectory(p)) {
      throw new ObjectNotFoundException(name(), key);
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(p, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(name(), key);
    }
    long size = ch.size();
    long start = Math.min(offset, size);
    return new BoundedInputStream(ch, start, Math.min(size, start + length));
  }

  @Override
  public boolean exists(String key) throws IOException {
    return Files.isRegularFile(path(key), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    Path p = path(key);
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(p, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new ObjectNotFoundException(name(), key);
    }
    if (!a.isRegularFile()) {
      throw new ObjectNotFoundException(name(), key);
    }
    return new ObjectAttributes(a.size(), a.lastModifiedTime().toInstant());
  }

  @Override
  public ListPage list(String prefix, boolean recursive, String pageToken, int maxKeys)
      throws IOException {
    Keys.checkPrefix(prefix);
    Keys.checkPageSize(maxKeys);
    // Every entry of the listing, sorted; pages are slices after the token (the last key given).
    TreeMap<String, ListEntry> all = new TreeMap<>(Utf8Order.COMPARATOR);
    int slash = prefix.lastIndexOf('/');
    String dirKey = slash < 0 ? "" : prefix.substring(0, slash + 1);
    Path dir = dirKey.isEmpty() ? root : root.resolve(dirKey);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return new ListPage(List.of(), Optional.empty());
    }
    if (recursive) {
      collectRecursive(dir, dirKey, prefix, all);
    } else {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path e : entries) {
          String name = e.getFileName().toString();
          if (dirKey.isEmpty() && name.equals(TMP_DIR)) {
            continue;
          }
          String key = dirKey + name;
          if (!key.startsWith(prefix)) {
            continue;
          }
          BasicFileAttributes a = readAttributes(e);
          if (a == null) {
            continue; // deleted meanwhile
          }
          if (a.isDirectory()) {
            if (holdsAnyFile(e)) {
              all.put(key + "/", ListEntry.directory(key + "/"));
            }
          } else if (a.isRegularFile()) {
            all.put(key, ListEntry.object(key, a.size(), a.lastModifiedTime().toInstant()));
          }
        }
      }
    }
    var tail = pageToken == null ? all : all.tailMap(pageToken, false);
    List<ListEntry> page = new ArrayList<>(Math.min(maxKeys, tail.size()));
    String last = null;
    for (ListEntry e : tail.values()) {
      if (page.size() == maxKeys) {
        return new ListPage(page, Optional.of(last));
      }
      page.add(e);
      last = e.key();
    }
    return new ListPage(page, Optional.empty());
  }

  private void collectRecursive(Path dir, String dirKey, String prefix, TreeMap<String, ListEntry> out)
      throws IOException {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
          if (d.equals(tmp)) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          String key = keyOf(d) + "/";
          // Skip directories that cannot hold keys with the prefix.
          if (!d.equals(dir) && !key.startsWith(prefix) && !prefix.startsWith(key)) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            String key = keyOf(f);
            if (key.startsWith(prefix)) {
              out.put(key, ListEntry.object(key, attrs.size(), attrs.lastModifiedTime().toInstant()));
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE; // deleted while listing
          }
          throw e;
        }
      });
    } catch (NoSuchFileException e) {
      // the directory went away while listing: nothing under it
    }
  }

  private String keyOf(Path p) {
    return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
  }

  private static BasicFileAttributes readAttributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  // Whether a directory holds a regular file somewhere below: a prefix exists only while a key has it.
  private static boolean holdsAnyFile(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      return files.anyMatch(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
    } catch (java.io.UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return false;
      }
      throw e.getCause();
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Path p = path(key);
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      return; // a prefix, not an object
    }
    Files.deleteIfExists(p);
    // Remove the directories the object leaves empty, up to the root.
    for (Path d = p.getParent(); d != null && !d.equals(root) && d.startsWith(root); d = d.getParent()) {
      try {
        Files.delete(d);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        break;
      }
    }
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "FilesystemBucket[" + root + "]";
  }
}
