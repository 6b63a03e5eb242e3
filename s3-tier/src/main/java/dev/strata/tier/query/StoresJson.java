package dev.strata.tier.query;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.strata.tsdb.labels.Labels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer of Thanos's {@code GET /api/v1/stores}: {@code {"status":"success","data":{...}}}
 * where {@code data} maps each component type to its endpoints,
 * {@code {"name":"host:port","lastCheck":"<RFC 3339>","lastError":null|"...",
 * "labelSets":[{"name":"value",...}],"minTime":ms,"maxTime":ms}}, endpoints by name and types in
 * key order, as Go writes a map. An endpoint that has never answered has no type and is left out,
 * as Thanos leaves it out.
 */
public final class StoresJson {
  private static final JsonFactory JSON = new JsonFactory();

  /** Go's RFC 3339 with nanoseconds, trailing zeros of the fraction dropped, in UTC. */
  private static final DateTimeFormatter RFC3339_NANO =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd'T'HH:mm:ss")
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .appendLiteral('Z')
          .toFormatter()
          .withZone(ZoneOffset.UTC);

  /** How Go writes a {@code time.Time} never set. */
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private StoresJson() {}

  /** The endpoints by component type, each list by name: the {@code data} of the answer. */
  public static Map<String, List<EndpointStatus>> byComponentType(List<EndpointStatus> statuses) {
    Map<String, List<EndpointStatus>> out = new TreeMap<>();
    for (EndpointStatus s : statuses) {
      if (!s.componentType().isEmpty()) {
        out.computeIfAbsent(s.componentType(), k -> new ArrayList<>()).add(s);
      }
    }
    out.values().forEach(l -> l.sort(Comparator.comparing(EndpointStatus::address)));
    return out;
  }

  /** The whole answer, as a string. */
  public static String response(List<EndpointStatus> statuses) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writeResponse(statuses, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Writes the whole answer to {@code out}, UTF-8, leaving {@code out} open. */
  public static void writeResponse(List<EndpointStatus> statuses, OutputStream out)
      throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("status", "success");
      g.writeFieldName("data");
      writeData(g, byComponentType(statuses));
      g.writeEndObject();
    }
  }

  private static void writeData(JsonGenerator g, Map<String, List<EndpointStatus>> byType)
      throws IOException {
    g.writeStartObject();
    for (Map.Entry<String, List<EndpointStatus>> e : byType.entrySet()) {
      g.writeArrayFieldStart(e.getKey());
      for (EndpointStatus s : e.getValue()) {
        writeStatus(g, s);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void writeStatus(JsonGenerator g, EndpointStatus s) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", s.address());
    g.writeStringField("lastCheck", s.lastCheck().map(StoresJson::time).orElse(ZERO_TIME));
    if (s.lastError().isPresent()) {
      g.writeStringField("lastError", s.lastError().get());
    } else {
      g.writeNullField("lastError");
    }
    g.writeArrayFieldStart("labelSets");
    for (Labels set : s.labelSets()) {
      g.writeStartObject();
      for (int i = 0; i < set.size(); i++) {
        g.writeStringField(set.name(i), set.value(i));
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("minTime", s.minTime());
    g.writeNumberField("maxTime", s.maxTime());
    g.writeEndObject();
  }

  /** An instant as Go's {@code time.Time} marshals to JSON (RFC 3339 with nanoseconds). */
  static String time(Instant t) {
    return RFC3339_NANO.format(t);
  }
}
