package dev.strata.promql.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a handler answers: status, content type, the whole body, and any further headers (a
 * redirect's {@code Location}, a page's {@code Cache-Control}).
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json";
  public static final String TEXT = "text/plain; charset=utf-8";

  public ApiResponse {
    headers = Map.copyOf(headers);
  }

  public ApiResponse(int status, String contentType, byte[] body) {
    this(status, contentType, body, Map.of());
  }

  public static ApiResponse json(int status, byte[] body) {
    return new ApiResponse(status, JSON, body);
  }

  public static ApiResponse text(int status, String body) {
    return new ApiResponse(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }

  /** A 302 to {@code location}, as Prometheus answers {@code /} with its graph page. */
  public static ApiResponse redirect(String location) {
    return text(302, "Found: " + location + "\n").withHeader("Location", location);
  }

  /** This answer with header {@code name} set to {@code value}. */
  public ApiResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new ApiResponse(status, contentType, body, more);
  }

  /** The body as text, for tests and logs. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
