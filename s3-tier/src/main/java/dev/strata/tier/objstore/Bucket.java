package dev.strata.tier.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A flat namespace of immutable objects addressed by {@code /}-separated keys: an S3 bucket or a
 * local directory. Blocks are written once and read many times, so the interface is small on
 * purpose: whole-object writes (there is no append or partial overwrite) and whole or ranged reads.
 *
 * <p>An object is visible in full or not at all: a failed or interrupted upload leaves no object
 * (S3 commits a PUT or a completed multipart upload atomically; the filesystem bucket renames a
 * finished temporary file into place). Keys never start with {@code /}; "directories" exist only
 * as common prefixes of keys, and disappear with their last object.
 *
 * <p>Implementations are thread-safe, and every call is bounded by the implementation's timeouts
 * (for S3: per attempt, with retries of transient failures inside the call), so a stuck network
 * turns into an {@link IOException} rather than a hung thread.
 */
public interface Bucket extends AutoCloseable {

  /** Most keys one page of a listing returns, as in S3. */
  int MAX_PAGE_SIZE = 1000;

  /** A name for messages, such as {@code s3://metrics/prefix} or a directory path; no secrets. */
  String name();

  /**
   * Writes {@code file} as object {@code key}, replacing any object there. Large files go up in
   * parts (S3 multipart upload), and a failed upload leaves nothing behind.
   */
  void upload(String key, Path file) throws IOException;

  /**
   * Writes {@code length} bytes read from {@code in} as object {@code key}. The stream is read
   * once, so a transient failure can only be retried within the bytes buffered for the current
   * part; prefer {@link #upload(String, Path)} for large objects.
   */
  void upload(String key, InputStream in, long length) throws IOException;

  /** Writes {@code bytes} as object {@code key}. */
  default void upload(String key, byte[] bytes) throws IOException {
    upload(key, new java.io.ByteArrayInputStream(bytes), bytes.length);
  }

  /**
   * The content of object {@code key}, streamed; close the stream.
   *
   * @throws ObjectNotFoundException if there is no such object
   */
  InputStream get(String key) throws IOException;

  /**
   * Bytes {@code [offset, offset + length)} of object {@code key}, streamed; the range is cut at
   * the end of the object, so a range starting at or past the end is empty.
   *
   * @throws ObjectNotFoundException if there is no such object
   */
  InputStream getRange(String key, long offset, long length) throws IOException;

  /** {@link #getRange} read into an array. */
  default byte[] readRange(String key, long offset, int length) throws IOException {
    try (InputStream in = getRange(key, offset, length)) {
      return in.readAllBytes();
    }
  }

  /** The whole object read into an array. */
  default byte[] readAll(String key) throws IOException {
    try (InputStream in = get(key)) {
      return in.readAllBytes();
    }
  }

  /** Whether object {@code key} exists. */
  boolean exists(String key) throws IOException;

  /**
   * Size and modification time of object {@code key}.
   *
   * @throws ObjectNotFoundException if there is no such object
   */
  ObjectAttributes attributes(String key) throws IOException;

  /** Size and modification time of object {@code key}, or empty if there is none. */
  default Optional<ObjectAttributes> attributesIfExists(String key) throws IOException {
    try {
      return Optional.of(attributes(key));
    } catch (ObjectNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * One page of the keys starting with {@code prefix}, in ascending byte order. Recursive listing
   * returns objects only; otherwise keys are cut after the first {@code /} following the prefix and
   * such "directories" are returned once each, with a trailing {@code /} (S3's delimiter listing).
   *
   * @param pageToken null for the first page, then {@link ListPage#nextPageToken()}
   * @param maxKeys at most this many entries, at most {@value #MAX_PAGE_SIZE}
   */
  ListPage list(String prefix, boolean recursive, String pageToken, int maxKeys)
      throws IOException;

  /** Calls {@code visitor} with every entry {@link #list} gives, page after page. */
  default void iterate(String prefix, boolean recursive, EntryVisitor visitor) throws IOException {
    String token = null;
    do {
      ListPage page = list(prefix, recursive, token, MAX_PAGE_SIZE);
      for (ListEntry e : page.entries()) {
        visitor.visit(e);
      }
      token = page.nextPageToken().orElse(null);
    } while (token != null);
  }

  /** Deletes object {@code key}; deleting a missing object is not an error. */
  void delete(String key) throws IOException;

  /** Releases connections and threads. */
  @Override
  void close();

  /** Receives listing entries. */
  @FunctionalInterface
  interface EntryVisitor {
    void visit(ListEntry entry) throws IOException;
  }
}
