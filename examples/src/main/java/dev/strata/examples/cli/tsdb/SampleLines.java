package dev.strata.examples.cli.tsdb;

import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.textparse.GoFloatFormat;
import java.io.Flushable;
import java.io.IOException;
import java.io.Writer;

/**
 * Writes samples as promtool's dump prints them, {@code {__name__="up", job="a"} 1 1700000000000},
 * one line each. A dump is millions of such lines: the series' label text is built once per
 * series, and lines are gathered in a large buffer handed to the writer in one call when full,
 * where promtool writes every line with its own system call.
 */
final class SampleLines implements Flushable {
  private static final int BUFFER_CHARS = 1 << 16;

  private final Writer out;
  private final char[] buf = new char[BUFFER_CHARS];
  private final StringBuilder value = new StringBuilder(32);
  private int pos;
  private char[] prefix = new char[0];
  private int prefixLength;

  SampleLines(Writer out) {
    this.out = out;
  }

  /** Starts the lines of the series with these labels. */
  void series(Labels labels) {
    String text = labels.toString();
    prefixLength = text.length() + 1;
    if (prefix.length < prefixLength) {
      prefix = new char[Math.max(prefixLength, prefix.length * 2)];
    }
    text.getChars(0, text.length(), prefix, 0);
    prefix[prefixLength - 1] = ' ';
  }

  /** Writes one line for a sample of the current series. */
  void sample(long t, double v) throws IOException {
    value.setLength(0);
    GoFloatFormat.append(value, v);
    int need = prefixLength + value.length() + 22;
    if (pos + need > buf.length) {
      drain();
      if (need > buf.length) { // a label set larger than the buffer: write it straight through
        out.write(prefix, 0, prefixLength);
        out.write(value.toString());
        out.write(' ' + Long.toString(t) + '\n');
        return;
      }
    }
    System.arraycopy(prefix, 0, buf, pos, prefixLength);
    pos += prefixLength;
    value.getChars(0, value.length(), buf, pos);
    pos += value.length();
    buf[pos++] = ' ';
    pos = appendLong(t, pos);
    buf[pos++] = '\n';
  }

  // Writes the decimal digits of t at p; returns the position after them.
  private int appendLong(long t, int p) {
    if (t == Long.MIN_VALUE) {
      String s = Long.toString(t);
      s.getChars(0, s.length(), buf, p);
      return p + s.length();
    }
    if (t < 0) {
      buf[p++] = '-';
      t = -t;
    }
    int digits = 1;
    for (long x = t; x >= 10; x /= 10) {
      digits++;
    }
    int end = p + digits;
    for (int i = end - 1; i >= p; i--) {
      buf[i] = (char) ('0' + t % 10);
      t /= 10;
    }
    return end;
  }

  private void drain() throws IOException {
    out.write(buf, 0, pos);
    pos = 0;
  }

  @Override
  public void flush() throws IOException {
    drain();
    out.flush();
  }
}
