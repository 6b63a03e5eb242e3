package dev.strata.examples.cli.tsdb;

import java.util.ArrayList;
import java.util.List;

/**
 * Aligns tab-separated text as Go's {@code text/tabwriter} does with no flags and a padding
 * character other than tab, the layout of promtool's block tables.
 *
 * <p>Its rules differ from a plain "pad every column to its widest cell": a cell counts only if a
 * tab ends it, so the last cell of a line never widens its column; a column's width is its widest
 * cell plus the padding, but at least the minimum width; and a column is aligned only over a run of
 * consecutive lines that all have a cell in it, so a line with fewer cells starts new runs for the
 * columns it lacks. Widths count characters (code points), not bytes.
 */
final class GoTabWriter {
  private final int minWidth;
  private final int padding;
  private final char padChar;

  private final List<List<String>> lines = new ArrayList<>();
  private List<String> line = new ArrayList<>();
  private final StringBuilder cell = new StringBuilder();

  private final List<Integer> widths = new ArrayList<>();
  private StringBuilder out;

  GoTabWriter(int minWidth, int padding, char padChar) {
    this.minWidth = minWidth;
    this.padding = padding;
    this.padChar = padChar;
  }

  /** Buffers {@code text}; tabs end cells and newlines end lines. */
  GoTabWriter print(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\t') {
        endCell();
      } else if (c == '\n') {
        endCell();
        lines.add(line);
        line = new ArrayList<>();
      } else {
        cell.append(c);
      }
    }
    return this;
  }

  private void endCell() {
    line.add(cell.toString());
    cell.setLength(0);
  }

  /** Lays out everything buffered and returns it; the writer is then empty. */
  String flush() {
    if (cell.length() > 0) {
      endCell();
    }
    lines.add(line); // the unterminated last line, written without a newline
    out = new StringBuilder();
    format(0, lines.size());
    String text = out.toString();
    lines.clear();
    line = new ArrayList<>();
    widths.clear();
    return text;
  }

  // Lays out lines [line0, line1) for the column widths.size(), whose left neighbours are known.
  private void format(int line0, int line1) {
    int column = widths.size();
    for (int current = line0; current < line1; current++) {
      if (column >= lines.get(current).size() - 1) {
        continue;
      }
      // A run of lines with a tab-terminated cell in this column starts here.
      writeLines(line0, current);
      line0 = current;
      int width = minWidth;
      for (; current < line1; current++) {
        List<String> cells = lines.get(current);
        if (column >= cells.size() - 1) {
          break;
        }
        String c = cells.get(column);
        width = Math.max(width, c.codePointCount(0, c.length()) + padding);
      }
      widths.add(width);
      format(line0, current);
      widths.remove(widths.size() - 1);
      line0 = current;
    }
    writeLines(line0, line1);
  }

  private void writeLines(int line0, int line1) {
    for (int i = line0; i < line1; i++) {
      List<String> cells = lines.get(i);
      for (int j = 0; j < cells.size(); j++) {
        String c = cells.get(j);
        out.append(c);
        if (j < widths.size()) {
          for (int k = c.codePointCount(0, c.length()); k < widths.get(j); k++) {
            out.append(padChar);
          }
        }
      }
      if (i + 1 < lines.size()) {
        out.append('\n');
      }
    }
  }
}
