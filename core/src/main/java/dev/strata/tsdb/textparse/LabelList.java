package dev.strata.tsdb.textparse;

import static dev.strata.tsdb.textparse.Lexing.CLASSES;
import static dev.strata.tsdb.textparse.Lexing.END;
import static dev.strata.tsdb.textparse.Lexing.LABEL_PART;
import static dev.strata.tsdb.textparse.Lexing.LABEL_START;
import static dev.strata.tsdb.textparse.Lexing.describe;

import dev.strata.tsdb.labels.GoQuote;
import dev.strata.tsdb.labels.Labels;
import java.util.Arrays;

/**
 * One {@code {name="value",...}} list of a line, as Prometheus 2.42 lexes it: where each name and
 * value lies in the window, and on demand the {@link Labels} they make.
 *
 * <p>Lexing records positions only; strings are made when a label set is built, which for series
 * happens once per distinct series text thanks to the cache. Positions are valid until the window
 * moves, i.e. until the next entry is read.
 */
final class LabelList {

  private final Window in;
  private final LabelText text;
  private final OpenMetricsParser errors;

  // Per label: name start, name end, value start, value end (Prometheus's raw value, unescaped
  // only when built).
  private int[] at = new int[32];
  private int count;

  LabelList(Window in, LabelText text, OpenMetricsParser errors) {
    this.in = in;
    this.text = text;
    this.errors = errors;
  }

  /** Forgets the labels of the previous line: this one has none. */
  void clear() {
    count = 0;
  }

  /** Checks that every value is valid UTF-8, as Prometheus's lexer does. */
  void checkUtf8(String what) throws OpenMetricsParseException {
    for (int i = 0; i < count * 4; i += 4) {
      if (!LabelText.isValidUtf8(in.buf, at[i + 2], at[i + 3])) {
        throw errors.fail(at[i + 2] - 1, what + " is not valid UTF-8");
      }
    }
  }

  /** The labels as a set that drops empty values and keeps the last of repeated names. */
  Labels buildLenient() {
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < count * 4; i += 4) {
      b.set(text.ascii(in.buf, at[i], at[i + 1]), text.value(in.buf, at[i + 2], at[i + 3]));
    }
    return b.build();
  }

  /**
   * Lexes {@code label="value",...}} from q (just after the brace) and returns the position after
   * the closing brace. Label values of series skip NULs, those of exemplars do not, as in 2.42.
   */
  int lex(int q, boolean series) throws OpenMetricsParseException {
    Window w = in;
    count = 0;
    boolean first = true;
    while (true) {
      int c = w.at(q);
      if (c == '}') {
        return q + 1;
      }
      if (c == ',' && !first) {
        q++;
        c = w.at(q);
        if (c < 0 || (CLASSES[c] & LABEL_START) == 0) {
          throw errors.fail(q, "expected a label name after \",\", got " + describe(c));
        }
      } else if (c < 0 || (CLASSES[c] & LABEL_START) == 0 || !first) {
        throw errors.fail(
            q,
            (first ? "expected a label name or \"}\"" : "expected \",\" or \"}\" after a label")
                + ", got "
                + describe(c));
      }
      first = false;
      int nameStart = q;
      q = errors.skipName(q + 1, LABEL_PART);
      int nameEnd = q;
      if (w.at(q) != '=') {
        throw errors.fail(q, "expected \"=\" after the label name, got " + describe(w.at(q)));
      }
      q++;
      if (w.at(q) != '"') {
        throw errors.fail(q, "expected a quoted label value after \"=\", got " + describe(w.at(q)));
      }
      int open = q;
      q = series ? w.nextSkippingNul(q) : q + 1;
      byte[] buf = w.buf;
      while (true) {
        // Plain content in one tight loop; everything else below, byte by byte.
        int limit = w.limit;
        while (q < limit) {
          byte b = buf[q];
          if (b == '"' || b == '\\' || b == '\n' || b == 0) {
            break;
          }
          q++;
        }
        c = w.at(q);
        if (c == '"') {
          break;
        }
        if (c == 0 && series) {
          q++; // content, as for Prometheus's lexer which skips it
          continue;
        }
        if (c == '\\') {
          q = series ? w.nextSkippingNul(q) : q + 1;
          c = w.at(q);
          if (c == '\n' || c == END || c == 0) {
            throw errors.fail(
                q, "a backslash in a label value must escape a character, got " + describe(c));
          }
        } else if (c == '\n' || c == END || c == 0) {
          throw errors.fail(
              q,
              "the label value opened at column "
                  + (w.absolute(open) - w.absolute(w.lineStart) + 1)
                  + " has no closing quote, got "
                  + describe(c));
        }
        q = series ? w.nextSkippingNul(q) : q + 1;
      }
      // Past the closing quote; NULs right after it join the token, and Prometheus's value is
      // the token minus its first and last byte.
      int tokenEnd = series ? w.nextSkippingNul(q) : q + 1;
      if (count * 4 + 4 > at.length) {
        at = Arrays.copyOf(at, at.length * 2);
      }
      int k = count * 4;
      at[k] = nameStart;
      at[k + 1] = nameEnd;
      at[k + 2] = open + 1;
      at[k + 3] = tokenEnd - 1;
      count++;
      q = tokenEnd;
    }
  }

  Labels build(int nameStart, int nameEnd) throws OpenMetricsParseException {
    byte[] buf = in.buf;
    String[] pairs = new String[(count + 1) * 2];
    pairs[0] = Labels.METRIC_NAME;
    pairs[1] = text.ascii(buf, nameStart, nameEnd);
    int n = 2;
    for (int i = 0; i < count * 4; i += 4) {
      int vs = at[i + 2];
      int ve = at[i + 3];
      if (!LabelText.isValidUtf8(buf, vs, ve)) {
        throw errors.fail(vs - 1, "label value is not valid UTF-8");
      }
      String v = text.value(buf, vs, ve);
      if (!v.isEmpty()) { // Prometheus drops empty labels before anything else sees them
        pairs[n++] = text.ascii(buf, at[i], at[i + 1]);
        pairs[n++] = v;
      }
    }
    sortByName(pairs, n);
    for (int i = 2; i < n; i += 2) {
      if (pairs[i].equals(pairs[i - 2])) {
        throw duplicate(pairs[i]);
      }
    }
    return Labels.fromSortedTrusted(n == pairs.length ? pairs : Arrays.copyOf(pairs, n));
  }

  // Names are ASCII, so String order is UTF-8 byte order.
  private static void sortByName(String[] p, int n) {
    for (int i = 2; i < n; i += 2) {
      String name = p[i];
      String value = p[i + 1];
      int j = i - 2;
      while (j >= 0 && p[j].compareTo(name) > 0) {
        p[j + 2] = p[j];
        p[j + 3] = p[j + 1];
        j -= 2;
      }
      p[j + 2] = name;
      p[j + 3] = value;
    }
  }

  private OpenMetricsParseException duplicate(String name) {
    byte[] buf = in.buf;
    int seen = 0;
    int where = in.pos;
    for (int i = 0; i < count * 4; i += 4) {
      if (text.ascii(buf, at[i], at[i + 1]).equals(name) && at[i + 3] > at[i + 2]) {
        where = at[i];
        if (++seen == 2 || name.equals(Labels.METRIC_NAME)) {
          break;
        }
      }
    }
    return errors.fail(
        where,
        "label name "
            + GoQuote.quote(name)
            + " occurs more than once"
            + (name.equals(Labels.METRIC_NAME) ? " (the metric name already sets it)" : ""));
  }
}
