package dev.strata.tier.prometheus;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.strata.tier.prometheus.proto.ChunkedReadResponse;
import dev.strata.tier.prometheus.proto.ChunkedSeries;
import dev.strata.tier.prometheus.proto.ReadResponse;
import dev.strata.tier.prometheus.proto.TimeSeries;
import dev.strata.tier.storeapi.RawChunkQuerier.RawChunkSink;
import dev.strata.tsdb.labels.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.xerial.snappy.Snappy;

/**
 * Prometheus's answer to one remote read query, as series with chunks, whichever form Prometheus
 * chose: streamed chunks, read frame by frame as they arrive, or (from a Prometheus that does not
 * stream) raw samples, re-chunked into XOR chunks of at most 120 samples.
 *
 * <p>Series come as Prometheus sends them, its external labels merged in. Streamed series are
 * sorted by the labels Prometheus stores them with, and a long one may come in several parts in a
 * row (same labels); sampled series come whole, in no particular order, and those without samples
 * are left out. Close the answer to release the connection when not reading to the end.
 *
 * <p>Not thread-safe.
 */
public final class RemoteReadResponse implements Closeable {
  private final String url;
  private final ChunkedReadFrames frames; // null for a sampled answer
  private final ArrayDeque<ChunkedSeries> pending = new ArrayDeque<>();
  private boolean ended;

  private RemoteReadResponse(String url, ChunkedReadFrames frames, List<ChunkedSeries> series) {
    this.url = url;
    this.frames = frames;
    this.pending.addAll(series);
    this.ended = frames == null;
  }

  /**
   * A streamed answer read from {@code body}, which the answer owns.
   *
   * @param url the remote read URL, for error messages
   */
  static RemoteReadResponse streamed(InputStream body, String url, int maxFrameBytes) {
    String source = "remote read answer of " + url;
    return new RemoteReadResponse(
        url, new ChunkedReadFrames(body, source, maxFrameBytes), List.of());
  }

  /**
   * A sampled answer: the snappy-compressed {@code ReadResponse} in {@code body}.
   *
   * @throws PrometheusException if the body is not that, or holds other than one query's result
   */
  static RemoteReadResponse sampled(byte[] body, String url, String call)
      throws PrometheusException {
    ReadResponse response;
    try {
      response = ReadResponse.parseFrom(Snappy.uncompress(body));
    } catch (IOException e) {
      throw new PrometheusException(
          call, "the sampled answer of " + url + " is not a snappy-compressed"
              + " prometheus.ReadResponse: " + e.getMessage(), e);
    }
    if (response.getResultsCount() != 1) {
      throw new PrometheusException(
          call, "the sampled answer of " + url + " holds " + response.getResultsCount()
              + " query results for one query", null);
    }
    List<ChunkedSeries> series = new ArrayList<>();
    for (TimeSeries ts : response.getResults(0).getTimeseriesList()) {
      if (ts.getSamplesCount() == 0) {
        continue;
      }
      try {
        series.add(
            ChunkedSeries.newBuilder()
                .addAllLabels(ts.getLabelsList())
                .addAllChunks(
                    SampleChunks.xor(ts.getSamplesList(), SampleChunks.MAX_SAMPLES_PER_CHUNK))
                .build());
      } catch (IllegalArgumentException e) {
        throw new PrometheusException(
            call, "the sampled answer of " + url + " has a series whose " + e.getMessage(), e);
      }
    }
    return new RemoteReadResponse(url, null, series);
  }

  /** Whether Prometheus streamed chunks (rather than sending raw samples). */
  public boolean streamed() {
    return frames != null;
  }

  /**
   * The next series, or the next part of a streamed one; empty at the end.
   *
   * @throws dev.strata.tsdb.encoding.CorruptDataException if a frame of the stream is corrupt
   * @throws PrometheusUnreachableException if the connection fails before the answer ends
   */
  public Optional<ChunkedSeries> next() throws PrometheusException {
    while (pending.isEmpty() && !ended) {
      Optional<ChunkedReadResponse> frame = readFrame();
      if (frame.isEmpty()) {
        ended = true;
      } else {
        pending.addAll(frame.get().getChunkedSeriesList());
      }
    }
    return Optional.ofNullable(pending.poll());
  }

  /** All remaining series and parts of series. */
  public List<ChunkedSeries> remaining() throws PrometheusException {
    List<ChunkedSeries> all = new ArrayList<>(pending.size());
    for (Optional<ChunkedSeries> s = next(); s.isPresent(); s = next()) {
      all.add(s.get());
    }
    return all;
  }

  /**
   * Hands the rest of a streamed answer to {@code sink}, frame by frame, straight from the frames'
   * bytes (see {@link FrameSeriesReader}), then closes the answer.
   *
   * @param externalLabels Prometheus's external labels, taken off the series' labels
   * @throws IllegalStateException for a sampled answer
   * @throws dev.strata.tsdb.encoding.CorruptDataException if a frame of the stream is corrupt
   * @throws PrometheusUnreachableException if the connection fails before the answer ends
   */
  void readRaw(RawChunkSink sink, Labels externalLabels) throws PrometheusException {
    if (frames == null) {
      throw new IllegalStateException("a sampled answer has no frames to read");
    }
    FrameSeriesReader reader = new FrameSeriesReader(externalLabels);
    try {
      for (Optional<ChunkedReadFrames.Frame> f = readRawFrame(); f.isPresent();
          f = readRawFrame()) {
        try {
          reader.read(f.get().data(), sink);
        } catch (InvalidProtocolBufferException e) {
          throw frames.notAResponse(f.get(), e);
        }
      }
    } finally {
      close();
    }
  }

  /** Releases the connection; the rest of a streamed answer is not read. */
  @Override
  public void close() {
    pending.clear();
    ended = true;
    if (frames != null) {
      try {
        frames.close();
      } catch (IOException e) {
        // Closing only drops the connection; nothing is lost.
      }
    }
  }

  private Optional<ChunkedReadResponse> readFrame() throws PrometheusException {
    try {
      return frames.next();
    } catch (IOException e) {
      throw brokeOff(e);
    }
  }

  private Optional<ChunkedReadFrames.Frame> readRawFrame() throws PrometheusException {
    try {
      return frames.nextFrame();
    } catch (IOException e) {
      throw brokeOff(e);
    }
  }

  private PrometheusUnreachableException brokeOff(IOException e) {
    return new PrometheusUnreachableException(
        "POST " + PrometheusClient.READ_PATH,
        "the remote read answer of " + url + " broke off after " + frames.offset()
            + " bytes: " + PrometheusClient.reason(e), e);
  }
}
