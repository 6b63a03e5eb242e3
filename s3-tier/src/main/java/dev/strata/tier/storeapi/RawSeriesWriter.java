package dev.strata.tier.storeapi;

import dev.strata.tsdb.labels.LabelMatcher;
import dev.strata.tsdb.labels.Labels;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * Writes the {@code Series} answer of a source's only piece straight from the chunk bytes a {@link
 * RawChunkQuerier} hands over: the same frames, in the same order, as {@link PartStream} and
 * {@link SeriesStreamer} make of the piece's series, without a {@code Series}, a chunk iterator or
 * an {@code AggrChunk} per chunk. Series are put in served order between safe points (see {@link
 * ServedOrder}) and equal served series merged, as {@link PartStream} does; each series goes out
 * in frames of at most {@link SeriesStreamer#MAX_CHUNK_BYTES_PER_FRAME} chunk bytes.
 */
final class RawSeriesWriter implements RawChunkQuerier.RawChunkSink {
  private final ExternalLabels external;
  private final List<String> without;
  private final ServedOrder order;
  private final boolean skipChunks;
  private final Consumer<SeriesFrame> out;
  private final List<Pending> unsorted = new ArrayList<>(); // since the last safe point
  private final List<ChunkRefs> spare = new ArrayList<>(); // of series sent, to reuse
  private Pending current; // being handed over, possibly in parts
  private boolean answered;

  /** A series as stored and as served, with its chunks. */
  private record Pending(Labels stored, Labels served, ChunkRefs chunks) {}

  private RawSeriesWriter(ExternalLabels external, List<String> without, ServedOrder order,
      boolean skipChunks, Consumer<SeriesFrame> out) {
    this.external = external;
    this.without = without;
    this.order = order;
    this.skipChunks = skipChunks;
    this.out = out;
  }

  /**
   * Answers from {@code piece}, the source's only piece, opened as {@code querier}: a failure
   * fails the call, or under {@code WARN} is kept for a warning while what was read before it is
   * still sent (the series being read when it failed is dropped, as {@link PartStream} drops it).
   *
   * @return whether any series was sent
   */
  static boolean stream(NamedQuerier piece, RawChunkQuerier querier, LabelMatcher[] matchers,
      ExternalLabels external, List<String> without, ServedOrder order, boolean skipChunks,
      SeriesStreamer.Failures failures, Consumer<SeriesFrame> out) {
    RawSeriesWriter writer = new RawSeriesWriter(external, without, order, skipChunks, out);
    try {
      querier.readChunks(writer, matchers);
      writer.completeCurrent();
    } catch (RuntimeException e) {
      writer.current = null;
      failures.failed(piece, e);
    }
    writer.flush();
    return writer.answered;
  }

  @Override
  public void series(Labels labels) {
    if (current != null && current.stored().equals(labels)) {
      return; // the next part of the current series
    }
    completeCurrent();
    ChunkRefs chunks = spare.isEmpty() ? new ChunkRefs() : spare.remove(spare.size() - 1);
    current = new Pending(labels, external.applyTo(labels, without), chunks);
  }

  @Override
  public void chunk(long minTime, long maxTime, byte encoding, byte[] data, int offset,
      int length) {
    if (current == null) {
      throw new IllegalStateException("a chunk handed over before any series");
    }
    if (skipChunks) {
      return;
    }
    byte type = (byte) ProtoChunks.toProto(encoding).getNumber();
    current.chunks().add(minTime, maxTime, type, data, offset, length);
  }

  // The current series is whole: it joins the series since the last safe point, after those are
  // sent if it is a safe point (as PartStream.fill decides).
  private void completeCurrent() {
    if (current == null) {
      return;
    }
    Pending done = current;
    current = null;
    if (!unsorted.isEmpty() && safeBefore(done.stored())) {
      flush();
    }
    unsorted.add(done);
  }

  private boolean safeBefore(Labels next) {
    if (order.identity()) {
      return true;
    }
    for (Pending earlier : unsorted) {
      if (!order.safeBetween(earlier.stored(), next)) {
        return false;
      }
    }
    return true;
  }

  // Sends the series since the last safe point, sorted by served labels, equal ones merged.
  private void flush() {
    if (unsorted.size() > 1) {
      unsorted.sort(Comparator.comparing(Pending::served)); // stable: stored order among equals
    }
    for (int i = 0; i < unsorted.size(); ) {
      int end = i + 1;
      while (end < unsorted.size()
          && unsorted.get(end).served().equals(unsorted.get(i).served())) {
        end++;
      }
      Pending p = unsorted.get(i);
      emit(p.served(), end == i + 1 ? p.chunks() : merged(unsorted.subList(i, end)));
      i = end;
    }
    for (Pending p : unsorted) {
      p.chunks().clear(); // sent: the frames hold copies of its bytes
      spare.add(p.chunks());
    }
    unsorted.clear();
  }

  /** Equal series as one: chunks by start time, identical ones once ({@link PartStream#merged}). */
  private static ChunkRefs merged(List<Pending> equal) {
    List<int[]> all = new ArrayList<>(); // {series, chunk}
    for (int s = 0; s < equal.size(); s++) {
      for (int c = 0; c < equal.get(s).chunks().size(); c++) {
        all.add(new int[] {s, c});
      }
    }
    all.sort(Comparator.comparingLong(e -> equal.get(e[0]).chunks().minTime(e[1]))); // stable
    ChunkRefs out = new ChunkRefs();
    for (int[] e : all) {
      ChunkRefs from = equal.get(e[0]).chunks();
      if (out.size() == 0 || !out.sameChunk(out.size() - 1, from, e[1])) {
        out.add(from, e[1]);
      }
    }
    return out;
  }

  /** Sends one series, in as many frames as its chunk bytes need ({@code SeriesStreamer.emit}). */
  private void emit(Labels labels, ChunkRefs chunks) {
    int from = 0;
    int bytes = 0;
    for (int i = 0; i < chunks.size(); i++) {
      bytes += chunks.messageSize(i);
      if (bytes >= SeriesStreamer.MAX_CHUNK_BYTES_PER_FRAME) {
        out.accept(SeriesFrameWriter.series(labels, chunks, from, i + 1));
        from = i + 1;
        bytes = 0;
      }
    }
    if (from < chunks.size() || from == 0) {
      out.accept(SeriesFrameWriter.series(labels, chunks, from, chunks.size()));
    }
    answered = true;
  }
}
