package dev.strata.tier.storeapi;

import dev.strata.downsample.AggrType;
import dev.strata.tier.storeapi.proto.Aggr;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.PartialResponseStrategy;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tier.storeapi.proto.SeriesResponse;
import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.ChunkIterator;
import dev.strata.tsdb.storage.Querier;
import dev.strata.tsdb.storage.Series;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
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

  /**
   * Sends the answer to {@code request} into {@code out}, frame by frame, as it is read: each
   * part's pieces are merged in their stored order and put in served order between safe points
   * (see {@link ServedOrder}), and the parts merged by served labels, a series found in several
   * pieces or parts sent once with all their chunks in time order, identical ones once, as
   * Thanos's stores merge them. A piece of the source that fails (a block that cannot be read)
   * fails the call, or, under the {@code WARN} partial-response strategy, becomes a warning frame
   * while the rest is still answered; when every piece failed and nothing was answered, the call
   * fails all the same.
   *
   * @throws IllegalArgumentException for a request the StoreAPI rejects (no matchers left once
   *     the external labels are set aside, an invalid regular expression)
   * @throws PartFailedException when a piece of the source fails under {@code ABORT}
   */
  void stream(SeriesRequest request, Consumer<SeriesFrame> out) {
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
    List<String> without = request.getWithoutReplicaLabelsList();
    Failures failures = new Failures(partialResponse(request));
    AggrChunks chunks = new AggrChunks(query.aggregates());
    List<Querier> opened = new ArrayList<>();
    int pieces = 0;
    boolean answered = false;
    try {
      PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::labels));
      for (Selected part : selected) {
        List<PartStream.Cursor> cursors = new ArrayList<>();
        boolean carriesRemoved = false;
        List<NamedQuerier> partPieces = part.part().queriers(query);
        for (NamedQuerier piece : partPieces) {
          pieces++;
          try {
            Querier q = piece.opener().get();
            opened.add(q);
            if (!without.isEmpty() && !carriesRemoved) {
              carriesRemoved = q.labelNames().stream().anyMatch(without::contains);
            }
            if (selected.size() == 1 && partPieces.size() == 1
                && q instanceof RawChunkQuerier raw) {
              // Nothing to merge: the piece's chunk bytes go straight into frames.
              ServedOrder order = carriesRemoved ? ServedOrder.never()
                  : new ServedOrder(part.externalLabels().labels(), without);
              answered = RawSeriesWriter.stream(piece, raw, part.local(), part.externalLabels(),
                  without, order, query.skipChunks(), failures, out);
              continue;
            }
            PartStream.Cursor c = PartStream.open(piece, q, part.local(), failures);
            if (c != null) {
              cursors.add(c);
            }
          } catch (RuntimeException e) {
            failures.failed(piece, e);
          }
        }
        ServedOrder order = carriesRemoved ? ServedOrder.never()
            : new ServedOrder(part.externalLabels().labels(), without);
        PartStream stream = new PartStream(cursors,
            l -> part.externalLabels().applyTo(l, without), order,
            s -> chunksOf(s, query.skipChunks(), chunks), failures);
        Head.push(heads, stream);
      }
      while (!heads.isEmpty()) {
        Head first = heads.poll();
        List<PartStream.Served> equal = new ArrayList<>(1);
        equal.add(first.series());
        Head.push(heads, first.stream());
        while (!heads.isEmpty() && heads.peek().labels().equals(first.labels())) {
          Head h = heads.poll();
          equal.add(h.series());
          Head.push(heads, h.stream());
        }
        PartStream.Served s = equal.size() == 1 ? equal.get(0) : PartStream.merged(equal);
        emit(s.labels(), s.chunks(), out);
        answered = true;
      }
    } finally {
      opened.forEach(Querier::close);
    }
    failures.warn(pieces, answered, out);
  }

  /** A part's stream with its next series, in the merge across parts. */
  private record Head(PartStream.Served series, PartStream stream) {
    Labels labels() {
      return series.labels();
    }

    static void push(PriorityQueue<Head> heads, PartStream stream) {
      PartStream.Served next = stream.next();
      if (next != null) {
        heads.add(new Head(next, stream));
      }
    }
  }

  /** The pieces that failed under {@code WARN}; under {@code ABORT} the first failure throws. */
  static final class Failures {
    private final boolean partialResponse;
    private final List<PartFailedException> failures = new ArrayList<>();

    Failures(boolean partialResponse) {
      this.partialResponse = partialResponse;
    }

    /** Rethrows {@code e} as the failure of {@code piece}, or keeps it for a warning. */
    void failed(NamedQuerier piece, RuntimeException e) {
      if (e instanceof StatusRuntimeException s) {
        throw s; // the call itself is over (the client went away)
      }
      if (e instanceof PartFailedException f) {
        throw f; // already this piece's failure, thrown under ABORT
      }
      PartFailedException failure = new PartFailedException(piece.name(), e);
      if (!partialResponse) {
        throw failure;
      }
      failures.add(failure);
    }

    /**
     * Sends the failures as warnings, after the series: a partial answer. When every piece
     * failed and nothing was answered there is no answer to qualify, and the first failure fails
     * the call, so that a querier can tell an empty result from a store that is away.
     */
    void warn(int pieces, boolean answered, Consumer<SeriesFrame> out) {
      if (!failures.isEmpty() && failures.size() >= pieces && !answered) {
        throw failures.get(0);
      }
      failures.forEach(f -> out.accept(SeriesFrame.of(warning(f.getMessage()))));
    }
  }

  private static List<AggrChunk> chunksOf(Series series, boolean skipChunks, AggrChunks chunks) {
    if (skipChunks) {
      return List.of();
    }
    List<AggrChunk> out = new ArrayList<>();
    ChunkIterator it = series.chunks();
    while (it.next()) {
      out.add(chunks.of(it, series.labels()));
    }
    return out;
  }

  /** Sends one series, in as many frames as its chunk bytes need. */
  private static void emit(Labels labels, List<AggrChunk> chunks, Consumer<SeriesFrame> out) {
    int[] sizes = new int[chunks.size()];
    int from = 0;
    int bytes = 0;
    for (int i = 0; i < chunks.size(); i++) {
      sizes[i] = SeriesFrameWriter.size(chunks.get(i));
      bytes += sizes[i];
      if (bytes >= MAX_CHUNK_BYTES_PER_FRAME) {
        out.accept(SeriesFrameWriter.series(labels, chunks, sizes, from, i + 1));
        from = i + 1;
        bytes = 0;
      }
    }
    if (from < chunks.size() || from == 0) {
      out.accept(SeriesFrameWriter.series(labels, chunks, sizes, from, chunks.size()));
    }
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
