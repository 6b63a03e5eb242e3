package dev.strata.promql.api;

import java.nio.charset.StandardCharsets;

/** What a handler answers: status, content type and the whole body. */
public record ApiResponse(int status, String contentType, byte[] body) {
  public static final String JSON = "application/json";
  public static final String TEXT = "text/plain; charset=utf-8";

  public static ApiResponse json(int status, byte[] body) {
    return new ApiResponse(status, JSON, body);
  }

  public static ApiResponse text(int status, String body) {
    return new ApiResponse(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }

  /** The body as text, for tests and logs. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
