package dev.strata.tier.objstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A bucket seen through a key prefix, as Thanos's {@code prefix} setting: keys are relative to it. */
final class PrefixedBucket implements Bucket {
  private final Bucket inner;
  private final String prefix; // ends with "/"

  PrefixedBucket(Bucket inner, String prefix) {
    this.inner = inner;
    this.prefix = normalize(prefix) + "/";
  }

  /** The prefix without leading or trailing slashes. */
  static String normalize(String prefix) {
    String p = prefix == null ? "" : prefix.trim();
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (!p.isEmpty()) {
      Keys.check(p);
    }
    return p;
  }

  private String k(String key) {
    return prefix + Keys.check(key);
  }

  @Override
  public String name() {
    return inner.name() + "/" + prefix.substring(0, prefix.length() - 1);
  }

  @Override
  public void upload(String key, Path file) throws IOException {
    inner.upload(k(key), file);
  }

  @Override
  public void upload(String key, InputStream in, long length) throws IOException {
    inner.upload(k(key), in, length);
  }

  @Override
  public InputStream get(String key) throws IOException {
    return inner.get(k(key));
  }

  @Override
  public InputStream getRange(String key, long offset, long length) throws IOException {
    return inner.getRange(k(key), offset, length);
  }

  @Override
  public byte[] readRange(String key, long offset, int length) throws IOException {
    return inner.readRange(k(key), offset, length);
  }

  @Override
  public boolean exists(String key) throws IOException {
    return inner.exists(k(key));
  }

  @Override
  public ObjectAttributes attributes(String key) throws IOException {
    return inner.attributes(k(key));
  }

  @Override
  public ListPage list(String listPrefix, boolean recursive, String pageToken, int maxKeys)
      throws IOException {
    Keys.checkPrefix(listPrefix);
    ListPage page = inner.list(prefix + listPrefix, recursive, pageToken, maxKeys);
    List<ListEntry> entries = new ArrayList<>(page.entries().size());
    for (ListEntry e : page.entries()) {
      entries.add(new ListEntry(e.key().substring(prefix.length()), e.directory(), e.size(),
          e.lastModified()));
    }
    return new ListPage(entries, page.nextPageToken());
  }

  @Override
  public void delete(String key) throws IOException {
    inner.delete(k(key));
  }

  @Override
  public void close() {
    inner.close();
  }
}
