package dev.strata.nomad;

import dev.strata.nomad.ConsulTemplate.Data;
import dev.strata.nomad.ConsulTemplate.Service;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A template pipeline: commands joined by {@code |}, each a function call or a value; a command's
 * result is the last argument of the next one, as in Go's text/template.
 */
record Pipeline(List<List<String>> commands) {

  static Pipeline parse(String text, int offset) {
    List<List<String>> commands = new ArrayList<>();
    List<String> current = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '|') {
        commands.add(current);
        current = new ArrayList<>();
        i++;
      } else if (c == '"') {
        int end = text.indexOf('"', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unterminated string in {{ " + text + " }} at offset " + offset);
        }
        current.add(text.substring(i, end + 1));
        i = end + 1;
      } else {
        int start = i;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '|') {
          i++;
        }
        current.add(text.substring(start, i));
      }
    }
    commands.add(current);
    for (List<String> command : commands) {
      if (command.isEmpty()) {
        throw new IllegalArgumentException("empty command in {{ " + text + " }} at offset " + offset);
      }
    }
    return new Pipeline(commands);
  }

  Object evaluate(Object dot, Data data) {
    Object piped = null;
    boolean hasPiped = false;
    for (List<String> command : commands) {
      String head = command.get(0);
      if (head.startsWith(".") || head.startsWith("\"")) {
        if (command.size() > 1 || hasPiped) {
          throw new IllegalArgumentException("a value takes no arguments: " + command);
        }
        piped = operand(head, dot);
      } else {
        List<Object> args = new ArrayList<>();
        for (String a : command.subList(1, command.size())) {
          args.add(operand(a, dot));
        }
        if (hasPiped) {
          args.add(piped);
        }
        piped = call(head, args, data);
      }
      hasPiped = true;
    }
    return piped;
  }

  private static Object operand(String token, Object dot) {
    if (token.startsWith("\"")) {
      return token.substring(1, token.length() - 1);
    }
    if (token.equals(".")) {
      return dot;
    }
    if (token.startsWith(".")) {
      Object v = dot;
      for (String field : token.substring(1).split("\\.")) {
        if (v instanceof Service s) {
          v = s.fields();
        }
        if (!(v instanceof Map<?, ?> m)) {
          throw new IllegalArgumentException("can't take ." + field + " of " + v);
        }
        v = m.get(field);
      }
      return v instanceof Service s ? s.fields() : v;
    }
    throw new IllegalArgumentException("unsupported operand " + token);
  }

  private static Object call(String function, List<Object> args, Data data) {
    switch (function) {
      case "service": {
        String name = stringArg(function, args, 0, 1);
        List<Object> instances = new ArrayList<>();
        for (Service s : data.services()) {
          if (s.name().equals(name)) {
            instances.add(s.fields());
          }
        }
        return instances;
      }
      case "env":
        return data.env().getOrDefault(stringArg(function, args, 0, 1), "");
      case "nomadVar": {
        Map<String, String> items = data.nomadVariables().get(stringArg(function, args, 0, 1));
        return items == null ? Map.of() : items;
      }
      case "contains": {
        if (args.size() != 2 || !(args.get(1) instanceof Collection<?> list)) {
          throw new IllegalArgumentException("contains takes a value and a list: " + args);
        }
        return list.contains(args.get(0));
      }
      default:
        throw new IllegalArgumentException("unsupported template function " + function);
    }
  }

  private static String stringArg(String function, List<Object> args, int index, int count) {
    if (args.size() != count || !(args.get(index) instanceof String s)) {
      throw new IllegalArgumentException(function + " takes " + count + " string argument(s): " + args);
    }
    return s;
  }
}
