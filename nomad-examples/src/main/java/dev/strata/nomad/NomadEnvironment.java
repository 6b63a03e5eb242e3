package dev.strata.nomad;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Nomad client gives a task when it starts it: the runtime variables ({@code NOMAD_ADDR_*},
 * {@code NOMAD_PORT_*}, {@code NOMAD_TASK_DIR}, ...) that it substitutes in the task's {@code
 * config} and exports to its environment. Here they are filled with loopback addresses and local
 * directories; a reference to one that is not set is an error, as the task would otherwise start
 * with a literal {@code ${...}} in its command line.
 */
public final class NomadEnvironment {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");

  private final Map<String, String> variables;

  public NomadEnvironment(Map<String, String> variables) {
    this.variables = Map.copyOf(variables);
  }

  /** The variables, as a task's environment. */
  public Map<String, String> variables() {
    return variables;
  }

  /** {@code s} with every {@code ${NAME}} replaced by its value. */
  public String substitute(String s) {
    Matcher m = REFERENCE.matcher(s);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = variables.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("${" + m.group(1) + "} is not a runtime variable Nomad sets here (in: " + s + ")");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Each of {@code args} substituted. */
  public List<String> substitute(List<String> args) {
    List<String> out = new ArrayList<>(args.size());
    args.forEach(a -> out.add(substitute(a)));
    return out;
  }

  /**
   * The variables a client sets for a task of a group whose network declares {@code ports} (label to
   * port number), with the allocation's directory, the task's own directories and the allocation's
   * identity; addresses are on {@code ip}.
   */
  public static NomadEnvironment forTask(String ip, Map<String, Integer> ports, String allocDir,
      String taskDir, String secretsDir, String allocId, String jobName, String groupName, String taskName) {
    Map<String, String> v = new LinkedHashMap<>();
    ports.forEach((label, port) -> {
      v.put("NOMAD_IP_" + label, ip);
      v.put("NOMAD_PORT_" + label, Integer.toString(port));
      v.put("NOMAD_HOST_PORT_" + label, Integer.toString(port));
      v.put("NOMAD_ADDR_" + label, ip + ":" + port);
    });
    v.put("NOMAD_ALLOC_DIR", allocDir);
    v.put("NOMAD_TASK_DIR", taskDir);
    v.put("NOMAD_SECRETS_DIR", secretsDir);
    v.put("NOMAD_ALLOC_ID", allocId);
    v.put("NOMAD_SHORT_ALLOC_ID", allocId.substring(0, 8));
    v.put("NOMAD_ALLOC_NAME", jobName + "." + groupName + "[0]");
    v.put("NOMAD_ALLOC_INDEX", "0");
    v.put("NOMAD_JOB_NAME", jobName);
    v.put("NOMAD_GROUP_NAME", groupName);
    v.put("NOMAD_TASK_NAME", taskName);
    return new NomadEnvironment(v);
  }
}
