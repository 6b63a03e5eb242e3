package dev.strata.promql.api;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the API handlers see it, whatever server received it: the method, the path
 * below the API's root, and the parameters of the query string and of a form-encoded body merged
 * (as Go's {@code Request.Form}), in order, repeated names kept ({@code match[]}).
 */
public record ApiRequest(String method, String path, Map<String, List<String>> params) {
  public ApiRequest {
    params = Map.copyOf(params);
  }

  /**
   * A request from its raw parts, for servers that hand them over undecoded: the query string
   * ({@code a=1&b=2}, or null) and a form-encoded body (or null).
   */
  public static ApiRequest of(String method, String path, String rawQuery, String formBody) {
    return new ApiRequest(method, path, FormDecoding.decode(rawQuery, formBody));
  }

  /** The first value of parameter {@code name}, or null. */
  public String param(String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Every value of parameter {@code name}, in order. */
  public List<String> params(String name) {
    return params.getOrDefault(name, List.of());
  }
}
