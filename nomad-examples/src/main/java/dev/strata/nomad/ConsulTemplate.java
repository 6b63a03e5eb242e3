package dev.strata.nomad;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Renders a Nomad {@code template} stanza's data the way Nomad's consul-template does, for the part
 * of Go's text/template and consul-template's functions that the job files use: text, {@code {{-}}
 * and {@code -}}} whitespace trimming, {@code .Field} on the current value, pipelines ({@code .Tags
 * | contains "grpc"}), {@code range}, {@code if}/{@code else}, {@code with}, and the functions
 * {@code service}, {@code env}, {@code nomadVar} and {@code contains}. Anything else is an {@link
 * IllegalArgumentException} naming it: a template using more must not render differently here
 * than on a cluster without anyone noticing.
 *
 * <p>{@code service "name"} lists the healthy instances of a Consul service ({@link Service}); a
 * template sees each as {@code .Name}, {@code .Address}, {@code .Port}, {@code .Tags}, {@code
 * .ServiceMeta}.
 */
public final class ConsulTemplate {
  /** A healthy instance of a Consul service, as {@code service} lists it. */
  public record Service(String name, String address, int port, List<String> tags, Map<String, String> meta) {
    Map<String, Object> fields() {
      return Map.of("Name", name, "Address", address, "Port", port, "Tags", tags, "ServiceMeta", meta,
          "ID", name + "-" + address + "-" + port);
    }
  }

  /** What the template functions read: Consul's services, the task's environment, Nomad Variables. */
  public record Data(Collection<Service> services, Map<String, String> env,
      Map<String, Map<String, String>> nomadVariables) {}

  private final List<Node> nodes;

  private ConsulTemplate(List<Node> nodes) {
    this.nodes = nodes;
  }

  /** Parses {@code source}. */
  public static ConsulTemplate parse(String source) {
    return new ConsulTemplate(new TemplateParser(source).parse());
  }

  /** The template rendered over {@code data}. */
  public String render(Data data) {
    StringBuilder out = new StringBuilder();
    render(nodes, null, data, out);
    return out.toString();
  }

  private static void render(List<Node> nodes, Object dot, Data data, StringBuilder out) {
    for (Node n : nodes) {
      if (n instanceof Node.Text t) {
        out.append(t.text());
      } else if (n instanceof Node.Output o) {
        out.append(print(o.pipeline().evaluate(dot, data)));
      } else if (n instanceof Node.Range r) {
        Object v = r.pipeline().evaluate(dot, data);
        if (!(v instanceof Collection<?> items)) {
          throw new IllegalArgumentException("range over " + v + ", not a list");
        }
        if (items.isEmpty()) {
          render(r.otherwise(), dot, data, out);
        }
        for (Object item : items) {
          render(r.body(), item, data, out);
        }
      } else if (n instanceof Node.If i) {
        render(truthy(i.pipeline().evaluate(dot, data)) ? i.body() : i.otherwise(), dot, data, out);
      } else if (n instanceof Node.With w) {
        Object v = w.pipeline().evaluate(dot, data);
        if (truthy(v)) {
          render(w.body(), v, data, out);
        } else {
          render(w.otherwise(), dot, data, out);
        }
      }
    }
  }

  // Go's notion of "empty": false, 0, nil, and empty strings, lists and maps.
  static boolean truthy(Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (v instanceof String s) {
      return !s.isEmpty();
    }
    if (v instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    if (v instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }

  private static String print(Object v) {
    if (v == null) {
      return "<no value>";
    }
    if (v instanceof Collection<?> c) {
      List<String> parts = new ArrayList<>();
      c.forEach(x -> parts.add(print(x)));
      return "[" + String.join(" ", parts) + "]";
    }
    return v.toString();
  }

  /** A parsed template. */
  sealed interface Node {
    record Text(String text) implements Node {}

    record Output(Pipeline pipeline) implements Node {}

    record Range(Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {}

    record If(Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {}

    record With(Pipeline pipeline, List<Node> body, List<Node> otherwise) implements Node {}
  }
}
