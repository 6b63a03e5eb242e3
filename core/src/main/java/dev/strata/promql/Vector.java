package dev.strata.promql;

import java.util.List;

/**
 * An instant vector. Prometheus does not sort instant results, and neither does Strata: the samples
 * come in evaluation order, which {@code sort()}, {@code sort_desc()}, {@code topk()} and {@code
 * bottomk()} make meaningful.
 */
public record Vector(List<Sample> samples) implements Value {
  public Vector {
    samples = List.copyOf(samples);
  }

  public int size() {
    return samples.size();
  }
}
