package dev.strata.tsdb.block;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.tsdb.encoding.GoJsonStrings;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON tree exactly as Go's {@code encoding/json} does with a tab indent ({@code
 * MarshalIndent(v, "", "\t")} in Prometheus, an indenting {@code Encoder} in Thanos), so that a
 * {@code meta.json} Strata writes has the bytes Prometheus 2.42 would write.
 *
 * <p>Jackson's pretty printer differs in every detail that matters here: Go puts a space after the
 * colon but none before it, writes empty objects and arrays as {@code {}} and {@code []}, indents
 * with tabs, and escapes {@code <}, {@code >}, {@code &}, U+2028 and U+2029 (for embedding in HTML)
 * as six-character escapes with lower-case hex digits (backslash, {@code u}, four digits). Other
 * control characters except newline, carriage return and tab are such escapes too: the Go release
 * Prometheus 2.42 was built with (1.19) had no short forms for backspace and form feed. A lone
 * surrogate, which has no UTF-8 form, becomes U+FFFD as Go turns invalid UTF-8 into it.
 */
final class GoJson {
  private GoJson() {}

  static String write(JsonNode node) {
    StringBuilder out = new StringBuilder(512);
    value(node, 0, out);
    return out.toString();
  }

  private static void value(JsonNode node, int depth, StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> object(node, depth, out);
      case ARRAY -> array(node, depth, out);
      case STRING -> string(node.textValue(), out);
      case NUMBER -> number(node, out);
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default ->
          throw new IllegalArgumentException("a " + node.getNodeType() + " node has no JSON text");
    }
  }

  private static void object(JsonNode node, int depth, StringBuilder out) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.properties().iterator();
    if (!fields.hasNext()) {
      out.append("{}");
      return;
    }
    out.append('{');
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      newline(depth + 1, out);
      string(field.getKey(), out);
      out.append(": ");
      value(field.getValue(), depth + 1, out);
      if (fields.hasNext()) {
        out.append(',');
      }
    }
    newline(depth, out);
    out.append('}');
  }

  private static void array(JsonNode node, int depth, StringBuilder out) {
    int n = node.size();
    if (n == 0) {
      out.append("[]");
      return;
    }
    out.append('[');
    for (int i = 0; i < n; i++) {
      newline(depth + 1, out);
      value(node.get(i), depth + 1, out);
      if (i < n - 1) {
        out.append(',');
      }
    }
    newline(depth, out);
    out.append(']');
  }

  private static void newline(int depth, StringBuilder out) {
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append('\t');
    }
  }

  // Integers print as they are; decimals read from a file print as the exact value they were
  // read as (Jackson keeps them as BigDecimal), since no Go type is known for them.
  private static void number(JsonNode node, StringBuilder out) {
    if (node.isIntegralNumber()) {
      out.append(node.bigIntegerValue());
    } else if (node.isBigDecimal()) {
      out.append(node.decimalValue().toString());
    } else {
      double d = node.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new IllegalArgumentException("JSON has no form for the number " + d);
      }
      out.append(d);
    }
  }

  static void string(String s, StringBuilder out) {
    GoJsonStrings.append(s, out);
  }
}
