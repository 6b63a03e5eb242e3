package dev.strata.examples.promql;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Sends the HTTP API's requests as a client does: form POSTs for queries, GETs for label values. */
final class ApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  HttpClient http() {
    return http;
  }

  /** An HTTP answer: status code and body. */
  record Answer(int status, String body) {}

  /** The answer to a form POST of {@code params} (a parameter may repeat) to {@code path}. */
  Answer post(URI base, String path, List<Map.Entry<String, String>> params) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path))
        .timeout(TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form(params)))
        .build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  /** The answer to a GET of {@code path} with {@code params} in the URL. */
  Answer get(URI base, String path, List<Map.Entry<String, String>> params) throws Exception {
    String query = params.isEmpty() ? "" : "?" + form(params);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve(path + query))
        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  private static String form(List<Map.Entry<String, String>> params) {
    return params.stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
