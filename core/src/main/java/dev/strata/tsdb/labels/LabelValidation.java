package dev.strata.tsdb.labels;

/**
 * Prometheus's rules for label names, metric names and label values.
 *
 * <ul>
 *   <li>A label name matches {@code [a-zA-Z_][a-zA-Z0-9_]*}. Names starting with {@code __} are
 *       reserved for internal use but valid; {@code __name__} holds the metric name.
 *   <li>A metric name, the value of {@code __name__}, matches {@code [a-zA-Z_:][a-zA-Z0-9_:]*}.
 *   <li>A label value is any valid Unicode text: in Java, a string without unpaired surrogates
 *       (Prometheus requires valid UTF-8, which is the same set of texts).
 * </ul>
 *
 * <p>The checks are hand-written loops rather than regular expressions because they run on every
 * label set a user hands in.
 */
public final class LabelValidation {

  private LabelValidation() {}

  /** Whether {@code name} is a valid label name. */
  public static boolean isValidLabelName(String name) {
    int n = name.length();
    if (n == 0 || !isNameStart(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      char c = name.charAt(i);
      if (!isNameStart(c) && !isDigit(c)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code name} is a valid metric name (the value of {@code __name__}). */
  public static boolean isValidMetricName(String name) {
    int n = name.length();
    if (n == 0) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (!isNameStart(c) && c != ':' && (i == 0 || !isDigit(c))) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code value} is valid Unicode, i.e. has no unpaired surrogate. */
  public static boolean isValidLabelValue(String value) {
    return unpairedSurrogateIndex(value) < 0;
  }

  /**
   * Checks a label name.
   *
   * @throws InvalidLabelsException naming the label if it is invalid
   */
  public static void checkLabelName(String name) {
    if (!isValidLabelName(name)) {
      throw new InvalidLabelsException(
          name,
          "invalid label name "
              + GoQuote.quote(name)
              + ": a label name must start with a letter or '_' and contain only ASCII letters,"
              + " digits and '_'");
    }
  }

  /**
   * Checks the value of label {@code name}, and if the label is {@code __name__} that the value is
   * a valid metric name. An empty value is valid: it stands for an absent label.
   *
   * @throws InvalidLabelsException naming the label if the value is invalid
   */
  public static void checkLabelValue(String name, String value) {
    int bad = unpairedSurrogateIndex(value);
    if (bad >= 0) {
      throw new InvalidLabelsException(
          name,
          "label "
              + GoQuote.quote(name)
              + " has a value that is not valid Unicode: unpaired surrogate U+"
              + Integer.toHexString(value.charAt(bad)).toUpperCase(java.util.Locale.ROOT)
              + " at index "
              + bad);
    }
    if (Labels.METRIC_NAME.equals(name) && !value.isEmpty() && !isValidMetricName(value)) {
      throw new InvalidLabelsException(
          name,
          "invalid metric name "
              + GoQuote.quote(value)
              + " (the value of label __name__): a metric name must start with a letter, '_' or"
              + " ':' and contain only ASCII letters, digits, '_' and ':'");
    }
  }

  /**
   * Checks every label of {@code labels}; for label sets that skipped validation, e.g. those read
   * with {@link Labels#fromSortedTrusted} from a file of unknown origin.
   *
   * @throws InvalidLabelsException naming the first invalid label
   */
  public static void validate(Labels labels) {
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.name(i);
      checkLabelName(name);
      checkLabelValue(name, labels.value(i));
    }
  }

  private static int unpairedSurrogateIndex(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
