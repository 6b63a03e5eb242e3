package dev.strata.tsdb.textparse;

import java.io.IOException;
import java.util.Arrays;

/**
 * The bytes the parser currently sees: the whole input when it is an array, otherwise a window over
 * it that is refilled at entry boundaries.
 *
 * <p>The parser lexes one entry at a time from {@link #pos}. Reading at or past {@link #limit} when
 * more input exists throws {@link NeedMore}; the parser then calls {@link #refill}, which keeps the
 * current line (moving it to the front, or growing the array for a line longer than the window) and
 * appends what follows, and the entry is lexed again from its start. Refills happen once per
 * window, so the retry costs nothing measurable, and the hot loops see a plain array.
 */
final class Window {

  /** Thrown when the lexer needs bytes that have not been read yet; carries no stack trace. */
  static final class NeedMore extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private NeedMore() {
      super(null, null, false, false);
    }
  }

  private static final NeedMore NEED_MORE = new NeedMore();
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

  private final OpenMetricsInput.Source source;

  byte[] buf;
  int limit; // end of the valid bytes in buf
  boolean eof; // limit is the end of the input
  int pos; // start of the next entry
  int lineStart; // start of the current line, <= pos
  private long base; // absolute offset of buf[0]
  private long nextRead; // absolute offset of the next byte to read from the source

  Window(OpenMetricsInput.Source source, int windowSize) {
    this.source = source;
    byte[] array = source.array();
    if (array != null) {
      buf = array;
      int from = source.arrayOffset();
      pos = from;
      lineStart = from;
      limit = from + (int) source.size();
      base = -from;
      eof = true;
    } else {
      buf = new byte[(int) Math.max(16, Math.min(windowSize, Math.max(source.size(), 16)))];
      eof = source.size() == 0;
    }
  }

  /** The byte at {@code i} (0..255), or {@link OpenMetricsParser#END} past the end of the input. */
  int at(int i) {
    if (i < limit) {
      return buf[i] & 0xFF;
    }
    if (eof) {
      return Lexing.END;
    }
    throw NEED_MORE;
  }

  /** The position after {@code i} and any NUL bytes that follow it. */
  int nextSkippingNul(int i) {
    i++;
    while (at(i) == 0) {
      i++;
    }
    return i;
  }

  /** The offset of buffer index {@code i} from the start of the input. */
  long absolute(int i) {
    return base + i;
  }

  String description() {
    return source.description();
  }

  /** Keeps the current line and reads more input after it. */
  void refill() throws IOException {
    int keepFrom = lineStart;
    int kept = limit - keepFrom;
    if (keepFrom == 0 && limit == buf.length) {
      if (buf.length == MAX_ARRAY) {
        throw new IOException(
            description()
                + ": a line is longer than "
                + MAX_ARRAY
                + " bytes, which is not supported");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(MAX_ARRAY, buf.length * 2L));
    } else if (keepFrom > 0) {
      System.arraycopy(buf, keepFrom, buf, 0, kept);
      base += keepFrom;
      pos -= keepFrom;
      lineStart = 0;
    }
    limit = kept;
    long size = source.size();
    while (limit < buf.length && nextRead < size) {
      int want = (int) Math.min(buf.length - limit, size - nextRead);
      int n = source.read(nextRead, buf, limit, want);
      if (n <= 0) {
        throw new IOException(
            description() + ": the input ended at byte " + nextRead + " of " + size);
      }
      limit += n;
      nextRead += n;
    }
    eof = nextRead >= size;
  }
}
