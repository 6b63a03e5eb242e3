package dev.strata.tier.query;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Targets read from Prometheus file_sd files, as {@code thanos query --store.sd-files} reads them:
 * each file a JSON or YAML list of target groups (by its extension), of which only the targets are
 * used, duplicates collapsed. A file name may hold {@code *} wildcards, as Prometheus allows.
 *
 * <p>The files' directories are watched, so that a file written in place, replaced by a rename (as
 * editors and templating tools save files) or deleted is re-read within moments; every file is
 * also re-read every {@linkplain Builder#refreshInterval refresh interval}. A file that cannot be
 * read or parsed keeps the targets it last gave, and {@link #errors()} says, naming the file, what
 * is wrong; a file that is gone gives no targets.
 *
 * <pre>{@code
 * try (FileSd sd = FileSd.builder().file(Path.of("targets.yml")).start()) {
 *   Set<String> targets = sd.targets();
 * }
 * }</pre>
 */
public final class FileSd implements AutoCloseable {
  /** Thanos's {@code --store.sd-interval} default. */
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMinutes(5);

  /** How long to let a burst of file events settle before reading the files. */
  private static final long SETTLE_MILLIS = 50;

  private static final Logger log = LoggerFactory.getLogger(FileSd.class);

  /** One configured file or file-name pattern, in one directory. */
  private record FilePattern(Path dir, String name, PathMatcher matcher) {
    boolean isGlob() {
      return matcher != null;
    }
  }

  private final List<FilePattern> patterns;
  private final Duration refreshInterval;
  private final WatchService watcher;
  private final Map<Path, WatchKey> watched = new HashMap<>();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Object refreshLock = new Object();
  private final Thread thread;

  // Guarded by refreshLock; read under `this` for the accessors.
  private Map<Path, Set<String>> byFile = Map.of();
  private Map<Path, String> errors = Map.of();
  private Set<String> targets = Set.of();
  private volatile boolean closed;

  private FileSd(List<FilePattern> patterns, Duration refreshInterval) throws IOException {
    this.patterns = patterns;
    this.refreshInterval = refreshInterval;
    this.watcher = FileSystems.getDefault().newWatchService();
    refresh();
    this.thread = new Thread(this::run, "strata-file-sd");
    thread.setDaemon(true);
    thread.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The distinct targets of all files, sorted. */
  public synchronized Set<String> targets() {
    return targets;
  }

  /**
   * What is wrong with each file whose last read failed (it keeps the targets it last gave), by
   * file; empty when every file was read.
   */
  public synchronized Map<Path, String> errors() {
    return errors;
  }

  /** Reads the files now. */
  public void refresh() {
    boolean changed;
    synchronized (refreshLock) {
      Map<Path, Set<String>> nextByFile = new TreeMap<>();
      Map<Path, String> nextErrors = new TreeMap<>();
      for (Path file : listFiles()) {
        try {
          Set<String> read = TargetGroups.parse(
              file.getFileName().toString(), Files.readAllBytes(file));
          nextByFile.put(file, Collections.unmodifiableSet(read));
        } catch (NoSuchFileException gone) {
          // Deleted (or being replaced) since the listing: a later event reads it again.
        } catch (IOException | IllegalArgumentException e) {
          String what = "file SD file " + file + ": " + describe(e);
          if (!what.equals(errors.get(file))) {
            log.warn("{}; keeping its last targets", what);
          }
          nextErrors.put(file, what);
          Set<String> last = byFile.get(file);
          if (last != null) {
            nextByFile.put(file, last);
          }
        }
      }
      Set<String> nextTargets = new TreeSet<>();
      nextByFile.values().forEach(nextTargets::addAll);
      synchronized (this) {
        changed = !nextTargets.equals(targets);
        byFile = Collections.unmodifiableMap(nextByFile);
        errors = Collections.unmodifiableMap(nextErrors);
        targets = Collections.unmodifiableSet(nextTargets);
      }
      watchDirectories();
    }
    if (changed) {
      listeners.forEach(Runnable::run);
    }
  }

  /** Called after every refresh that changed the targets, on the refreshing thread. */
  void addListener(Runnable listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Stops watching the files. */
  @Override
  public void close() {
    closed = true;
    try {
      watcher.close();
    } catch (IOException e) {
      log.debug("closing the file SD watcher", e);
    }
    thread.interrupt();
  }

  private void run() {
    long nextRefresh = System.nanoTime() + refreshInterval.toNanos();
    while (!closed) {
      try {
        long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextRefresh - System.nanoTime()));
        WatchKey key = watcher.poll(wait, TimeUnit.MILLISECONDS);
        if (key != null) {
          // Let a save (write, or write then rename) finish, collecting the events it raises.
          do {
            key.pollEvents();
            if (!key.reset()) {
              forget(key);
            }
          } while ((key = watcher.poll(SETTLE_MILLIS, TimeUnit.MILLISECONDS)) != null);
        } else {
          nextRefresh = System.nanoTime() + refreshInterval.toNanos();
        }
        refresh();
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("file SD refresh failed", e);
      }
    }
  }

  private List<Path> listFiles() {
    Set<Path> files = new HashSet<>();
    for (FilePattern p : patterns) {
      if (!p.isGlob()) {
        Path file = p.dir().resolve(p.name());
        if (Files.isRegularFile(file)) {
          files.add(file);
        }
        continue;
      }
      try (DirectoryStream<Path> dir = Files.newDirectoryStream(p.dir(),
          f -> p.matcher().matches(f.getFileName()) && Files.isRegularFile(f))) {
        dir.forEach(files::add);
      } catch (IOException e) {
        // A missing directory matches no file, as an empty glob does.
      }
    }
    List<Path> sorted = new ArrayList<>(files);
    Collections.sort(sorted);
    return sorted;
  }

  /** Watches every directory of a pattern that exists and is not watched yet. */
  private void watchDirectories() {
    if (closed) {
      return;
    }
    synchronized (watched) {
      for (FilePattern p : patterns) {
        if (watched.containsKey(p.dir()) || !Files.isDirectory(p.dir())) {
          continue;
        }
        try {
          watched.put(p.dir(), p.dir().register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
              StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
        } catch (ClosedWatchServiceException e) {
          return;
        } catch (IOException e) {
          log.warn("cannot watch {} for file SD changes; reading it every {}: {}", p.dir(),
              refreshInterval, e.toString());
        }
      }
    }
  }

  /** A watched directory that went away: watched again if it comes back. */
  private void forget(WatchKey key) {
    synchronized (watched) {
      watched.values().remove(key);
    }
  }

  private static String describe(Exception e) {
    if (e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    return "cannot read it: " + e;
  }

  /** Which files to read and how often. */
  public static final class Builder {
    private final List<FilePattern> patterns = new ArrayList<>();
    private Duration refreshInterval = DEFAULT_REFRESH_INTERVAL;

    private Builder() {}

    /**
     * A file to read; its name may hold {@code *} or {@code ?} wildcards (not its directories).
     *
     * @throws IllegalArgumentException unless the name ends with {@code .json}, {@code .yml} or
     *     {@code .yaml}, or if a directory holds a wildcard
     */
    public Builder file(Path file) {
      Path abs = file.toAbsolutePath().normalize();
      Path name = abs.getFileName();
      if (name == null || !TargetGroups.supported(name.toString())) {
        throw new IllegalArgumentException("file SD path " + file
            + " must end with .json, .yml or .yaml");
      }
      Path dir = abs.getParent();
      if (hasWildcard(dir.toString())) {
        throw new IllegalArgumentException(
            "file SD path " + file + ": only the file name may hold wildcards");
      }
      String n = name.toString();
      PathMatcher matcher = hasWildcard(n)
          ? FileSystems.getDefault().getPathMatcher("glob:" + n)
          : null;
      patterns.add(new FilePattern(dir, n, matcher));
      return this;
    }

    /** Several files, as {@link #file(Path)}. */
    public Builder files(Collection<Path> files) {
      files.forEach(this::file);
      return this;
    }

    /** How often every file is re-read besides when it changes (5 minutes by default). */
    public Builder refreshInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("refresh interval must be positive: " + interval);
      }
      this.refreshInterval = interval;
      return this;
    }

    /**
     * Reads the files once, then starts watching them.
     *
     * @throws IOException if the file system offers no watch service
     */
    public FileSd start() throws IOException {
      if (patterns.isEmpty()) {
        throw new IllegalStateException("no file SD files given");
      }
      return new FileSd(List.copyOf(patterns), refreshInterval);
    }

    private static boolean hasWildcard(String s) {
      return s.indexOf('*') >= 0 || s.indexOf('?') >= 0;
    }
  }
}
