package dev.strata.tsdb.textparse;

import static dev.strata.tsdb.textparse.Lexing.CLASSES;
import static dev.strata.tsdb.textparse.Lexing.END;
import static dev.strata.tsdb.textparse.Lexing.METRIC_PART;
import static dev.strata.tsdb.textparse.Lexing.METRIC_START;
import static dev.strata.tsdb.textparse.Lexing.describe;
import static dev.strata.tsdb.textparse.Lexing.endsWith;
import static dev.strata.tsdb.textparse.Lexing.quote;

import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over OpenMetrics text that accepts exactly what Prometheus 2.42's OpenMetrics parser
 * accepts (the one {@code promtool tsdb create-blocks-from openmetrics} uses), one entry per call
 * to {@link #next}.
 *
 * <p>Accessors describe the current entry until the next call to {@link #next}. Sample label sets
 * come from a cache keyed by the series text, so a series that repeats costs no allocation. The
 * grammar, as 2.42 has it:
 *
 * <ul>
 *   <li>{@code # HELP name text}, {@code # TYPE name type}, {@code # UNIT name unit}, each ending
 *       with a newline; any other comment is an error, and so is an empty line.
 *   <li>{@code name[{label="value",...}] value [timestamp] [# {label="value",...} value
 *       [timestamp]]}: single spaces, no trailing comma, exemplars only on names ending in {@code
 *       _total} or {@code _bucket}. No other family or suffix rule is enforced.
 *   <li>{@code # EOF}, optionally followed by one newline, and nothing after it.
 * </ul>
 *
 * <p>Two rules come from Prometheus's head rather than its parser, because promtool applies them
 * before writing anything: labels with empty values are dropped, and a label name given twice
 * (after that, and counting {@code __name__} set by the metric name) is an error.
 *
 * <p>A NUL byte is skipped by Prometheus's lexer inside label values, help texts and after {@code
 * "# "}, and lands in the text; that odd behaviour is reproduced so that both accept the same
 * inputs and build the same label values. Not thread-safe.
 */
public final class OpenMetricsParser {

  /** What {@link #next} found. */
  public enum Entry {
    /** A sample line: {@link #labels}, {@link #value}, {@link #timestamp}, {@link #exemplar}. */
    SAMPLE,
    /** {@code # HELP}: {@link #metricName}, {@link #help}. */
    HELP,
    /** {@code # TYPE}: {@link #metricName}, {@link #type}. */
    TYPE,
    /** {@code # UNIT}: {@link #metricName}, {@link #unit}. */
    UNIT,
    /** {@code # EOF}: the input ended correctly; every further call returns this again. */
    EOF
  }

  private final Window in;
  private final SeriesCache cache;
  private final LabelText text;

  private long linesDone; // newlines consumed before the current position
  private long line;
  private OpenMetricsParseException failure;
  private boolean ended;

  // The current entry.
  private Entry entry;
  private String metricName;
  private String metaText;
  private MetricType type;
  private Labels labels;
  private double value;
  private boolean hasTimestamp;
  private long timestamp;

  private final LabelList seriesLabels;
  private final LabelList exemplarLabels;

  private boolean hasExemplar;
  private double exemplarValue;
  private boolean exemplarHasTimestamp;
  private long exemplarTimestamp;

  OpenMetricsParser(Window in, SeriesCache cache, LabelText text) {
    this.in = in;
    this.cache = cache;
    this.text = text;
    this.seriesLabels = new LabelList(in, text, this);
    this.exemplarLabels = new LabelList(in, text, this);
  }

  /**
   * Moves to the next entry.
   *
   * @throws OpenMetricsParseException if the input is invalid at this entry (and on every call
   *     after that)
   * @throws IOException if reading the input fails
   */
  public Entry next() throws IOException {
    if (failure != null) {
      throw failure;
    }
    if (ended) {
      return Entry.EOF;
    }
    while (true) {
      try {
        entry = parseEntry();
        return entry;
      } catch (OpenMetricsParseException e) {
        failure = e;
        throw e;
      } catch (Window.NeedMore more) {
        in.refill();
      }
    }
  }

  /** The 1-based line of the current entry. */
  public long line() {
    return line;
  }

  /** The metric name of a HELP, TYPE or UNIT entry, or of a sample. */
  public String metricName() {
    return entry == Entry.SAMPLE ? labels.metricName() : metricName;
  }

  /** The label set of a sample, {@code __name__} included. */
  public Labels labels() {
    return labels;
  }

  /** The value of a sample; NaN has Go's bits ({@code 0x7ff8000000000001}), as promtool writes. */
  public double value() {
    return value;
  }

  /** Whether the sample has a timestamp. */
  public boolean hasTimestamp() {
    return hasTimestamp;
  }

  /**
   * The sample's timestamp in milliseconds: the seconds in the text, parsed as a double, multiplied
   * by 1000 in double arithmetic and truncated toward zero (so {@code 1.001} gives 1000); a product
   * outside the long range gives {@link Long#MIN_VALUE}, as Go on amd64 does.
   */
  public long timestamp() {
    return timestamp;
  }

  /** The help text of a HELP entry, with {@code \\}, {@code \"} and {@code \n} unescaped. */
  public String help() {
    return entry == Entry.HELP ? metaText : null;
  }

  /** The unit of a UNIT entry, as written (possibly empty). */
  public String unit() {
    return entry == Entry.UNIT ? metaText : null;
  }

  /** The type of a TYPE entry. */
  public MetricType type() {
    return entry == Entry.TYPE ? type : null;
  }

  /** Whether the sample has an exemplar. */
  public boolean hasExemplar() {
    return entry == Entry.SAMPLE && hasExemplar;
  }

  /** The sample's exemplar, or null; built on each call. */
  public Exemplar exemplar() {
    if (!hasExemplar()) {
      return null;
    }
    return new Exemplar(
        exemplarLabels.buildLenient(), exemplarValue, exemplarHasTimestamp, exemplarTimestamp);
  }

  // ---- entries ----

  private Entry parseEntry() throws OpenMetricsParseException {
    int p = in.pos;
    line = linesDone + 1;
    int c = in.at(p);
    if (c == '#') {
      return parseHashLine(p);
    }
    if (c >= 0 && (CLASSES[c] & METRIC_START) != 0) {
      return parseSample(p);
    }
    if (c == END) {
      throw fail(p, "the input ends without \"# EOF\"");
    }
    throw fail(
        p,
        "expected a metric name or \"# HELP\", \"# TYPE\", \"# UNIT\", \"# EOF\" at the start of"
            + " the line, got "
            + describe(c));
  }

  private Entry parseHashLine(int p) throws OpenMetricsParseException {
    Window w = in;
    if (w.at(p + 1) != ' ') {
      throw fail(p + 1, "expected a space after \"#\", got " + describe(w.at(p + 1)));
    }
    int q = p + 2;
    int c = w.at(q);
    Entry kind;
    String word;
    switch (c) {
      case 'E' -> {
        q = expectWord(q, "EOF");
        int newline = w.at(q) == '\n' ? q : -1;
        if (newline >= 0) {
          q = w.nextSkippingNul(q);
        }
        if (w.at(q) != END) {
          // Report it where it is; no retry can follow, so the position may move.
          if (newline >= 0) {
            line++;
            w.lineStart = newline + 1;
          }
          throw fail(q, "unexpected data after \"# EOF\", which must end the input");
        }
        if (newline >= 0) {
          linesDone++;
        }
        ended = true;
        w.pos = q;
        return Entry.EOF;
      }
      case 'H' -> {
        kind = Entry.HELP;
        word = "HELP";
      }
      case 'T' -> {
        kind = Entry.TYPE;
        word = "TYPE";
      }
      case 'U' -> {
        kind = Entry.UNIT;
        word = "UNIT";
      }
      default ->
          throw fail(
              q,
              "a comment must be \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\" in OpenMetrics,"
                  + " got \"# "
                  + (c < 0 ? "" : (char) c)
                  + "...\"");
    }
    q = expectWord(q, word);
    if (w.at(q) != ' ') {
      throw fail(q, "expected a space after \"# " + word + "\", got " + describe(w.at(q)));
    }
    q = w.nextSkippingNul(q);
    int nameStart = q;
    c = w.at(q);
    if (c < 0 || (CLASSES[c] & METRIC_START) == 0) {
      throw fail(q, "expected a metric name after \"# " + word + "\", got " + describe(c));
    }
    q = skipName(q + 1, METRIC_PART);
    int nameEnd = q;
    if (w.at(q) != ' ') {
      throw fail(
          q, "expected a space and the " + word.toLowerCase() + " text, got " + describe(w.at(q)));
    }
    int tokenStart = q;
    do {
      q = w.nextSkippingNul(q);
      c = w.at(q);
    } while (c != '\n' && c != END);
    if (c == END) {
      throw fail(q, "the line ends without a newline (a \"# " + word + "\" line needs one)");
    }
    int newline = q;
    int tokenEnd = w.nextSkippingNul(q);
    // Prometheus strips the space and the token's last byte, which is the newline unless NULs
    // followed it.
    int textStart = tokenStart + 1;
    int textEnd = tokenEnd - 1;
    byte[] buf = w.buf;
    metricName = text.ascii(buf, nameStart, nameEnd);
    if (kind == Entry.TYPE) {
      String t = new String(buf, textStart, textEnd - textStart, StandardCharsets.ISO_8859_1);
      type = MetricType.ofText(t);
      if (type == null) {
        throw fail(
            textStart,
            "unknown metric type "
                + quote(buf, textStart, textEnd)
                + "; expected counter, gauge, histogram, gaugehistogram, summary, info, stateset"
                + " or unknown");
      }
      metaText = null;
    } else if (kind == Entry.HELP) {
      if (!LabelText.isValidUtf8(buf, textStart, textEnd)) {
        throw fail(textStart, "the help text is not valid UTF-8");
      }
      metaText = text.help(buf, textStart, textEnd);
    } else {
      metaText = new String(buf, textStart, textEnd - textStart, StandardCharsets.UTF_8);
      checkUnit(buf, nameStart, nameEnd, textStart, textEnd);
    }
    linesDone++;
    w.lineStart = newline + 1;
    w.pos = tokenEnd;
    return kind;
  }

  // Prometheus requires a non-empty unit to be a suffix of the metric name after a '_'.
  private void checkUnit(byte[] buf, int nameStart, int nameEnd, int unitStart, int unitEnd)
      throws OpenMetricsParseException {
    int u = unitEnd - unitStart;
    if (u == 0) {
      return;
    }
    int n = nameEnd - nameStart;
    boolean ok =
        n >= u + 1
            && Arrays.equals(buf, nameEnd - u, nameEnd, buf, unitStart, unitEnd)
            && buf[nameEnd - u - 1] == '_';
    if (!ok) {
      throw fail(
          unitStart,
          "the unit "
              + quote(buf, unitStart, unitEnd)
              + " must end the metric name after a '_' (as in foo_"
              + quote(buf, unitStart, unitEnd).replace("\"", "")
              + ")");
    }
  }

  // Matches `word` starting at q (whose first letter is known), skipping NULs between letters as
  // Prometheus does after "# ", and returns the position after it.
  private int expectWord(int q, String word) throws OpenMetricsParseException {
    for (int k = 1; k < word.length(); k++) {
      q = in.nextSkippingNul(q);
      if (in.at(q) != word.charAt(k)) {
        throw fail(
            q,
            "a comment must be \"# HELP\", \"# TYPE\", \"# UNIT\" or \"# EOF\" in OpenMetrics;"
                + " expected \""
                + word
                + "\", got "
                + describe(in.at(q)));
      }
    }
    return in.nextSkippingNul(q);
  }

  private Entry parseSample(int p) throws OpenMetricsParseException {
    Window w = in;
    int q = skipName(p + 1, METRIC_PART);
    int nameEnd = q;
    if (w.at(q) == '{') {
      q = seriesLabels.lex(q + 1, true);
    } else {
      seriesLabels.clear();
    }
    int seriesEnd = q;
    if (w.at(q) != ' ') {
      throw fail(
          q,
          "expected a space and a value after "
              + (seriesEnd > nameEnd ? "the labels" : "the metric name")
              + ", got "
              + describe(w.at(q)));
    }
    int valueStart = q + 1;
    int valueEnd = skipToken(valueStart);
    byte[] buf = w.buf;
    int hash = SeriesCache.hash(buf, p, seriesEnd);
    Labels l = cache.get(buf, p, seriesEnd, hash);
    if (l == null) {
      l = seriesLabels.build(p, nameEnd);
      cache.put(buf, p, seriesEnd, hash, l);
    }
    if (valueEnd == valueStart) {
      throw fail(valueStart, "expected a value, got " + describe(w.at(valueStart)));
    }
    double v = number(valueStart, valueEnd, "value");
    boolean hasTs = false;
    long ts = 0;
    boolean exemplar = false;
    q = valueEnd;
    int c = w.at(q);
    if (c == ' ') {
      if (startsExemplar(q)) {
        exemplar = true;
      } else {
        int tsStart = q + 1;
        int tsEnd = skipToken(tsStart);
        if (tsEnd == tsStart) {
          throw fail(
              tsStart, "expected a timestamp or an exemplar, got " + describe(w.at(tsStart)));
        }
        ts = timestampMillis(tsStart, tsEnd, "timestamp");
        hasTs = true;
        q = tsEnd;
        c = w.at(q);
        if (c == ' ' && startsExemplar(q)) {
          exemplar = true;
        } else if (c != '\n') {
          throw fail(q, "expected the end of the line after the timestamp, got " + describe(c));
        }
      }
    } else if (c != '\n') {
      throw fail(q, "expected a timestamp or the end of the line, got " + describe(c));
    }
    if (exemplar) {
      q = parseExemplar(q + 4, p, nameEnd);
    }
    if (w.at(q) == END) {
      throw fail(q, "the input ends without \"# EOF\"");
    }
    labels = l;
    value = v;
    hasTimestamp = hasTs;
    timestamp = ts;
    hasExemplar = exemplar;
    linesDone++;
    w.pos = q + 1;
    w.lineStart = q + 1;
    return Entry.SAMPLE;
  }

  // Whether " # {" starts at q. Anything else starting with " #" is a timestamp Prometheus
  // cannot parse, so it fails either way.
  private boolean startsExemplar(int q) throws OpenMetricsParseException {
    if (in.at(q + 1) != '#') {
      return false;
    }
    if (in.at(q + 2) == ' ') {
      if (in.at(q + 3) != '{') {
        throw fail(q + 3, "expected \"{\" to start the exemplar, got " + describe(in.at(q + 3)));
      }
      return true;
    }
    return false;
  }

  // Parses the exemplar after " # {" and returns the position of the newline ending the line (or
  // the end of input).
  private int parseExemplar(int q, int nameStart, int nameEnd) throws OpenMetricsParseException {
    Window w = in;
    byte[] buf = w.buf;
    if (!endsWith(buf, nameStart, nameEnd, "_total")
        && !endsWith(buf, nameStart, nameEnd, "_bucket")) {
      throw fail(
          q - 3,
          "metric "
              + text.ascii(buf, nameStart, nameEnd)
              + " cannot have an exemplar: only names ending in _total or _bucket can");
    }
    q = exemplarLabels.lex(q, false);
    exemplarLabels.checkUtf8("exemplar label value");
    if (w.at(q) != ' ') {
      throw fail(q, "expected a space and the exemplar's value, got " + describe(w.at(q)));
    }
    int vs = q + 1;
    int ve = skipToken(vs);
    if (ve == vs) {
      throw fail(vs, "expected the exemplar's value, got " + describe(w.at(vs)));
    }
    exemplarValue = number(vs, ve, "exemplar value");
    exemplarHasTimestamp = false;
    exemplarTimestamp = 0;
    q = ve;
    int c = w.at(q);
    if (c == ' ') {
      int ts = q + 1;
      int te = skipToken(ts);
      if (te == ts) {
        throw fail(ts, "expected the exemplar's timestamp, got " + describe(w.at(ts)));
      }
      exemplarTimestamp = timestampMillis(ts, te, "exemplar timestamp");
      exemplarHasTimestamp = true;
      q = te;
      c = w.at(q);
      if (c != '\n') {
        throw fail(
            q, "expected the end of the line after the exemplar's timestamp, got " + describe(c));
      }
    } else if (c != '\n' && c != END) {
      throw fail(q, "expected the exemplar's timestamp or the end of the line, got " + describe(c));
    }
    return q;
  }

  // ---- tokens ----

  int skipName(int q, byte part) {
    Window w = in;
    byte[] buf = w.buf;
    int limit = w.limit;
    while (q < limit && (CLASSES[buf[q] & 0xFF] & part) != 0) {
      q++;
    }
    while (true) {
      int c = w.at(q);
      if (c < 0 || (CLASSES[c] & part) == 0) {
        return q;
      }
      q++;
    }
  }

  // A value or timestamp runs to the next space, newline, NUL or the end of input.
  private int skipToken(int q) {
    Window w = in;
    byte[] buf = w.buf;
    int limit = w.limit;
    while (true) {
      if (q >= limit) {
        w.at(q); // refills, or the input ends here
        return q;
      }
      byte b = buf[q];
      if (b == ' ' || b == '\n' || b == 0) {
        return q;
      }
      q++;
    }
  }

  private double number(int from, int to, String what) throws OpenMetricsParseException {
    try {
      return GoFloatParse.parse(in.buf, from, to);
    } catch (GoFloatParse.Invalid e) {
      throw fail(from, "invalid " + what + " " + quote(in.buf, from, to) + ": " + e.getMessage());
    }
  }

  private long timestampMillis(int from, int to, String what) throws OpenMetricsParseException {
    double seconds = number(from, to, what);
    if (Double.isNaN(seconds) || Double.isInfinite(seconds)) {
      throw fail(
          from,
          "invalid "
              + what
              + " "
              + quote(in.buf, from, to)
              + ": must be a finite number of seconds");
    }
    return toMillis(seconds);
  }

  /**
   * Prometheus's conversion of seconds to milliseconds, {@code int64(ts * 1000)} on amd64: a double
   * product truncated toward zero; out of range gives {@code Long.MIN_VALUE} (CVTTSD2SQ's answer),
   * where Java would saturate.
   */
  static long toMillis(double seconds) {
    double ms = seconds * 1000.0;
    if (ms >= 0x1p63 || ms < -0x1p63) {
      return Long.MIN_VALUE;
    }
    return (long) ms;
  }

  // ---- errors ----

  OpenMetricsParseException fail(int index, String reason) {
    long column = in.absolute(index) - in.absolute(in.lineStart) + 1;
    return new OpenMetricsParseException(in.description(), line, column, reason);
  }

  /** The failure for a sample without a timestamp, for backfill passes. */
  OpenMetricsParseException missingTimestamp() {
    return new OpenMetricsParseException(
        in.description(),
        line,
        0,
        "sample of "
            + labels
            + " has no timestamp; every sample needs one to be written to a block");
  }
}
