package dev.strata.promql.parser;

import java.util.List;

/**
 * A PromQL function's signature. {@code variadic} is 0 for a fixed argument list, n > 0 when up to
 * n trailing arguments may be left out, and -1 when the last argument type repeats without bound
 * ({@code label_join}).
 */
public record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType) {
  public Function {
    argTypes = List.copyOf(argTypes);
  }
}
