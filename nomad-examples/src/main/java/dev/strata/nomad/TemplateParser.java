package dev.strata.nomad;

import dev.strata.nomad.ConsulTemplate.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Parses the text/template subset {@link ConsulTemplate} renders. */
final class TemplateParser {
  private final String src;

  TemplateParser(String src) {
    this.src = src;
  }

  /** A block being filled: its keyword, pipeline, body, and its else part once one is seen. */
  private static final class Open {
    final String keyword;
    final Pipeline pipeline;
    final List<Node> body = new ArrayList<>();
    List<Node> otherwise;

    Open(String keyword, Pipeline pipeline) {
      this.keyword = keyword;
      this.pipeline = pipeline;
    }

    List<Node> current() {
      return otherwise != null ? otherwise : body;
    }
  }

  List<Node> parse() {
    List<Node> top = new ArrayList<>();
    Deque<Open> open = new ArrayDeque<>();
    int i = 0;
    boolean trimNext = false;
    while (i < src.length()) {
      int start = src.indexOf("{{", i);
      String text = start < 0 ? src.substring(i) : src.substring(i, start);
      if (trimNext) {
        text = text.stripLeading();
      }
      if (start < 0) {
        add(top, open, new Node.Text(text));
        break;
      }
      int end = src.indexOf("}}", start);
      if (end < 0) {
        throw error(start, "unclosed {{");
      }
      String action = src.substring(start + 2, end);
      // "{{- " trims the whitespace before, " -}}" the whitespace after (Go needs the space).
      if (action.startsWith("- ") || action.startsWith("-\n") || action.equals("-")) {
        text = text.stripTrailing();
        action = action.substring(1);
      }
      trimNext = action.endsWith(" -") || action.endsWith("\n-");
      if (trimNext) {
        action = action.substring(0, action.length() - 1);
      }
      add(top, open, new Node.Text(text));
      action = action.strip();
      i = end + 2;

      String keyword = action.split("\\s+", 2)[0];
      String rest = action.substring(keyword.length()).strip();
      switch (keyword) {
        case "range", "if", "with" -> open.push(new Open(keyword, Pipeline.parse(rest, start)));
        case "else" -> {
          if (open.isEmpty() || open.peek().otherwise != null) {
            throw error(start, "else without range, if or with");
          }
          if (!rest.isEmpty()) {
            throw error(start, "else " + rest + " is not supported");
          }
          open.peek().otherwise = new ArrayList<>();
        }
        case "end" -> {
          if (open.isEmpty()) {
            throw error(start, "end without range, if or with");
          }
          Open o = open.pop();
          List<Node> otherwise = o.otherwise == null ? List.of() : o.otherwise;
          Node n = switch (o.keyword) {
            case "range" -> new Node.Range(o.pipeline, o.body, otherwise);
            case "if" -> new Node.If(o.pipeline, o.body, otherwise);
            default -> new Node.With(o.pipeline, o.body, otherwise);
          };
          add(top, open, n);
        }
        default -> {
          if (!action.startsWith("/*")) {
            add(top, open, new Node.Output(Pipeline.parse(action, start)));
          }
        }
      }
    }
    if (!open.isEmpty()) {
      throw error(src.length(), open.peek().keyword + " without end");
    }
    return top;
  }

  private static void add(List<Node> top, Deque<Open> open, Node n) {
    if (n instanceof Node.Text t && t.text().isEmpty()) {
      return;
    }
    (open.isEmpty() ? top : open.peek().current()).add(n);
  }

  private IllegalArgumentException error(int offset, String what) {
    int line = 1;
    for (int k = 0; k < offset && k < src.length(); k++) {
      if (src.charAt(k) == '\n') {
        line++;
      }
    }
    return new IllegalArgumentException("template line " + line + ": " + what);
  }
}
