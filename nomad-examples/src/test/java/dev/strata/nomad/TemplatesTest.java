package dev.strata.nomad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.nomad.ConsulTemplate.Data;
import dev.strata.nomad.ConsulTemplate.Service;
import dev.strata.nomad.NomadJobs.Task;
import dev.strata.nomad.NomadJobs.Template;
import dev.strata.tier.objstore.BucketConfig;
import dev.strata.tier.objstore.S3Options;
import dev.strata.tier.query.FileSd;
import dev.strata.tsdb.testing.Interop;
import dev.strata.tsdb.testing.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job files' templates rendered as Nomad's consul-template would render them ({@link
 * ConsulTemplate}, which implements only the functions the job files use), over sample Consul
 * services, task environments and Nomad Variables, and the results read by what reads them on a
 * cluster: the querier's file SD reader ({@link FileSd}, what {@code strata query --store.sd-files}
 * runs), Strata's objstore configuration reader, and {@code promtool check config}.
 */
class TemplatesTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The services whose gRPC instances the querier's template lists. */
  static final List<String> STORE_API_SERVICES = List.of("strata-sidecar", "strata-store", "strata-embedded");

  /** A cluster's Consul services: the StoreAPI servers on both their ports, and others. */
  static final List<Service> SAMPLE = List.of(
      service("strata-sidecar", "10.0.1.11", 24318, "grpc"),
      service("strata-sidecar", "10.0.1.11", 24319, "http"),
      service("strata-sidecar", "10.0.1.12", 31077, "grpc"),
      service("strata-sidecar", "10.0.1.12", 31078, "http"),
      service("strata-sidecar", "10.0.1.14", 28001, "grpc"),
      service("strata-store", "10.0.1.13", 27650, "grpc"),
      service("strata-store", "10.0.1.13", 27651, "http"),
      service("strata-store", "10.0.1.15", 20001, "grpc"),
      service("strata-embedded", "10.0.2.7", 9091, "grpc", "app"),
      service("strata-embedded", "10.0.2.7", 9090, "http"),
      // A querier's own gRPC service must not be listed: it would query itself.
      service("strata-query", "10.0.1.16", 21000, "grpc"),
      service("strata-compactor", "10.0.1.17", 22000, "http"),
      service("redis", "10.0.3.1", 6379, "grpc"));

  static Service service(String name, String address, int port, String... tags) {
    return new Service(name, address, port, List.of(tags), Map.of());
  }

  /** What the querier must find: the gRPC instances of the StoreAPI services. */
  static Set<String> expectedTargets(Collection<Service> services) {
    Set<String> out = new LinkedHashSet<>();
    for (Service s : services) {
      if (STORE_API_SERVICES.contains(s.name()) && s.tags().contains("grpc")) {
        out.add(s.address() + ":" + s.port());
      }
    }
    return out;
  }

  /** The querier's task in monitoring.nomad. */
  static Task querier() {
    return NomadJobs.task("monitoring.nomad", "strata-query", "strata-query");
  }

  /** The template of {@code task} rendered into the file its {@code --store.sd-files} names. */
  static Template targetsTemplate(Task task) {
    return task.templateOfFlag("--store.sd-files");
  }

  static String renderTargets(Collection<Service> services) {
    return ConsulTemplate.parse(targetsTemplate(querier()).data())
        .render(new Data(services, Map.of(), Map.of()));
  }

  /** Every target of a rendered file_sd YAML, in order, duplicates kept, checking its shape. */
  static List<String> targetsOf(String yaml) throws IOException {
    JsonNode root = YAML.readTree(yaml);
    assertTrue(root.isArray(), "a list of target groups:\n" + yaml);
    List<String> out = new ArrayList<>();
    for (JsonNode group : root) {
      assertTrue(group.isObject(), "a target group is a mapping:\n" + yaml);
      group.fieldNames().forEachRemaining(f ->
          assertTrue(Set.of("targets", "labels").contains(f), "unknown field " + f + ":\n" + yaml));
      JsonNode targets = group.path("targets");
      if (!targets.isNull()) {
        assertTrue(targets.isArray(), "targets is a list:\n" + yaml);
        targets.forEach(t -> out.add(t.textValue()));
      }
    }
    return out;
  }

  @Test
  void theTargetsListTheGrpcInstancesOfTheStoreApiServices() throws IOException {
    String yaml = renderTargets(SAMPLE);
    List<String> targets = targetsOf(yaml);
    assertEquals(List.copyOf(expectedTargets(SAMPLE)), targets, yaml);
  }

  @Test
  void theQueriersFileSdReaderLoadsThem(@TempDir Path dir) throws IOException {
    assertEquals(expectedTargets(SAMPLE), readByFileSd(dir, renderTargets(SAMPLE)));
  }

  @Test
  void noServicesAtAllIsAValidEmptyList(@TempDir Path dir) throws IOException {
    String yaml = renderTargets(List.of());
    assertEquals(List.of(), targetsOf(yaml));
    assertEquals(Set.of(), readByFileSd(dir, yaml));
  }

  // The targets FileSd reads from the file, failing on any error it reports for it.
  static Set<String> readByFileSd(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("targets.yml");
    Files.writeString(file, yaml);
    try (FileSd sd = FileSd.builder().file(file).start()) {
      assertEquals(Map.of(), sd.errors(), "file SD errors for:\n" + yaml);
      return sd.targets();
    }
  }

  @Test
  @Interop
  void promtoolAcceptsTheTargetsAsAFileSdFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("targets.yml"), renderTargets(SAMPLE));
    Files.writeString(dir.resolve("empty.yml"), renderTargets(List.of()));
    Files.writeString(dir.resolve("prometheus.yml"), """
        scrape_configs:
          - job_name: stores
            file_sd_configs:
              - files: [targets.yml, empty.yml]
        """);
    Promtool.run(dir, "check", "config", "prometheus.yml").assertSuccess();
  }

  @Test
  @Interop
  void promtoolAcceptsThePrometheusConfiguration(@TempDir Path dir) throws Exception {
    Task prometheus = NomadJobs.task("monitoring.nomad", "prometheus", "prometheus");
    Template config = prometheus.templateOfFlag("--config.file");
    String allocId = "5f3c1a2e-8b4d-4e6f-9a1b-2c3d4e5f6a7b";
    String rendered = ConsulTemplate.parse(config.data())
        .render(new Data(List.of(), Map.of("NOMAD_ALLOC_ID", allocId), Map.of()));
    JsonNode parsed = YAML.readTree(rendered);
    assertEquals(allocId, parsed.path("global").path("external_labels").path("replica").asText(), rendered);
    Files.writeString(dir.resolve("prometheus.yml"), rendered);
    if (!promtoolHasConsulSd(dir)) {
      Files.writeString(dir.resolve("prometheus.yml"), YAML.writeValueAsString(withoutConsulSd(parsed)));
    }
    Promtool.run(dir, "check", "config", "prometheus.yml").assertSuccess();
  }

  // Debian's promtool is built without some service discoveries, Consul's among them: it refuses
  // consul_sd_configs as an unknown field. Prometheus's own builds (the container image) have it.
  private static boolean promtoolHasConsulSd(Path dir) throws Exception {
    Path probe = dir.resolve("consul-probe.yml");
    Files.writeString(probe, """
        scrape_configs:
          - job_name: probe
            consul_sd_configs:
              - server: 127.0.0.1:8500
        """);
    return Promtool.run(dir, "check", "config", probe.getFileName().toString()).exitCode() == 0;
  }

  /** The fields of Prometheus 2.42's consul_sd_config (besides the HTTP client's). */
  private static final Set<String> CONSUL_SD_FIELDS = Set.of("server", "token", "datacenter", "namespace",
      "partition", "tag_separator", "scheme", "username", "password", "allow_stale", "refresh_interval",
      "services", "tags", "node_meta", "basic_auth", "authorization", "oauth2", "tls_config", "proxy_url",
      "follow_redirects", "enable_http2");

  // The configuration with each scrape job's consul_sd_configs checked here (its fields known to
  // Prometheus, a server given) and replaced by an empty static_configs, for a promtool without
  // Consul SD to check the rest.
  private static JsonNode withoutConsulSd(JsonNode config) {
    JsonNode copy = config.deepCopy();
    for (JsonNode job : copy.path("scrape_configs")) {
      JsonNode consul = job.path("consul_sd_configs");
      if (consul.isMissingNode()) {
        continue;
      }
      for (JsonNode sd : consul) {
        sd.fieldNames().forEachRemaining(f -> assertTrue(CONSUL_SD_FIELDS.contains(f),
            job.path("job_name").asText() + ": consul_sd_configs has no field " + f));
        assertFalse(sd.path("server").asText().isBlank(), job.path("job_name").asText() + ": a Consul server");
      }
      var object = (com.fasterxml.jackson.databind.node.ObjectNode) job;
      object.remove("consul_sd_configs");
      object.putArray("static_configs").addObject().putArray("targets");
    }
    return copy;
  }

  @Test
  void theObjstoreConfigurationIsStratasS3Configuration() throws IOException {
    Map<String, String> credentials = Map.of("access_key", "example-access-key", "secret_key", "example/secret+key");
    Pattern variablePath = Pattern.compile("nomadVar\\s+\"([^\"]+)\"");
    List<String> checked = new ArrayList<>();
    for (Task t : NomadJobs.allTasks()) {
      if (t.flag("--objstore.config-file").isEmpty()) {
        continue;
      }
      Template template = t.templateOfFlag("--objstore.config-file");
      Matcher m = variablePath.matcher(template.data());
      assertTrue(m.find(), t.where() + ": the credentials come from a Nomad Variable");
      String rendered = ConsulTemplate.parse(template.data())
          .render(new Data(List.of(), Map.of(), Map.of(m.group(1), credentials)));

      BucketConfig config = BucketConfig.parse(rendered);
      assertEquals(BucketConfig.Type.S3, config.type(), rendered);
      S3Options s3 = config.s3Options().orElseThrow();
      assertEquals("example-bucket", s3.bucket(), rendered);
      assertEquals("example-region", s3.region(), rendered);
      assertTrue(s3.hasStaticCredentials(), "the Nomad Variable's keys are the credentials:\n" + rendered);
      assertTrue(rendered.contains("secret_key: \"example/secret+key\""), rendered);

      // Without the Variable (not readable by the task): no credentials, still a valid file.
      BucketConfig without = BucketConfig.parse(ConsulTemplate.parse(template.data())
          .render(new Data(List.of(), Map.of(), Map.of())));
      assertFalse(without.s3Options().orElseThrow().hasStaticCredentials());
      checked.add(t.where());
    }
    assertFalse(checked.isEmpty(), "no task reads --objstore.config-file");
  }
}
