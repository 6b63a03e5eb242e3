package dev.strata.examples.cli;

import dev.strata.tsdb.fileutil.FileSync;
import dev.strata.tsdb.fileutil.FileTrees;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The rule for a command that replaces its output directory on every run: it deletes only what it
 * can prove it created itself. When it creates a directory (or takes over an empty one) it first
 * writes a marker file naming the command and its run; a later run replaces the directory only if
 * that marker is there and every other entry is one the command writes, as its {@link EntryCheck}
 * decides, knowing the marked run. Anything else is refused with a message naming the directory
 * and the ways out: an empty or new directory, or {@code --force}.
 */
final class OwnedDirectory {
  /** The marker file, first in a directory the command created. */
  static final String MARKER = ".strata-owner";

  private final Path dir;
  private final String command;
  private final boolean forced;

  private OwnedDirectory(Path dir, String command, boolean forced) {
    this.dir = dir;
    this.command = command;
    this.forced = forced;
  }

  /** What the marker says: the command that created the directory, and its run. */
  record Marker(String command, String runId) {}

  /** Whether an entry of a marked directory is the command's own output. */
  @FunctionalInterface
  interface EntryCheck {
    boolean isOwn(Path entry, Marker marker) throws IOException;
  }

  /** A directory holding what the command cannot prove it wrote. */
  static final class NotOwnedException extends IOException {
    NotOwnedException(String message) {
      super(message);
    }
  }

  /**
   * Checks, deleting nothing yet, that {@code command} may make {@code dir} its own: it is absent,
   * empty, marked by an earlier run whose entries {@code check} proves the command's own, or
   * {@code force} is on. Check every directory of a run before {@link #claim claiming} any.
   *
   * @param option the option that named the directory, for the message
   * @throws NotOwnedException when the directory holds anything else and {@code force} is off
   */
  static OwnedDirectory inspect(Path dir, String command, EntryCheck check, boolean force,
      String option) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return new OwnedDirectory(dir, command, false);
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new NotOwnedException(dir + ": not a directory; pass a directory with " + option);
    }
    List<String> strangers = strangers(dir, command, check);
    if (!strangers.isEmpty() && !force) {
      throw new NotOwnedException(String.format(
          "%s holds files that are not an earlier %s's (%s), so it is left alone; pass an empty"
              + " or new directory with %s, or add --force to delete everything in it",
          dir, command, describe(strangers), option));
    }
    return new OwnedDirectory(dir, command, !strangers.isEmpty());
  }

  /**
   * Empties or creates the directory and marks it as run {@code runId}'s, first thing, so that even
   * a run that dies next leaves a directory the next run may replace.
   */
  void claim(String runId, PrintWriter err) throws IOException {
    if (forced) {
      err.printf("strata %s: --force: deleting %s and everything in it%n", command, dir);
    }
    FileTrees.deleteRecursively(dir);
    Files.createDirectories(dir);
    FileSync.writeAtomically(dir.resolve(MARKER), dir.resolve(MARKER + ".tmp"),
        ("command=" + command + "\nrun=" + runId + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** The entries that stop a replacement: all of them without a marker of this command. */
  private static List<String> strangers(Path dir, String command, EntryCheck check)
      throws IOException {
    Optional<Marker> marker = readMarker(dir.resolve(MARKER));
    List<String> strangers = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
        String name = entry.getFileName().toString();
        if (name.equals(MARKER)) {
          continue;
        }
        if (marker.isEmpty() || !marker.get().command().equals(command)
            || !check.isOwn(entry, marker.get())) {
          strangers.add(name);
        }
      }
    }
    if (marker.isEmpty() && !strangers.isEmpty()) {
      strangers.add(0, "no " + MARKER + " marker");
    }
    return strangers;
  }

  private static String describe(List<String> strangers) {
    int shown = Math.min(3, strangers.size());
    String list = String.join(", ", strangers.subList(0, shown));
    return strangers.size() > shown ? list + ", ..." : list;
  }

  private static Optional<Marker> readMarker(Path file) throws IOException {
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    String command = null;
    String run = null;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("command=")) {
        command = line.substring("command=".length());
      } else if (line.startsWith("run=")) {
        run = line.substring("run=".length());
      }
    }
    return command == null || run == null ? Optional.empty() : Optional.of(new Marker(command, run));
  }
}
