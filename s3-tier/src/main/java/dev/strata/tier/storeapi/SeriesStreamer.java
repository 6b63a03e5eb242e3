package dev.strata.tier.storeapi;

import dev.strata.downsample.AggrType;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Label;
import dev.strata.tier.storeapi.proto.PartialResponseStrategy;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Answers one {@code Series} call from a {@link StoreSource}: the series matching the request in
 * each of its parts, sorted by their served labels, each as one or more frames of chunks. The
 * source's parts and their labels are read for every call: a bucket is re-synced, a sidecar's
 * external labels re-read, while the server runs.
 */
final class SeriesStreamer {

  /**
   * Chunk bytes per frame before a series continues in the next frame, as Thanos's stores do:
   * a series of years stays well under gRPC's message limits.
   */
  static final int MAX_CHUNK_BYTES_PER_FRAME = 1 << 20;

  private final StoreSource source;

  SeriesStreamer(StoreSource source) {
    this.source = source;
  }

  /** A part of the source that the request's matchers on external labels let through. */
  private record Selected(StoreSource part, ExternalLabels externalLabels, LabelMatcher[] local) {}

  /** A series as served, with its chunks in the order read. */
  private record Served(Labels labels, List<AggrChunk> chunks) {}

  /**
   * Sends the answer to {@code request} into {@code out}, frame by frame. A piece of the source
   * that fails (a block that cannot be read) fails the call, or, under the {@code WARN}
   * partial-response strategy, becomes a warning frame while the rest is still answered.
   *
   * @throws IllegalArgumentException for a request the StoreAPI rejects (no matchers left once
   *     the external labels are set aside, an invalid regular expression)
   * @throws PartFailedException when a piece of the source fails under {@code ABORT}
   */
  void stream(SeriesRequest request, Consumer<SeriesResponse> out) {
    List<LabelMatcher> matchers = ProtoMatchers.fromProto(request.getMatchersList());
    List<Selected> selected = new ArrayList<>();
    for (StoreSource part : source.parts()) {
      ExternalLabels external = new ExternalLabels(part.externalLabels());
      Optional<List<LabelMatcher>> local = external.localMatchers(matchers);
      if (local.isEmpty()) {
        continue; // this part's labels reject a matcher: nothing of it matches
      }
      if (local.get().isEmpty()) {
        throw new IllegalArgumentException("no matchers specified (excluding external labels)");
      }
      selected.add(new Selected(part, external, local.get().toArray(LabelMatcher[]::new)));
    }
    StoreQuery query = query(request);
    Request r = new Request(query, request.getWithoutReplicaLabelsList(), partialResponse(request),
        new AggrChunks(query.aggregates()), new ArrayList<>());
    if (selected.size() == 1 && selected.get(0).externalLabels().labels().isEmpty()
        && r.without().isEmpty()) {
      List<NamedQuerier> pieces = selected.get(0).part().queriers(query);
      if (pieces.size() == 1) {
        streamAsStored(selected.get(0), pieces.get(0), r, out);
        r.warn(1, out);
        return;
      }
    }
    r.warn(streamResorted(selected, r, out), out);
  }

  /** What every piece of one request shares. */
  private record Request(StoreQuery query, List<String> without, boolean partialResponse,
      AggrChunks chunks, List<PartFailedException> failures) {

    /** Rethrows {@code e} as the failure of {@code piece}, or keeps it for a warning. */
    void failed(NamedQuerier piece, RuntimeException e) {
      if (e instanceof StatusRuntimeException s) {
        throw s; // the call itself is over (the client went away)
      }
      PartFailedException failure = new PartFailedException(piece.name(), e);
      if (!partialResponse) {
        throw failure;
      }
      failures.add(failure);
    }

    /**
     * Sends the failures as warnings, after the series: a partial answer. When every piece
     * failed there is no answer to qualify, and the first failure fails the call, so that a
     * querier can tell an empty result from a store that is away.
     */
    void warn(int pieces, Consumer<SeriesResponse> out) {
      if (!failures.isEmpty() && failures.size() == pieces) {
        throw failures.get(0);
      }
      failures.forEach(f -> out.accept(warning(f.getMessage())));
    }
  }

  /** One piece without labels to set or drop: the querier's order is the served order. */
  private static void streamAsStored(
      Selected part, NamedQuerier piece, Request r, Consumer<SeriesResponse> out) {
    try (Querier q = piece.opener().get()) {
      SeriesSet set = q.select(part.local());
      while (set.next()) {
        Series s = set.at();
        emit(ProtoLabels.toProto(s.labels()), chunksOf(s, r), out);
      }
    } catch (RuntimeException e) {
      r.failed(piece, e);
    }
  }

