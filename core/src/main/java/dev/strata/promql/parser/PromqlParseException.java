package dev.strata.promql.parser;

import java.util.List;

/**
 * A query that does not parse or does not type-check. The message is Prometheus 2.42's for the
 * first problem found, e.g. {@code 1:8: parse error: unexpected <op:*>}; like Prometheus, the parser
 * may have found more, which {@link #errors()} lists.
 */
public final class PromqlParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String query;
  private final transient List<ParseError> errors;

  PromqlParseException(String query, List<ParseError> errors) {
    super(errors.get(0).format(query));
    this.query = query;
    this.errors = List.copyOf(errors);
  }

  /** The query as given. */
  public String query() {
    return query;
  }

  /** Every problem found, the first being the one the message reports. */
  public List<ParseError> errors() {
    return errors;
  }

  /** Where the first problem is. */
  public PositionRange positionRange() {
    return errors.get(0).positionRange();
  }
}
