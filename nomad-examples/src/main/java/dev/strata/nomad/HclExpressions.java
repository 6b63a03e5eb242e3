package dev.strata.nomad;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the HCL2 expressions a job file keeps as {@code ${...}} strings in its JSON form: the
 * part of HCL that Nomad evaluates when it reads the job ({@code var.*}, {@code local.*}, list and
 * string literals, string templates, {@code concat}). References Nomad leaves for the client to
 * fill in when it starts a task ({@code ${NOMAD_ADDR_http}}, {@code ${attr.*}}, ...) are kept as
 * they are, for {@link NomadEnvironment} to substitute.
 *
 * <p>Only what the job files use is supported; anything else (another function, an operator) is an
 * {@link IllegalArgumentException} that names it, so a job using more fails its check loudly
 * instead of being half evaluated.
 */
final class HclExpressions {
  private final Map<String, Object> variables;
  private final Map<String, Object> locals;

  /** Values are {@code String}, {@code Boolean}, {@code Number} or {@code List} of those. */
  HclExpressions(Map<String, Object> variables, Map<String, Object> locals) {
    this.variables = variables;
    this.locals = locals;
  }

  /**
   * A value from the JSON form: a string that is one {@code ${...}} is that expression's value (a
   * list stays a list); any other string is a template, its interpolations replaced by their text.
   */
  Object evaluate(String s) {
    if (s.startsWith("${") && closingBrace(s, 2) == s.length() - 1) {
      String inner = s.substring(2, s.length() - 1);
      Object v = new Parser(inner).whole();
      return v instanceof RuntimeReference ? s : v;
    }
    return template(s);
  }

  /**
   * The template {@code s} with its interpolations replaced; {@code $${} stands for {@code ${} and
   * {@code %%{} for {@code %{}. A directive ({@code %{ if }}, {@code %{ for }}) is not supported.
   */
  String template(String s) {
    for (int d = s.indexOf("%{"); d >= 0; d = s.indexOf("%{", d + 2)) {
      if (d == 0 || s.charAt(d - 1) != '%') {
        throw new IllegalArgumentException("unsupported template directive %{...} in: " + s);
      }
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      int at = s.indexOf("${", i);
      if (at < 0) {
        literal(out, s, i, s.length());
        break;
      }
      if (at > 0 && s.charAt(at - 1) == '$') {
        literal(out, s, i, at - 1);
        out.append("${");
        i = at + 2;
        continue;
      }
      literal(out, s, i, at);
      int end = closingBrace(s, at + 2);
      if (end < 0) {
        throw new IllegalArgumentException("unclosed ${ in: " + s);
      }
      String inner = s.substring(at + 2, end);
      Object v = new Parser(inner).whole();
      out.append(v instanceof RuntimeReference ? "${" + inner + "}" : text(v, inner));
      i = end + 1;
    }
    return out.toString();
  }

  private static void literal(StringBuilder out, String s, int from, int to) {
    out.append(s.substring(from, to).replace("%%{", "%{"));
  }

  private static String text(Object v, String expression) {
    if (v instanceof List) {
      throw new IllegalArgumentException("a list in a string template: ${" + expression + "}");
    }
    return String.valueOf(v);
  }

