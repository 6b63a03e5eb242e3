package dev.strata.promql;

import dev.strata.promql.parser.Expr;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Turns query text into a tree with the PromQL parser, reporting a parse error as {@code
 * bad_data}.
 */
final class QueryParsing {
  private QueryParsing() {}

  private static final Method PARSE = findParser();

  // The parser is developed alongside the engine; until it is on the classpath, text queries are
  // refused and trees built by other means still evaluate.
  private static Method findParser() {
    try {
      return Class.forName("dev.strata.promql.parser.PromqlParser").getMethod("parse", String.class);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  static boolean available() {
    return PARSE != null;
  }

  static Expr parse(String query) {
    if (PARSE == null) {
      throw new QueryException(QueryException.ErrorType.INTERNAL, "no PromQL parser available");
    }
    try {
      return (Expr) PARSE.invoke(null, query);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw new QueryException(QueryException.ErrorType.BAD_DATA, re.getMessage(), re);
      }
      throw new QueryException(QueryException.ErrorType.INTERNAL, String.valueOf(cause), cause);
    } catch (IllegalAccessException e) {
      throw new QueryException(QueryException.ErrorType.INTERNAL, e.toString(), e);
    }
  }
}
