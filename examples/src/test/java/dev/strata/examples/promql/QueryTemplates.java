package dev.strata.examples.promql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query templates with {@code {{name}}} placeholders, expanded as the compliance tester expands its
 * list: one query per combination of the values of the variant lists a template uses.
 *
 * <p>Format, one entry a line: {@code # comment}, {@code @name = value value ...} (a variant
 * list, values separated by spaces), or a template.
 */
final class QueryTemplates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\.?(\\w+)}}");

  private final Map<String, List<String>> variants = new LinkedHashMap<>();
  private final List<String> templates = new ArrayList<>();

  static QueryTemplates parse(String text) {
    QueryTemplates t = new QueryTemplates();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("@")) {
        int eq = line.indexOf('=');
        t.variants.put(line.substring(1, eq).strip(), List.of(line.substring(eq + 1).strip().split("\\s+")));
      } else {
        t.templates.add(line);
      }
    }
    return t;
  }

  List<String> templates() {
    return templates;
  }

  /** Every template expanded, duplicates removed, in file order. */
  List<String> expandAll() {
    return expand(templates);
  }

  /** The given templates (placeholders as {@code {{name}}} or {@code {{.name}}}) expanded. */
  List<String> expand(List<String> someTemplates) {
    Set<String> queries = new LinkedHashSet<>();
    for (String template : someTemplates) {
      expandInto(template, queries);
    }
    return List.copyOf(queries);
  }

  private void expandInto(String template, Set<String> queries) {
    Matcher m = PLACEHOLDER.matcher(template);
    if (!m.find()) {
      queries.add(template);
      return;
    }
    String name = m.group(1);
    List<String> values = variants.get(name);
    if (values == null) {
      throw new IllegalArgumentException("no variant list @" + name + " for: " + template);
    }
    // Every occurrence of the same placeholder takes the same value, as in a Go template.
    Pattern same = Pattern.compile("\\{\\{\\.?" + Pattern.quote(name) + "}}");
    for (String value : values) {
      expandInto(same.matcher(template).replaceAll(Matcher.quoteReplacement(value)), queries);
    }
  }
}
