package dev.strata.tier.storeapi;

import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Label;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Answers one {@code Series} call from a {@link StoreSource}: the series matching the request,
 * sorted by their served labels, each as one or more frames of raw chunks.
 */
final class SeriesStreamer {

  /**
   * Chunk bytes per frame before a series continues in the next frame, as Thanos's stores do:
   * a series of years stays well under gRPC's message limits.
   */
  static final int MAX_CHUNK_BYTES_PER_FRAME = 1 << 20;

  private final StoreSource source;
  private final ExternalLabels externalLabels;

  SeriesStreamer(StoreSource source) {
    this.source = source;
    this.externalLabels = new ExternalLabels(source.externalLabels());
  }

  /**
   * Sends the answer to {@code request} into {@code out}, frame by frame.
   *
   * @throws IllegalArgumentException for a request the StoreAPI rejects (no matchers left once
   *     the external labels are set aside, an invalid regular expression)
   */
  void stream(SeriesRequest request, Consumer<SeriesResponse> out) {
    Optional<List<LabelMatcher>> local =
        externalLabels.localMatchers(ProtoMatchers.fromProto(request.getMatchersList()));
    if (local.isEmpty()) {
      return;
    }
    if (local.get().isEmpty()) {
      throw new IllegalArgumentException("no matchers specified (excluding external labels)");
    }
    List<String> without = request.getWithoutReplicaLabelsList();
    try (Querier q = source.querier(request.getMinTime(), request.getMaxTime())) {
      SeriesSet set = q.select(local.get().toArray(LabelMatcher[]::new));
      if (externalLabels.labels().isEmpty() && without.isEmpty()) {
        // Served as stored: the querier's order is the served order.
        while (set.next()) {
          Series s = set.at();
          send(s.labels(), s, request.getSkipChunks(), out);
        }
      } else {
        streamResorted(set, without, request.getSkipChunks(), out);
      }
    }
  }

  /**
   * Setting external labels reorders series (even constant ones: {@code {a="1"}} sorts after
   * {@code {}} but before it once both have {@code b="2"}), and dropping replica labels may also
   * make some equal. So the series are gathered, sorted by the labels they are served with, and
   * sent; equal ones stay adjacent, which the querier merges as one series. Like Thanos's TSDB
   * store, this holds the whole answer in memory.
   */
  private void streamResorted(
      SeriesSet set, List<String> without, boolean skipChunks, Consumer<SeriesResponse> out) {
    record Served(Labels labels, List<SeriesResponse> frames) {}
    List<Served> all = new ArrayList<>();
    while (set.next()) {
      Series s = set.at();
      Labels served = externalLabels.applyTo(s.labels(), without);
      List<SeriesResponse> frames = new ArrayList<>();
      send(served, s, skipChunks, frames::add);
      all.add(new Served(served, frames));
    }
    all.sort(Comparator.comparing(Served::labels)); // stable: equal sets keep the querier's order
    for (Served s : all) {
      s.frames().forEach(out);
    }
  }

  private static void send(
      Labels served, Series series, boolean skipChunks, Consumer<SeriesResponse> out) {
    List<Label> labels = ProtoLabels.toProto(served);
    if (skipChunks) {
      out.accept(frame(labels, List.of()));
      return;
    }
    List<AggrChunk> chunks = new ArrayList<>();
    int bytes = 0;
    boolean sentAny = false;
    ChunkIterator it = series.chunks();
    while (it.next()) {
      VisibleChunk chunk = VisibleChunk.of(it);
      chunks.add(
          AggrChunk.newBuilder()
              .setMinTime(it.minTime())
              .setMaxTime(chunk.maxTime())
              .setRaw(ProtoChunks.raw(it.encoding(), chunk.data()))
              .build());
      bytes += chunk.data().length;
      if (bytes >= MAX_CHUNK_BYTES_PER_FRAME) {
        out.accept(frame(labels, chunks));
        sentAny = true;
        chunks = new ArrayList<>();
        bytes = 0;
      }
    }
    if (!chunks.isEmpty() || !sentAny) {
      out.accept(frame(labels, chunks));
    }
  }

  private static SeriesResponse frame(List<Label> labels, List<AggrChunk> chunks) {
    return SeriesResponse.newBuilder()
        .setSeries(
            dev.strata.tier.storeapi.proto.Series.newBuilder()
                .addAllLabels(labels)
                .addAllChunks(chunks))
        .build();
  }
}
