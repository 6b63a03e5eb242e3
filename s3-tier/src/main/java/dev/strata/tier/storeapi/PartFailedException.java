package dev.strata.tier.storeapi;

/**
 * Reading one piece of a source (a {@link NamedQuerier}, such as a block) failed. The message
 * names the piece, then gives the messages of the causes, so that a corrupt or missing object is
 * reported with its key and offset whichever layer noticed it.
 */
final class PartFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PartFailedException(String part, RuntimeException cause) {
    super(part + ": " + describe(cause), cause);
  }

  /** The messages along the cause chain, each once (wrappers often repeat their cause's). */
  static String describe(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null && b.length() < 4096; t = t.getCause()) {
      String m = t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
      if (b.indexOf(m) < 0) {
        b.append(b.length() == 0 ? "" : ": ").append(m);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return b.toString();
  }
}
