package dev.strata.examples.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The external labels of a component that owns its TSDB, as {@code thanos receive} and {@code
 * thanos rule} take them: {@code --label=name="value"}, repeated. They go with every series it
 * serves over the StoreAPI and into the Thanos section of every block it ships, where they tell its
 * data apart from every other producer's. The value is quoted as in Thanos (a Go string); a bare
 * value is taken as it is.
 */
public final class ExternalLabelOptions {
  @Option(names = "--label", paramLabel = "NAME=\"VALUE\"", converter = Parser.class,
      description = "An external label for the data served and the blocks shipped, quoted as"
          + " for Thanos (--label=cluster=\"eu\"; a bare value is taken as it is); repeat for"
          + " more.")
  List<Map.Entry<String, String>> labels = new ArrayList<>();

  /** The labels given, by name; a usage error if one is given twice. */
  public Map<String, String> asMap(picocli.CommandLine.Model.CommandSpec spec) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : labels) {
      if (out.put(e.getKey(), e.getValue()) != null) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
            "--label " + e.getKey() + " is given twice");
      }
    }
    return out;
  }

  /** {@code name="value"}: a Prometheus label name, a Go-quoted or bare non-empty value. */
  public static final class Parser implements ITypeConverter<Map.Entry<String, String>> {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    @Override
    public Map.Entry<String, String> convert(String arg) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        throw new TypeConversionException("'" + arg + "' is not name=\"value\"");
      }
      String name = arg.substring(0, eq);
      if (!NAME.matcher(name).matches() || name.startsWith("__")) {
        throw new TypeConversionException("'" + name + "' is not a label name (letters, digits"
            + " and _, not starting with a digit or with __)");
      }
      String value = unquote(arg.substring(eq + 1));
      if (value.isEmpty()) {
        throw new TypeConversionException("label " + name + " has an empty value");
      }
      return Map.entry(name, value);
    }

    private static String unquote(String raw) {
      if (raw.length() < 2 || raw.charAt(0) != '"' || raw.charAt(raw.length() - 1) != '"') {
        return raw;
      }
      StringBuilder out = new StringBuilder();
      for (int i = 1; i < raw.length() - 1; i++) {
        char c = raw.charAt(i);
        if (c == '\\' && i + 1 < raw.length() - 1) {
          char next = raw.charAt(++i);
          switch (next) {
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case '"', '\\' -> out.append(next);
            default -> throw new TypeConversionException("unknown escape \\" + next + " in " + raw);
          }
        } else if (c == '"' || c == '\\') {
          throw new TypeConversionException("unescaped " + c + " in " + raw);
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
  }
}
