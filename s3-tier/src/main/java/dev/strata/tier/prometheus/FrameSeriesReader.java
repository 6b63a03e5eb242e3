package dev.strata.tier.prometheus;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.strata.tier.prometheus.proto.Chunk;
import dev.strata.tier.prometheus.proto.ChunkedReadResponse;
import dev.strata.tier.prometheus.proto.ChunkedSeries;
import dev.strata.tier.prometheus.proto.Label;
import dev.strata.tier.storeapi.RawChunkQuerier.RawChunkSink;
import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hands the series of remote read frames to a {@link RawChunkSink} straight from the frames'
 * bytes: each frame's {@code ChunkedReadResponse} is read field by field into a few reused arrays
 * (where each chunk's bytes are, its times and type; the label strings), never into messages, and
 * each chunk is handed over as a reference into the frame. The labels handed over are those
 * Prometheus stores the series with, as {@link RemoteReadSeriesSet#localLabels} makes them.
 *
 * <p>A frame is read whole before any of it is handed over, so a frame that is not a {@code
 * ChunkedReadResponse} hands over nothing, as when it is parsed into a message; its failure is
 * then the protobuf parser's own. Not thread-safe.
 */
final class FrameSeriesReader {
  // Tags (field number << 3 | wire type) of ChunkedReadResponse, ChunkedSeries, Label and Chunk.
  private static final int RESPONSE_SERIES = 1 << 3 | 2;
  private static final int SERIES_LABELS = 1 << 3 | 2;
  private static final int SERIES_CHUNKS = 2 << 3 | 2;
  private static final int LABEL_NAME = 1 << 3 | 2;
  private static final int LABEL_VALUE = 2 << 3 | 2;
  private static final int CHUNK_MIN_TIME = 1 << 3;
  private static final int CHUNK_MAX_TIME = 2 << 3;
  private static final int CHUNK_TYPE = 3 << 3;
  private static final int CHUNK_DATA = 4 << 3 | 2;

  private final Labels externalLabels;
  private final Labels.Builder labels = Labels.builder();

  // The frame read: per series, its labels in `strings` (name, value, ...) and its chunks.
  private int series;
  private int[] labelsEnd = new int[16];
  private int[] chunksEnd = new int[16];
  private final List<String> strings = new ArrayList<>();
  private int chunks;
  private long[] minTimes = new long[256];
  private long[] maxTimes = new long[256];
  private int[] types = new int[256];
  private int[] offsets = new int[256];
  private int[] lengths = new int[256];

  /** @param externalLabels Prometheus's external labels, taken off the series' labels */
  FrameSeriesReader(Labels externalLabels) {
    this.externalLabels = externalLabels;
  }

  /**
   * Hands the series (or parts of series) of one frame to {@code sink}.
   *
   * @throws InvalidProtocolBufferException if the frame data is not a {@code
   *     ChunkedReadResponse}; nothing was handed over then
   */
  void read(byte[] data, RawChunkSink sink) throws InvalidProtocolBufferException {
    try {
      parse(data);
    } catch (IOException e) { // only InvalidProtocolBufferException from an array
      // The parser's own words for what is wrong, and its verdict should it differ from this one.
      ChunkedReadResponse message = ChunkedReadResponse.parseFrom(data);
      handOver(message, sink);
      return;
    }
    int label = 0;
    int chunk = 0;
    for (int s = 0; s < series; s++) {
      labels.clear();
      for (; label < labelsEnd[s]; label += 2) {
        local(strings.get(label), strings.get(label + 1));
      }
      sink.series(labels.build());
      for (; chunk < chunksEnd[s]; chunk++) {
        sink.chunk(minTimes[chunk], maxTimes[chunk], (byte) types[chunk], data, offsets[chunk],
            lengths[chunk]);
      }
    }
  }

  // The label unless Prometheus added it as an external label (RemoteReadSeriesSet.localLabels).
  private void local(String name, String value) {
    if (!value.equals(externalLabels.get(name))) {
      labels.set(name, value);
    }
  }

  /** A frame the protobuf parser reads though this reader does not: handed over as parsed. */
  private void handOver(ChunkedReadResponse message, RawChunkSink sink) {
    for (ChunkedSeries s : message.getChunkedSeriesList()) {
      labels.clear();
      for (Label l : s.getLabelsList()) {
        local(l.getName(), l.getValue());
      }
      sink.series(labels.build());
      for (Chunk c : s.getChunksList()) {
        byte[] bytes = c.getData().toByteArray();
        sink.chunk(c.getMinTimeMs(), c.getMaxTimeMs(), (byte) c.getTypeValue(), bytes, 0,
            bytes.length);
      }
    }
  }

  private void parse(byte[] data) throws IOException {
    series = 0;
    chunks = 0;
    strings.clear();
    CodedInputStream in = CodedInputStream.newInstance(data);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == RESPONSE_SERIES) {
        int limit = in.pushLimit(in.readRawVarint32());
        parseSeries(in);
        in.checkLastTagWas(0);
        in.popLimit(limit);
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    in.checkLastTagWas(0);
  }

  private void parseSeries(CodedInputStream in) throws IOException {
    if (series == labelsEnd.length) {
      labelsEnd = Arrays.copyOf(labelsEnd, series * 2);
      chunksEnd = Arrays.copyOf(chunksEnd, series * 2);
    }
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == SERIES_LABELS) {
        int limit = in.pushLimit(in.readRawVarint32());
        parseLabel(in);
        in.checkLastTagWas(0);
        in.popLimit(limit);
      } else if (tag == SERIES_CHUNKS) {
        int limit = in.pushLimit(in.readRawVarint32());
        parseChunk(in);
        in.checkLastTagWas(0);
        in.popLimit(limit);
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    labelsEnd[series] = strings.size();
    chunksEnd[series] = chunks;
    series++;
  }

  private void parseLabel(CodedInputStream in) throws IOException {
    String name = "";
    String value = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == LABEL_NAME) {
        name = in.readStringRequireUtf8();
      } else if (tag == LABEL_VALUE) {
        value = in.readStringRequireUtf8();
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    strings.add(name);
    strings.add(value);
  }

  private void parseChunk(CodedInputStream in) throws IOException {
    if (chunks == minTimes.length) {
      int n = chunks * 2;
      minTimes = Arrays.copyOf(minTimes, n);
      maxTimes = Arrays.copyOf(maxTimes, n);
      types = Arrays.copyOf(types, n);
      offsets = Arrays.copyOf(offsets, n);
      lengths = Arrays.copyOf(lengths, n);
    }
    long minTime = 0;
    long maxTime = 0;
    int type = 0;
    int offset = 0;
    int length = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == CHUNK_MIN_TIME) {
        minTime = in.readInt64();
      } else if (tag == CHUNK_MAX_TIME) {
        maxTime = in.readInt64();
      } else if (tag == CHUNK_TYPE) {
        type = in.readEnum();
      } else if (tag == CHUNK_DATA) {
        length = in.readRawVarint32();
        offset = in.getTotalBytesRead();
        in.skipRawBytes(length); // fails for a negative length or one past the frame's end
      } else if (!in.skipField(tag)) {
        break;
      }
    }
    minTimes[chunks] = minTime;
    maxTimes[chunks] = maxTime;
    types[chunks] = type;
    offsets[chunks] = offset;
    lengths[chunks] = length;
    chunks++;
  }
}