  // The index of the } closing a ${ whose expression starts at from, skipping nested braces and
  // quoted strings; -1 if there is none.
  private static int closingBrace(String s, int from) {
    int depth = 0;
    boolean quoted = false;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == '#' || (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '/')) {
        int eol = s.indexOf('\n', i);
        if (eol < 0) {
          return -1;
        }
        i = eol;
      } else if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
        int close = s.indexOf("*/", i + 2);
        if (close < 0) {
          return -1;
        }
        i = close + 1;
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      }
    }
    return -1;
  }

  /** A reference Nomad fills in on the client, such as {@code NOMAD_ADDR_http}. */
  private record RuntimeReference(String text) {}

  /** Recursive descent over one expression. */
  private final class Parser {
    private final String src;
    private int pos;

    Parser(String src) {
      this.src = src;
    }

    Object whole() {
      Object v = expression();
      skipSpace();
      if (pos != src.length()) {
        throw error("unexpected " + src.substring(pos));
      }
      return v;
    }

    private Object expression() {
      skipSpace();
      if (pos >= src.length()) {
        throw error("expression expected");
      }
      char c = src.charAt(pos);
      if (c == '"') {
        return string();
      }
      if (c == '[') {
        return list();
      }
      if (c == '-' || Character.isDigit(c)) {
        return number();
      }
      if (Character.isLetter(c) || c == '_') {
        return reference();
      }
      throw error("unsupported expression");
    }

    private List<Object> list() {
      pos++; // [
      List<Object> items = new ArrayList<>();
      while (true) {
        skipSpace();
        if (peek(']')) {
          pos++;
          return items;
        }
        items.add(expression());
        skipSpace();
        if (peek(',')) {
          pos++;
        } else if (!peek(']')) {
          throw error("',' or ']' expected");
        }
      }
    }

    private String string() {
      int start = ++pos;
      StringBuilder raw = new StringBuilder();
      while (pos < src.length() && src.charAt(pos) != '"') {
        char c = src.charAt(pos);
        if (c == '\\' && pos + 1 < src.length()) {
          char e = src.charAt(++pos);
          raw.append(switch (e) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> e;
          });
        } else if (c == '$' && src.startsWith("${", pos)) {
          int end = closingBrace(src, pos + 2);
          if (end < 0) {
            throw error("unclosed ${");
          }
          raw.append(src, pos, end + 1);
          pos = end;
        } else {
          raw.append(c);
        }
        pos++;
      }
      if (pos >= src.length()) {
        throw error("unterminated string starting at " + start);
      }
      pos++; // closing quote
      return template(raw.toString());
    }

    private Number number() {
      int start = pos;
      pos++;
      while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
        pos++;
      }
      String n = src.substring(start, pos);
      return n.contains(".") ? (Number) Double.parseDouble(n) : (Number) Long.parseLong(n);
    }

    private Object reference() {
      int start = pos;
      String root = identifier();
      skipSpace();
      if (peek('(')) {
        pos++;
        List<Object> args = new ArrayList<>();
        while (true) {
          skipSpace();
          if (peek(')')) {
            pos++;
            break;
          }
          args.add(expression());
          skipSpace();
          if (peek(',')) {
            pos++;
          } else if (!peek(')')) {
            throw error("',' or ')' expected");
          }
        }
        return call(root, args);
      }
      switch (root) {
        case "true":
          return Boolean.TRUE;
        case "false":
          return Boolean.FALSE;
        case "var":
        case "local":
          break;
        default:
          // attr.x, NOMAD_PORT_y, ...: left for the client. Consume the rest of the traversal.
          while (pos < src.length() && (peek('.') || Character.isLetterOrDigit(src.charAt(pos))
              || src.charAt(pos) == '_' || src.charAt(pos) == '-')) {
            pos++;
          }
          return new RuntimeReference(src.substring(start, pos));
      }
      if (!peek('.')) {
        throw error(root + " needs a name after it");
      }
      pos++;
      String name = identifier();
      Map<String, Object> scope = root.equals("var") ? variables : locals;
      if (!scope.containsKey(name)) {
        throw error("no " + root + "." + name + " is defined");
      }
      return scope.get(name);
    }

    private Object call(String function, List<Object> args) {
      if (!function.equals("concat")) {
        throw error("unsupported function " + function + "()");
      }
      List<Object> all = new ArrayList<>();
      for (Object a : args) {
        if (!(a instanceof List<?> l)) {
          throw error("concat() takes lists, got " + a);
        }
        all.addAll(l);
      }
      return all;
    }

    private String identifier() {
      int start = pos;
      while (pos < src.length()
          && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_' || src.charAt(pos) == '-')) {
        pos++;
      }
      if (start == pos) {
        throw error("name expected");
      }
      return src.substring(start, pos);
    }

    private boolean peek(char c) {
      return pos < src.length() && src.charAt(pos) == c;
    }

    // Whitespace and comments (#, // and /* */), which HCL allows between a list's items.
    private void skipSpace() {
      while (pos < src.length()) {
        char c = src.charAt(pos);
        if (Character.isWhitespace(c)) {
          pos++;
        } else if (c == '#' || src.startsWith("//", pos)) {
          int eol = src.indexOf('\n', pos);
          pos = eol < 0 ? src.length() : eol + 1;
        } else if (src.startsWith("/*", pos)) {
          int close = src.indexOf("*/", pos + 2);
          if (close < 0) {
            throw error("unclosed /* comment");
          }
          pos = close + 2;
        } else {
          return;
        }
      }
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException(what + " at offset " + pos + " of ${" + src + "}");
    }
  }
}
