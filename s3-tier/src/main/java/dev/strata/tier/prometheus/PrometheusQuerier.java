package dev.strata.tier.prometheus;

import dev.strata.tier.storeapi.RawChunkQuerier;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A Prometheus read as a {@link dev.strata.tsdb.storage.Querier}: each {@link #select} is one remote read, streamed as it
 * is consumed; label names and values come from the HTTP API. Closing it drops the connections of
 * answers not read to the end.
 */
final class PrometheusQuerier implements RawChunkQuerier {
  private final PrometheusClient client;
  private final long mint;
  private final long maxt;
  private final Labels externalLabels;
  private final List<RemoteReadResponse> open = new ArrayList<>();

  PrometheusQuerier(PrometheusClient client, long mint, long maxt, Labels externalLabels) {
    this.client = client;
    this.mint = mint;
    this.maxt = maxt;
    this.externalLabels = externalLabels;
  }

  @Override
  public long minTime() {
    return mint;
  }

  @Override
  public long maxTime() {
    return maxt;
  }

  /** @throws RuntimeException as {@link #unchecked} makes of a failure, also while iterating */
  @Override
  public SeriesSet select(LabelMatcher... matchers) {
    return new RemoteReadSeriesSet(read(matchers), externalLabels, mint, maxt);
  }

  /** Starts a remote read, closed with this querier. */
  private RemoteReadResponse read(LabelMatcher... matchers) {
    RemoteReadResponse response;
    try {
      response = client.read(mint, maxt, List.of(matchers));
    } catch (PrometheusException e) {
      throw unchecked(e);
    }
    open.add(response);
    return response;
  }

  /**
   * The series of one remote read, as {@link #select} gives them, handed over as chunk bytes: a
   * streamed answer straight from its frames, a sampled one (rare: real Prometheus streams when
   * asked) through {@link #select}'s series.
   *
   * @throws RuntimeException as {@link #unchecked} makes of a failure
   */
  @Override
  public void readChunks(RawChunkSink sink, LabelMatcher... matchers) {
    RemoteReadResponse response = read(matchers);
    if (response.streamed()) {
      try {
        response.readRaw(sink, externalLabels);
      } catch (PrometheusException e) {
        throw unchecked(e);
      }
      return;
    }
    SeriesSet set = new RemoteReadSeriesSet(response, externalLabels, mint, maxt);
    while (set.next()) {
      Series s = set.at();
      sink.series(s.labels());
      for (ChunkIterator it = s.chunks(); it.next(); ) {
        byte[] bytes = it.bytes();
        sink.chunk(it.minTime(), it.maxTime(), it.encoding(), bytes, 0, bytes.length);
      }
    }
  }

  @Override
  public List<String> labelNames(LabelMatcher... matchers) {
    try {
      return client.labelNames(mint, maxt, List.of(matchers));
    } catch (PrometheusException e) {
      throw unchecked(e);
    }
  }

  @Override
  public List<String> labelValues(String name, LabelMatcher... matchers) {
    try {
      return client.labelValues(name, mint, maxt, List.of(matchers));
    } catch (PrometheusException e) {
      throw unchecked(e);
    }
  }

  @Override
  public void close() {
    open.forEach(RemoteReadResponse::close);
    open.clear();
  }

  /**
   * A failure as the unchecked exception the StoreAPI server turns into the fitting gRPC status:
   * an {@link IllegalStateException} (UNAVAILABLE, so that a querier may ask another replica) when
   * Prometheus is out of reach or not ready (503), an {@link IllegalArgumentException}
   * (INVALID_ARGUMENT) when it rejects the request (400, 422), an {@link UncheckedIOException}
   * (INTERNAL) otherwise. The message is the failure's, which names Prometheus and the call.
   */
  static RuntimeException unchecked(PrometheusException e) {
    if (e instanceof PrometheusUnreachableException) {
      return new IllegalStateException(e.getMessage(), e);
    }
    if (e instanceof PrometheusStatusException s) {
      if (s.statusCode() == 503) {
        return new IllegalStateException(e.getMessage(), e);
      }
      if (s.statusCode() == 400 || s.statusCode() == 422) {
        return new IllegalArgumentException(e.getMessage(), e);
      }
    }
    return new UncheckedIOException(e.getMessage(), e);
  }
}
