package dev.strata.examples.cli.tsdb;

/**
 * A tool cannot do what it was asked, for a reason the user can act on; its message is the whole
 * story, so it is printed as one line without a stack trace.
 */
public final class ToolFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ToolFailure(String message) {
    super(message);
  }

  public ToolFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
