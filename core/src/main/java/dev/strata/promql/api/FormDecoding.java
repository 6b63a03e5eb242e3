package dev.strata.promql.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code a=1&b=x%20y} pairs, as a query string or a form-encoded body carries them. */
final class FormDecoding {
  private FormDecoding() {}

  /** Adds the pairs of {@code encoded} (null or empty: none) to {@code params}, in order. */
  static void decodeInto(String encoded, Map<String, List<String>> params) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
  }

  static Map<String, List<String>> decode(String query, String form) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    decodeInto(form, params); // Go's Request.Form: the body's values come first
    decodeInto(query, params);
    return params;
  }
}
