package dev.strata.tier.prometheus;

import dev.strata.tier.prometheus.proto.Chunk;
import dev.strata.tier.prometheus.proto.ChunkedSeries;
import dev.strata.tier.prometheus.proto.Label;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The series of a remote read answer, in label order, each whole: the parts of a streamed series
 * (one after another, same labels) are joined, and a sampled answer, which Prometheus sends in no
 * particular order, is sorted. The answer is closed once read to the end.
 */
final class RemoteReadSeriesSet implements SeriesSet {
  private final RemoteReadResponse response;
  private final Labels externalLabels;
  private final long mint;
  private final long maxt;

  private Iterator<Part> sampled; // a sampled answer, read whole and sorted
  private Part lookahead;
  private Series current;
  private boolean done;

  /** A series or part of one, with the labels it is served under. */
  private record Part(Labels labels, List<Chunk> chunks) {}

  RemoteReadSeriesSet(RemoteReadResponse response, Labels externalLabels, long mint, long maxt) {
    this.response = response;
    this.externalLabels = externalLabels;
    this.mint = mint;
    this.maxt = maxt;
  }

  @Override
  public boolean next() {
    if (done) {
      return false;
    }
    Part first = lookahead != null ? lookahead : pull();
    lookahead = null;
    if (first == null) {
      done = true;
      current = null;
      response.close();
      return false;
    }
    List<Chunk> chunks = new ArrayList<>(first.chunks());
    for (Part part = pull(); part != null; part = pull()) {
      if (!part.labels().equals(first.labels())) {
        lookahead = part;
        break;
      }
      chunks.addAll(part.chunks());
    }
    current = new PrometheusSeries(first.labels(), chunks, mint, maxt);
    return true;
  }

  @Override
  public Series at() {
    if (current == null) {
      throw new IllegalStateException("no current series");
    }
    return current;
  }

  private Part pull() {
    try {
      if (response.streamed()) {
        Optional<ChunkedSeries> s = response.next();
        return s.map(this::part).orElse(null);
      }
      if (sampled == null) {
        List<Part> all = new ArrayList<>();
        for (ChunkedSeries s : response.remaining()) {
          all.add(part(s));
        }
        all.sort(Comparator.comparing(Part::labels));
        sampled = all.iterator();
      }
      return sampled.hasNext() ? sampled.next() : null;
    } catch (PrometheusException e) {
      response.close();
      throw PrometheusQuerier.unchecked(e);
    }
  }

  private Part part(ChunkedSeries series) {
    return new Part(localLabels(series.getLabelsList(), externalLabels), series.getChunksList());
  }

  /**
   * The labels Prometheus stores a series with: it adds its external labels to the labels of a
   * remote read answer (where the series has no label of that name), so those are taken off.
   */
  static Labels localLabels(List<Label> labels, Labels externalLabels) {
    Labels.Builder b = Labels.builder();
    for (Label l : labels) {
      if (!l.getValue().equals(externalLabels.get(l.getName()))) {
        b.set(l.getName(), l.getValue());
      }
    }
    return b.build();
  }
}
