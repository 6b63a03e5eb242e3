package dev.strata.tsdb.textparse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test support: parses an input completely into a readable transcript, or the error, and checks
 * that every way of feeding the parser (in place, through small windows, from a file, from a direct
 * buffer) gives the same result.
 */
final class Parsed {

  private Parsed() {}

  /** The outcome of parsing a whole input. */
  record Outcome(List<String> entries, OpenMetricsParseException error) {
    /** The transcript; fails if parsing failed. */
    List<String> ok() {
      if (error != null) {
        throw new AssertionError("expected success, got: " + error.getMessage(), error);
      }
      return entries;
    }

    /** The error; fails if parsing succeeded. */
    OpenMetricsParseException failed() {
      if (error == null) {
        throw new AssertionError("expected an error, got " + entries);
      }
      return error;
    }

    @Override
    public String toString() {
      return error == null ? entries.toString() : "error: " + error.getMessage();
    }
  }

  static Outcome parse(String text) {
    return parse(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses {@code bytes} every way and checks that all ways agree. */
  static Outcome parse(byte[] bytes) {
    Outcome inPlace = run(OpenMetricsInput.of(bytes));
    for (int window : new int[] {16, 17, 61}) {
      Outcome w = run(OpenMetricsInput.windowed(bytes, window));
      assertEquals(inPlace.toString(), w.toString(), "through a window of " + window + " bytes");
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 3);
    direct.put(new byte[] {1, 2, 3}).put(bytes).position(3);
    assertEquals(inPlace.toString(), run(OpenMetricsInput.of(direct)).toString(), "direct buffer");
    try {
      Path file = Files.createTempFile("strata-om", ".txt");
      try {
        Files.write(file, bytes);
        try (OpenMetricsInput in = OpenMetricsInput.open(file, 32)) {
          String fromFile = run(in).toString().replace(file + ": ", "");
          assertEquals(inPlace.toString(), fromFile, "from a file");
        }
      } finally {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return inPlace;
  }

  private static Outcome run(OpenMetricsInput input) {
    List<String> out = new ArrayList<>();
    OpenMetricsParser p = input.parser();
    try {
      while (true) {
        OpenMetricsParser.Entry e = p.next();
        out.add(describe(p, e));
        if (e == OpenMetricsParser.Entry.EOF) {
          // Further calls keep saying EOF.
          assertEquals(OpenMetricsParser.Entry.EOF, p.next());
          return new Outcome(out, null);
        }
      }
    } catch (OpenMetricsParseException e) {
      try {
        p.next();
        throw new AssertionError("a failed parser went on");
      } catch (OpenMetricsParseException again) {
        assertEquals(e, again, "the same failure is thrown again");
      } catch (IOException other) {
        throw new UncheckedIOException(other);
      }
      return new Outcome(out, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String describe(OpenMetricsParser p, OpenMetricsParser.Entry e) {
    return switch (e) {
      case SAMPLE ->
          p.labels()
              + " "
              + GoFloatFormat.format(p.value())
              + (p.hasTimestamp() ? " @" + p.timestamp() : "")
              + (p.hasExemplar() ? " " + describe(p.exemplar()) : "");
      case HELP -> "HELP " + p.metricName() + " " + p.help();
      case TYPE -> "TYPE " + p.metricName() + " " + p.type().text();
      case UNIT -> "UNIT " + p.metricName() + " " + p.unit();
      case EOF -> "EOF";
    };
  }

  private static String describe(Exemplar x) {
    return "# "
        + x.labels()
        + " "
        + GoFloatFormat.format(x.value())
        + (x.hasTimestamp() ? " @" + x.timestamp() : "");
  }
}
