package dev.strata.tier.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.tsdb.labels.InvalidLabelsException;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xerial.snappy.Snappy;

/**
 * The calls {@code thanos sidecar} makes on the Prometheus next to it: its configuration and
 * flags, label names and values, series, and remote read. One client serves one Prometheus, given
 * by its base URL (e.g. {@code http://127.0.0.1:9090}, or with the path prefix of
 * {@code --web.route-prefix}). Thread-safe.
 *
 * <p>Every failure is a {@link PrometheusException} whose message names the Prometheus, the call
 * and what went wrong: {@link PrometheusUnreachableException} when it cannot be reached, {@link
 * PrometheusStatusException} with Prometheus's own error text when it answers with an error.
 */
public final class PrometheusClient {

  /** How long a call may wait for Prometheus's answer unless configured otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  static final String READ_PATH = "/api/v1/read";

  private static final String STREAMED_TYPE =
      "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";
  private static final String SAMPLED_TYPE = "application/x-protobuf";
  // Enough of an error body to show what Prometheus said; the rest is not read.
  private static final int MAX_ERROR_BYTES = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final URI baseUri;
  private final String base; // without a trailing slash
  private final Duration timeout;
  private final HttpClient http;

  /**
   * A client of the Prometheus at {@code baseUri}, each call bounded by {@code requestTimeout}
   * (for a remote read: until the answer begins).
   */
  public PrometheusClient(URI baseUri, Duration requestTimeout) {
    this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
    if (!"http".equals(baseUri.getScheme()) && !"https".equals(baseUri.getScheme())) {
      throw new IllegalArgumentException("not an http(s) URL: " + baseUri);
    }
    String s = baseUri.toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.timeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(requestTimeout)
            .build();
  }

  /** The Prometheus this client calls. */
  public URI baseUri() {
    return baseUri;
  }

  /**
   * The external labels of Prometheus's loaded configuration ({@code global.external_labels}),
   * empty when it has none.
   */
  public Labels externalLabels() throws PrometheusException {
    String call = "GET /api/v1/status/config";
    JsonNode yaml = data(call, get("/api/v1/status/config")).path("yaml");
    if (!yaml.isTextual()) {
      throw badAnswer(call, "no data.yaml in the answer", null);
    }
    JsonNode labels;
    try {
      labels = YAML.readTree(yaml.asText()).path("global").path("external_labels");
    } catch (JsonProcessingException e) {
      throw badAnswer(call, "the configuration is not YAML: " + e.getOriginalMessage(), e);
    }
    if (labels.isMissingNode() || labels.isNull()) {
      return Labels.EMPTY;
    }
    try {
      return Labels.fromMap(strings(call, labels));
    } catch (InvalidLabelsException e) {
      throw badAnswer(call, "invalid external labels: " + e.getMessage(), e);
    }
  }

