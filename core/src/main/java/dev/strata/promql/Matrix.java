package dev.strata.promql;

import dev.strata.tsdb.labels.Labels;
import java.util.List;

/**
 * A range vector: series with their points. Range query results are sorted by labels, as Prometheus
 * sorts them.
 */
public record Matrix(List<Series> series) implements Value {
  public Matrix {
    series = List.copyOf(series);
  }

  /**
   * One series of points in time order. The arrays are owned by the series; callers must not modify
   * them.
   */
  public record Series(Labels labels, long[] timestamps, double[] values) {
    public int size() {
      return timestamps.length;
    }
  }
}
