package dev.strata.promql.parser;

/** The type an expression evaluates to, named as Prometheus names it in messages. */
public enum ValueType {
  SCALAR("scalar"),
  VECTOR("instant vector"),
  MATRIX("range vector"),
  STRING("string");

  private final String documentedName;

  ValueType(String documentedName) {
    this.documentedName = documentedName;
  }

  /** The name used in type errors, e.g. {@code "range vector"}. */
  public String documentedName() {
    return documentedName;
  }

  /** The name used in API results ({@code resultType}), e.g. {@code "matrix"}. */
  public String resultTypeName() {
    return switch (this) {
      case SCALAR -> "scalar";
      case VECTOR -> "vector";
      case MATRIX -> "matrix";
      case STRING -> "string";
    };
  }
}
