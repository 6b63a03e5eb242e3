package dev.strata.nomad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.strata.tsdb.fileutil.FileSync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The local run's Consul: the services registered so far (a task's services once its checks
 * pass), which the templates' {@code service} function lists, and, for Prometheus, each {@code
 * consul_sd_configs} entry of its configuration turned into a {@code file_sd_configs} file holding
 * the same targets with the same {@code __meta_consul_*} labels, so the job's relabelling runs
 * unchanged.
 */
final class ConsulStandIn {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final List<ConsulTemplate.Service> services = new CopyOnWriteArrayList<>();
  // Scrape job name -> its consul_sd_configs, for rewriting the SD files on every registration.
  private final Map<String, JsonNode> consulConfigs = new LinkedHashMap<>();

  ConsulStandIn(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir);
  }

  Collection<ConsulTemplate.Service> services() {
    return services;
  }

  /** Registers {@code registered} and rewrites Prometheus's SD files. */
  synchronized void register(List<ConsulTemplate.Service> registered) {
    services.addAll(registered);
    consulConfigs.forEach(this::writeTargets);
  }

  /**
   * A rendered template: a Prometheus configuration has its Consul SD configurations replaced by
   * file SD over this stand-in; anything else is returned as it is.
   */
  synchronized String rewrite(String rendered) {
    JsonNode config;
    try {
      config = YAML.readTree(rendered);
    } catch (IOException e) {
      return rendered; // not YAML: not Prometheus's configuration
    }
    if (config == null || !config.isObject() || !config.has("scrape_configs")) {
      return rendered;
    }
    for (JsonNode scrape : config.get("scrape_configs")) {
      JsonNode consul = scrape.get("consul_sd_configs");
      if (consul == null) {
        continue;
      }
      String job = scrape.get("job_name").asText();
      consulConfigs.put(job, consul);
      writeTargets(job, consul);
      ObjectNode s = (ObjectNode) scrape;
      s.remove("consul_sd_configs");
      ArrayNode files = s.putArray("file_sd_configs").addObject().putArray("files");
      files.add(sdFile(job).toString());
    }
    try {
      return "# Rendered from the job's template; consul_sd_configs replaced by file_sd_configs over\n"
          + "# the local run's stand-in for Consul.\n" + YAML.writeValueAsString(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path sdFile(String job) {
    return dir.resolve("consul-sd-" + job + ".json");
  }

  // The instances Consul would return to Prometheus for these configurations: of the listed
  // services (all when none are listed), those having every listed tag.
  private void writeTargets(String job, JsonNode consulConfigs) {
    ArrayNode groups = JSON.createArrayNode();
    for (JsonNode c : consulConfigs) {
      List<String> names = strings(c.get("services"));
      List<String> tags = strings(c.get("tags"));
      for (ConsulTemplate.Service s : services) {
        if ((!names.isEmpty() && !names.contains(s.name())) || !s.tags().containsAll(tags)) {
          continue;
        }
        ObjectNode g = groups.addObject();
        g.putArray("targets").add(s.address() + ":" + s.port());
        ObjectNode labels = g.putObject("labels");
        labels.put("__meta_consul_service", s.name());
        labels.put("__meta_consul_node", "local");
        labels.put("__meta_consul_dc", "local");
        labels.put("__meta_consul_address", s.address());
        labels.put("__meta_consul_service_address", s.address());
        labels.put("__meta_consul_service_port", Integer.toString(s.port()));
        labels.put("__meta_consul_tags", "," + String.join(",", s.tags()) + ",");
        s.meta().forEach((k, v) -> labels.put("__meta_consul_service_metadata_" + k, v));
      }
    }
    try {
      FileSync.writeAtomically(sdFile(job), dir.resolve("." + sdFile(job).getFileName() + ".tmp"),
          JSON.writeValueAsBytes(groups));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> strings(JsonNode list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      list.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