  /**
   * The command-line flags Prometheus runs with, e.g. {@code storage.tsdb.min-block-duration ->
   * "2h"}; empty when Prometheus does not serve them (404).
   */
  public Optional<Map<String, String>> flags() throws PrometheusException {
    String call = "GET /api/v1/status/flags";
    try {
      return Optional.of(strings(call, data(call, get("/api/v1/status/flags"))));
    } catch (PrometheusStatusException e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Prometheus's version, e.g. {@code 2.42.0}. */
  public String version() throws PrometheusException {
    String call = "GET /api/v1/status/buildinfo";
    JsonNode version = data(call, get("/api/v1/status/buildinfo")).path("version");
    if (!version.isTextual()) {
      throw badAnswer(call, "no data.version in the answer", null);
    }
    return version.asText();
  }

  /** Whether Prometheus answers its readiness probe: started, and its TSDB open. */
  public boolean ready() {
    try {
      return send("GET /-/ready", get("/-/ready"), HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (PrometheusException e) {
      return false;
    }
  }

  /** Label names of the series matching {@code matchers} (all series if none) in the range. */
  public List<String> labelNames(long mint, long maxt, List<LabelMatcher> matchers)
      throws PrometheusException {
    String call = "POST /api/v1/labels";
    HttpRequest request = postForm("/api/v1/labels", timeRange(mint, maxt, matchers));
    return stringList(call, data(call, request));
  }

  /** Values of label {@code name} among the series matching {@code matchers} in the range. */
  public List<String> labelValues(String name, long mint, long maxt, List<LabelMatcher> matchers)
      throws PrometheusException {
    String path = "/api/v1/label/" + ApiParams.pathSegment(name) + "/values";
    String call = "GET " + path;
    String query = ApiParams.form(timeRange(mint, maxt, matchers));
    return stringList(call, data(call, get(path + "?" + query)));
  }

  /**
   * Label sets of the series matching {@code matchers} in the range, sorted.
   *
   * @throws IllegalArgumentException without matchers: Prometheus requires a selector
   */
  public List<Labels> series(long mint, long maxt, List<LabelMatcher> matchers)
      throws PrometheusException {
    String call = "POST /api/v1/series";
    if (matchers.isEmpty()) {
      throw new IllegalArgumentException(call + " needs at least one matcher");
    }
    JsonNode data = data(call, postForm("/api/v1/series", timeRange(mint, maxt, matchers)));
    if (!data.isArray()) {
      throw badAnswer(call, "data is not a list of label sets", null);
    }
    List<Labels> series = new ArrayList<>(data.size());
    for (JsonNode set : data) {
      try {
        series.add(Labels.fromMap(strings(call, set)));
      } catch (InvalidLabelsException e) {
        throw badAnswer(call, "invalid label set: " + e.getMessage(), e);
      }
    }
    series.sort(null);
    return series;
  }

  /**
   * Starts a remote read of the series matching {@code matchers} over {@code [mint, maxt]}
   * (inclusive), asking for streamed chunks first and raw samples second, as Thanos's sidecar
   * does. The answer is read as it is consumed; close it.
   */
  public RemoteReadResponse read(long mint, long maxt, List<LabelMatcher> matchers)
      throws PrometheusException {
    String call = "POST " + READ_PATH;
    byte[] body;
    try {
      body = Snappy.compress(RemoteReadRequests.of(mint, maxt, matchers).toByteArray());
    } catch (IOException e) {
      throw new PrometheusException(call, "cannot compress the remote read request", e);
    }
    HttpRequest request =
        request(READ_PATH)
            .header("Content-Encoding", "snappy")
            .header("Content-Type", "application/x-stream-protobuf")
            .header("X-Prometheus-Remote-Read-Version", "0.1.0")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpResponse<InputStream> response =
        send(call, request, HttpResponse.BodyHandlers.ofInputStream());
    String url = base + READ_PATH;
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    try {
      if (response.statusCode() / 100 != 2) {
        String error = errorText(response.body());
        throw new PrometheusStatusException(
            call, failure(call, "answered HTTP " + response.statusCode() + ": " + error),
            response.statusCode(), error);
      }
      if (contentType.startsWith(STREAMED_TYPE)) {
        return RemoteReadResponse.streamed(
            response.body(), url, ChunkedReadFrames.DEFAULT_MAX_FRAME_BYTES);
      }
      if (contentType.startsWith(SAMPLED_TYPE)) {
        try (InputStream in = response.body()) {
          return RemoteReadResponse.sampled(in.readAllBytes(), url, call);
        }
      }
      throw badAnswer(call, "unsupported remote read content type \"" + contentType + "\"", null);
    } catch (PrometheusException e) {
      closeQuietly(response.body());
      throw e;
    } catch (IOException e) {
      closeQuietly(response.body());
      throw new PrometheusUnreachableException(
          call, failure(call, "the answer broke off: " + reason(e)), e);
    }
  }

  /** The {@code data} of a successful JSON API answer. */
  private JsonNode data(String call, HttpRequest request) throws PrometheusException {
    HttpResponse<byte[]> response = send(call, request, HttpResponse.BodyHandlers.ofByteArray());
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      answer = null;
    }
    if (response.statusCode() / 100 != 2 || answer == null || !answer.isObject()
        || !"success".equals(answer.path("status").asText())) {
      String error =
          answer != null && answer.path("error").isTextual()
              ? answer.path("error").asText()
              : truncated(new String(response.body(), StandardCharsets.UTF_8));
      if (response.statusCode() / 100 == 2) {
        throw badAnswer(call, "not a successful API answer: " + error, null);
      }
      throw new PrometheusStatusException(
          call, failure(call, "answered HTTP " + response.statusCode() + ": " + error),
          response.statusCode(), error);
    }
    return answer.path("data");
  }

  private <T> HttpResponse<T> send(
      String call, HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws PrometheusException {
    try {
      return http.send(request, handler);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new PrometheusUnreachableException(
          call, "prometheus at " + base + " is not reachable: " + call + ": " + reason(e), e);
    } catch (HttpTimeoutException e) {
      throw new PrometheusUnreachableException(
          call, failure(call, "no answer within " + timeout.toMillis() + " ms"), e);
    } catch (IOException e) {
      throw new PrometheusUnreachableException(call, failure(call, reason(e)), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PrometheusUnreachableException(call, failure(call, "interrupted"), e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("User-Agent", "strata");
  }

  private HttpRequest get(String pathAndQuery) {
    return request(pathAndQuery).GET().build();
  }

  private HttpRequest postForm(String path, List<Map.Entry<String, String>> form) {
    return request(path)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(ApiParams.form(form)))
        .build();
  }

  private static List<Map.Entry<String, String>> timeRange(
      long mint, long maxt, List<LabelMatcher> matchers) {
    List<Map.Entry<String, String>> form = new ArrayList<>(3);
    form.add(Map.entry("start", ApiParams.time(mint)));
    form.add(Map.entry("end", ApiParams.time(maxt)));
    if (!matchers.isEmpty()) {
      form.add(Map.entry("match[]", ApiParams.selector(matchers)));
    }
    return form;
  }

  private String failure(String call, String what) {
    return call + " on prometheus at " + base + ": " + what;
  }

  private PrometheusException badAnswer(String call, String what, Throwable cause) {
    return new PrometheusException(call, failure(call, what), cause);
  }

  private List<String> stringList(String call, JsonNode data) throws PrometheusException {
    if (!data.isArray()) {
      throw badAnswer(call, "data is not a list of strings", null);
    }
    List<String> out = new ArrayList<>(data.size());
    for (JsonNode s : data) {
      out.add(s.asText());
    }
    return out;
  }

  private Map<String, String> strings(String call, JsonNode object) throws PrometheusException {
    if (!object.isObject()) {
      throw badAnswer(call, "expected an object of strings, got " + object.getNodeType(), null);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** The start of an error body as text (remote read errors are text/plain). */
  private static String errorText(InputStream body) throws IOException {
    try (body) {
      return truncated(
          new String(body.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8)).strip();
    }
  }

  private static String truncated(String s) {
    return s.length() <= 1000 ? s.strip() : s.substring(0, 1000).strip() + "...";
  }

  /** What went wrong, in words: the first message along the causes. */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // The connection is dropped either way.
    }
  }
}
