package dev.strata.tier.query;

import dev.strata.tier.storeapi.StoreClient;
import dev.strata.tier.storeapi.proto.SeriesRequest;
import dev.strata.tsdb.labels.Labels;
import dev.strata.tsdb.storage.Series;
import dev.strata.tsdb.storage.SeriesSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The answer of one endpoint to one {@code Series} request, read on a thread of its own into a
 * small buffer, so that every endpoint streams at once while the merge takes series in label order.
 * Warnings the endpoint sends go to the warning sink; under {@code ABORT} they fail the stream
 * instead, as Thanos's proxy fails the query.
 */
final class SeriesStream {

  /**
   * Series handed over to the merge at a time: one handoff between the threads per batch, not per
   * series (a handoff that parks the merge cost more than reading a small series).
   */
  static final int BATCH = 64;

  /** Batches buffered per endpoint ahead of the merge. */
  private static final int BUFFER = 4;

  /** A series as one store sent it. */
  record StoreSeries(Labels labels, List<StoreChunk> chunks) {}

  /** What the stream hands over: series, and whether they are the last, or why it failed. */
  private record Item(List<StoreSeries> series, boolean last, RuntimeException failure) {}

  /** The endpoint failed; the message names it and says why. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final String address;
  private final StoreClient client;
  private final SeriesRequest request;
  private final boolean resort;
  private final boolean abortOnWarning;
  private final Consumer<String> warnings;
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(BUFFER);
  private volatile boolean cancelled;
  // The reading thread's series not yet handed over.
  private List<StoreSeries> pending = new ArrayList<>(BATCH);
  // The merge's side: the batch being taken from, and whether the last one has come.
  private List<StoreSeries> taking = List.of();
  private int taken;
  private boolean done;

  /**
   * @param resort whether the endpoint leaves replica labels to the querier: they are dropped
   *     here and the answer re-sorted, which needs it whole first
   */
  SeriesStream(Endpoint endpoint, SeriesRequest request, long mint, long maxt, boolean resort,
      boolean abortOnWarning, Consumer<String> warnings) {
    this.address = endpoint.address();
    this.client = StoreClient.onSharedChannel(endpoint.channel(), address, mint, maxt);
    this.request = request;
    this.resort = resort;
    this.abortOnWarning = abortOnWarning;
    this.warnings = warnings;
  }

  String address() {
    return address;
  }

  SeriesStream start(Executor executor) {
    executor.execute(this::run);
    return this;
  }

  /**
   * The next series, or null at the end.
   *
   * @throws Failure if the endpoint failed
   */
  StoreSeries take() {
    while (taken == taking.size()) {
      if (done) {
        return null;
      }
      Item item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancel();
        throw new IllegalStateException("interrupted while reading series from " + address, e);
      }
      if (item.failure() != null) {
        done = true;
        throw item.failure();
      }
      taking = item.series();
      taken = 0;
      done = item.last();
    }
    return taking.get(taken++);
  }

  /** Stops reading: the call is cancelled and the reading thread ends. */
  void cancel() {
    cancelled = true;
    client.close();
  }

  private void run() {
    Item last;
    try {
      last = read() ? new Item(pending, true, null) : null;
    } catch (RuntimeException | Error e) {
      // What was read before the failure is handed over first, as it would have been without it.
      last = flush() ? new Item(List.of(), true, new Failure(describe(e), e)) : null;
    } finally {
      client.close();
    }
    if (last != null && !cancelled) {
      put(last);
    }
  }

  /** Reads the stream into the queue; false if cancelled meanwhile. */
  private boolean read() {
    SeriesSet set = client.select(request);
    List<StoreSeries> all = resort ? new ArrayList<>() : null;
    int warned = 0;
    Labels previous = null;
    while (set.next()) {
      Series s = set.at();
      StoreSeries series = new StoreSeries(s.labels(), StoreChunk.copyOf(s.chunks()));
      warned = passWarnings(warned);
      if (resort) {
        all.add(series);
        continue;
      }
      if (previous != null && previous.compareTo(series.labels()) >= 0) {
        throw new IllegalStateException("the endpoint sent series out of order: "
            + series.labels() + " after " + previous);
      }
      previous = series.labels();
      if (!hand(series)) {
        return false;
      }
    }
    passWarnings(warned);
    if (resort) {
      for (StoreSeries series : withoutReplicaLabels(all)) {
        if (!hand(series)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Adds a series to the batch, handing the batch over when full; false if cancelled. */
  private boolean hand(StoreSeries series) {
    pending.add(series);
    return pending.size() < BATCH || flush();
  }

  /** Hands over the series read and not yet handed over; false if cancelled meanwhile. */
  private boolean flush() {
    if (pending.isEmpty()) {
      return true;
    }
    List<StoreSeries> batch = pending;
    pending = new ArrayList<>(BATCH);
    return put(new Item(batch, false, null));
  }

  /** Hands on the warnings the endpoint sent since the first {@code seen}. */
  private int passWarnings(int seen) {
    List<String> sent = client.warnings();
    for (int i = seen; i < sent.size(); i++) {
      if (abortOnWarning) {
        throw new IllegalStateException("the endpoint warned, and partial response is off: "
            + sent.get(i));
      }
      warnings.accept(sent.get(i));
    }
    return sent.size();
  }

  /**
   * The series with the replica labels dropped, sorted, and those made equal joined, as Thanos's
   * querier does for an endpoint that does not drop them itself.
   */
  private List<StoreSeries> withoutReplicaLabels(List<StoreSeries> all) {
    String[] without = request.getWithoutReplicaLabelsList().toArray(String[]::new);
    List<StoreSeries> relabelled = new ArrayList<>(all.size());
    for (StoreSeries s : all) {
      relabelled.add(new StoreSeries(s.labels().toBuilder().remove(without).build(), s.chunks()));
    }
    relabelled.sort(Comparator.comparing(StoreSeries::labels));
    List<StoreSeries> out = new ArrayList<>(relabelled.size());
    int i = 0;
    while (i < relabelled.size()) {
      int j = i + 1;
      List<List<StoreChunk>> pieces = new ArrayList<>();
      pieces.add(relabelled.get(i).chunks());
      Labels labels = relabelled.get(i).labels();
      while (j < relabelled.size() && relabelled.get(j).labels().equals(labels)) {
        pieces.add(relabelled.get(j).chunks());
        j++;
      }
      out.add(new StoreSeries(relabelled.get(i).labels(), StoreChunk.merge(pieces)));
      i = j;
    }
    return out;
  }

  /** Waits for room in the buffer; false if cancelled meanwhile. */
  private boolean put(Item item) {
    try {
      while (!queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
        if (cancelled) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String describe(Throwable e) {
    return "receive series from " + address + ": " + Wire.describe(e);
  }
}
