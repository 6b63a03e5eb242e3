package dev.strata.nomad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Nomad job file, parsed by HCL2's parser ({@link HclParser}) and evaluated as Nomad would when it
 * reads the job: variables from their defaults and the values given (as {@code -var}), then the
 * locals, then the job's expressions. What Nomad fills in later on the client ({@code
 * ${NOMAD_ADDR_*}}, templates' {@code {{ }}}) is kept, for {@link NomadEnvironment} and {@link
 * ConsulTemplate}.
 */
public final class JobFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final JsonNode root;
  private final String name;
  private final JsonNode job;
  private final HclExpressions expressions;
  private final Map<String, JsonNode> variableBlocks;

  private JobFile(Path path, JsonNode root, Map<String, Object> given) {
    this.path = path;
    this.root = root;
    Map<String, JsonNode> jobs = labelled(root, "job");
    if (jobs.size() != 1) {
      throw new IllegalArgumentException(path + ": expected one job block, found " + jobs.keySet());
    }
    Map.Entry<String, JsonNode> only = jobs.entrySet().iterator().next();
    this.name = only.getKey();
    this.job = only.getValue();
    this.variableBlocks = labelled(root, "variable");

    Map<String, Object> variables = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> v : variableBlocks.entrySet()) {
      JsonNode def = v.getValue().get("default");
      if (given.containsKey(v.getKey())) {
        variables.put(v.getKey(), given.get(v.getKey()));
      } else if (def != null) {
        variables.put(v.getKey(), literal(def));
      } else {
        throw new IllegalArgumentException(path + ": variable " + v.getKey() + " has no default and no value was given");
      }
    }
    for (String g : given.keySet()) {
      if (!variableBlocks.containsKey(g)) {
        throw new IllegalArgumentException(path + ": no variable " + g + " is declared");
      }
    }
    Map<String, Object> locals = new LinkedHashMap<>();
    this.expressions = new HclExpressions(variables, locals);
    // A local may refer to any other, whatever their order in the file (HCL orders them by their
    // references), and the parser's JSON lists them by name, not in file order: evaluate them in
    // rounds, each taking those whose references now have values, until none is left.
    Map<String, JsonNode> pending = new LinkedHashMap<>();
    for (JsonNode block : blocks(root, "locals")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = block.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> l = it.next();
        if (pending.put(l.getKey(), l.getValue()) != null) {
          throw new IllegalArgumentException(path + ": local " + l.getKey() + " is defined twice");
        }
      }
    }
    while (!pending.isEmpty()) {
      int before = pending.size();
      IllegalArgumentException last = null;
      for (Iterator<Map.Entry<String, JsonNode>> it = pending.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> l = it.next();
        try {
          locals.put(l.getKey(), value(l.getValue()));
          it.remove();
        } catch (IllegalArgumentException e) {
          last = e;
        }
      }
      if (pending.size() == before) {
        // No local could be evaluated in this round: the next would fail the same way.
        throw new IllegalArgumentException(path + ": locals " + pending.keySet() + ": " + last.getMessage(), last);
      }
    }
  }

  /** Parses {@code file} with {@code variables} as given on {@code nomad job run -var}. */
  public static JobFile parse(HclParser parser, Path file, Map<String, Object> variables) throws IOException {
    return new JobFile(file, parser.parse(file), variables);
  }

  public Path path() {
    return path;
  }

  /** The job's name (its block label). */
  public String name() {
    return name;
  }

  /** The job block, unevaluated. */
  public JsonNode job() {
    return job;
  }

  /** The whole file as the parser gave it. */
  public JsonNode root() {
    return root;
  }

  /** The declared variables' blocks, by name. */
  public Map<String, JsonNode> variables() {
    return variableBlocks;
  }

  /** The job's groups, by name (the parser's JSON orders them by name, not as in the file). */
  public Map<String, JsonNode> groups() {
    return labelled(job, "group");
  }

  /** The tasks of {@code group}, by name (ordered by name, not as in the file). */
  public static Map<String, JsonNode> tasks(JsonNode group) {
    return labelled(group, "task");
  }

  /** The value of {@code node} with the job's expressions evaluated: strings, lists, maps, numbers. */
  public Object value(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.isTextual()) {
      return expressions.evaluate(node.asText());
    }
    if (node.isArray()) {
      List<Object> out = new ArrayList<>();
      node.forEach(n -> out.add(value(n)));
      return out;
    }
    if (node.isObject()) {
      Map<String, Object> out = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> out.put(e.getKey(), value(e.getValue())));
      return out;
    }
    return literal(node);
  }

  /** {@code node} evaluated, which must be a string. */
  public String string(JsonNode node) {
    Object v = value(node);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(path + ": expected a string, got " + v);
    }
    return s;
  }

  /** {@code node} evaluated, which must be a list of strings; an absent node is an empty list. */
  public List<String> strings(JsonNode node) {
    if (node == null) {
      return List.of();
    }
    Object v = value(node);
    if (!(v instanceof List<?> list)) {
      throw new IllegalArgumentException(path + ": expected a list, got " + v);
    }
    List<String> out = new ArrayList<>();
    for (Object o : list) {
      if (!(o instanceof String s)) {
        throw new IllegalArgumentException(path + ": expected strings in " + list);
      }
      out.add(s);
    }
    return out;
  }

  /** The blocks of {@code type} in {@code body} (HCL's JSON form: a list of bodies), maybe none. */
  public static List<JsonNode> blocks(JsonNode body, String type) {
    JsonNode n = body.get(type);
    List<JsonNode> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n.isArray()) {
      n.forEach(out::add);
    } else {
      out.add(n);
    }
    return out;
  }

  /** The only block of {@code type} in {@code body}, or null. */
  public static JsonNode block(JsonNode body, String type) {
    List<JsonNode> all = blocks(body, type);
    if (all.size() > 1) {
      throw new IllegalArgumentException("more than one " + type + " block");
    }
    return all.isEmpty() ? null : all.get(0);
  }

  /** The labelled blocks of {@code type} in {@code body}, by label, in the parser's order (by name). */
  public static Map<String, JsonNode> labelled(JsonNode body, String type) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    JsonNode n = body.get(type);
    if (n == null) {
      return out;
    }
    n.fields().forEachRemaining(e -> {
      JsonNode v = e.getValue();
      if (v.isArray() && v.size() != 1) {
        throw new IllegalArgumentException(type + " \"" + e.getKey() + "\" is declared " + v.size() + " times");
      }
      out.put(e.getKey(), v.isArray() ? v.get(0) : v);
    });
    return out;
  }

  private static Object literal(JsonNode n) {
    return JSON.convertValue(n, Object.class);
  }
}
