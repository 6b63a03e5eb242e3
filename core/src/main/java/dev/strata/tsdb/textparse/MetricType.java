package dev.strata.tsdb.textparse;

/** The metric types an OpenMetrics {@code # TYPE} line may name, and nothing else. */
public enum MetricType {
  COUNTER("counter"),
  GAUGE("gauge"),
  HISTOGRAM("histogram"),
  GAUGE_HISTOGRAM("gaugehistogram"),
  SUMMARY("summary"),
  INFO("info"),
  STATESET("stateset"),
  UNKNOWN("unknown");

  private static final MetricType[] ALL = values();

  private final String text;

  MetricType(String text) {
    this.text = text;
  }

  /** The type as written in OpenMetrics, e.g. {@code gaugehistogram}. */
  public String text() {
    return text;
  }

  /** The type spelled exactly {@code text} (case matters), or null. */
  static MetricType ofText(String text) {
    for (MetricType t : ALL) {
      if (t.text.equals(text)) {
        return t;
      }
    }
    return null;
  }
}