  /**
   * Setting external labels reorders series (even constant ones: {@code {a="1"}} sorts after
   * {@code {}} but before it once both have {@code b="2"}), parts carry different labels, and
   * dropping replica labels may make series of different parts equal. So the series are gathered,
   * sorted by the labels they are served with, and sent, each once: the chunks of a series found
   * in several pieces (every block of a bucket holding it, replicas made equal) are sent together,
   * in time order, identical ones once, as Thanos's stores merge them. Like Thanos's TSDB store,
   * this holds the whole answer in memory.
   *
   * <p>A piece's series join the answer only once the piece has been read to its end, so that a
   * piece failing half-way leaves nothing of itself behind under {@code WARN}.
   *
   * @return the number of pieces read (or tried)
   */
  private static int streamResorted(
      List<Selected> selected, Request r, Consumer<SeriesResponse> out) {
    List<Served> all = new ArrayList<>();
    int pieces = 0;
    for (Selected part : selected) {
      for (NamedQuerier piece : part.part().queriers(r.query())) {
        pieces++;
        List<Served> fromPiece = new ArrayList<>();
        try (Querier q = piece.opener().get()) {
          SeriesSet set = q.select(part.local());
          while (set.next()) {
            Series s = set.at();
            Labels served = part.externalLabels().applyTo(s.labels(), r.without());
            fromPiece.add(new Served(served, chunksOf(s, r)));
          }
        } catch (RuntimeException e) {
          r.failed(piece, e);
          continue;
        }
        all.addAll(fromPiece);
      }
    }
    all.sort(Comparator.comparing(Served::labels)); // stable: equal sets keep the pieces' order
    for (int i = 0; i < all.size(); ) {
      int end = i + 1;
      while (end < all.size() && all.get(end).labels().equals(all.get(i).labels())) {
        end++;
      }
      List<AggrChunk> chunks = end == i + 1 ? all.get(i).chunks() : merged(all.subList(i, end));
      emit(ProtoLabels.toProto(all.get(i).labels()), chunks, out);
      i = end;
    }
    return pieces;
  }

  /** The chunks of equal series from several pieces, by start time, identical ones once. */
  private static List<AggrChunk> merged(List<Served> equal) {
    List<AggrChunk> chunks = new ArrayList<>();
    equal.forEach(s -> chunks.addAll(s.chunks()));
    chunks.sort(Comparator.comparingLong(AggrChunk::getMinTime)); // stable
    List<AggrChunk> out = new ArrayList<>(chunks.size());
    for (AggrChunk c : chunks) {
      if (out.isEmpty() || !out.get(out.size() - 1).equals(c)) {
        out.add(c);
      }
    }
    return out;
  }

  private static List<AggrChunk> chunksOf(Series series, Request r) {
    if (r.query().skipChunks()) {
      return List.of();
    }
    List<AggrChunk> chunks = new ArrayList<>();
    ChunkIterator it = series.chunks();
    while (it.next()) {
      chunks.add(r.chunks().of(it, series.labels()));
    }
    return chunks;
  }

  /** Sends one series, in as many frames as its chunk bytes need. */
  private static void emit(List<Label> labels, List<AggrChunk> chunks, Consumer<SeriesResponse> out) {
    int from = 0;
    int bytes = 0;
    for (int i = 0; i < chunks.size(); i++) {
      bytes += chunks.get(i).getSerializedSize();
      if (bytes >= MAX_CHUNK_BYTES_PER_FRAME) {
        out.accept(frame(labels, chunks.subList(from, i + 1)));
        from = i + 1;
        bytes = 0;
      }
    }
    if (from < chunks.size() || from == 0) {
      out.accept(frame(labels, chunks.subList(from, chunks.size())));
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

  private static SeriesResponse warning(String text) {
    return SeriesResponse.newBuilder().setWarning(text).build();
  }

  /** The request's range, resolution window, aggregates and {@code skip_chunks}. */
  static StoreQuery query(SeriesRequest request) {
    Set<AggrType> aggregates = EnumSet.noneOf(AggrType.class);
    for (Aggr a : request.getAggregatesList()) {
      switch (a) {
        case COUNT -> aggregates.add(AggrType.COUNT);
        case SUM -> aggregates.add(AggrType.SUM);
        case MIN -> aggregates.add(AggrType.MIN);
        case MAX -> aggregates.add(AggrType.MAX);
        case COUNTER -> aggregates.add(AggrType.COUNTER);
        case RAW, UNRECOGNIZED -> {
          // Raw chunks are always sent as raw; Thanos ignores RAW here too.
        }
      }
    }
    return new StoreQuery(request.getMinTime(), request.getMaxTime(),
        request.getMaxResolutionWindow(), aggregates, request.getSkipChunks());
  }

  /**
   * Whether failures become warnings: the strategy is {@code WARN}, which is also what a request
   * that sets none says (it is the enum's zero), unless the older {@code partial_response_disabled}
   * is set, as Thanos reads the two.
   */
  static boolean partialResponse(SeriesRequest request) {
    return !request.getPartialResponseDisabled()
        && request.getPartialResponseStrategy() == PartialResponseStrategy.WARN;
  }
}
