package dev.strata.tier.storeapi;

import com.google.protobuf.CodedOutputStream;
import dev.strata.tier.storeapi.proto.AggrChunk;
import dev.strata.tier.storeapi.proto.Chunk;
import dev.strata.tsdb.labels.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Writes a series as the bytes of a {@code thanos.SeriesResponse}, field by field, exactly as
 * protobuf would serialize the message ({@code SeriesResponse{series: Series{labels, chunks}}}):
 * fields in number order, proto3 defaults (0, empty) left out, sub-messages that are set written
 * even when empty. Building a {@code Series} and a {@code SeriesResponse} per frame and having gRPC
 * serialize them walked every chunk twice more; this writes each once, into an array of exactly
 * the message's size.
 */
final class SeriesFrameWriter {
  // Field numbers of thanos.SeriesResponse, Series, Label, AggrChunk and Chunk (types.proto).
  private static final int RESPONSE_SERIES = 1;
  private static final int SERIES_LABELS = 1;
  private static final int SERIES_CHUNKS = 2;
  private static final int LABEL_NAME = 1;
  private static final int LABEL_VALUE = 2;
  private static final int AGGR_MIN_TIME = 1;
  private static final int AGGR_MAX_TIME = 2;
  private static final int AGGR_RAW = 3;
  private static final int AGGR_COUNT = 4;
  private static final int AGGR_SUM = 5;
  private static final int AGGR_MIN = 6;
  private static final int AGGR_MAX = 7;
  private static final int AGGR_COUNTER = 8;
  private static final int CHUNK_TYPE = 1;
  private static final int CHUNK_DATA = 2;
  private static final int CHUNK_HASH = 3;

  private SeriesFrameWriter() {}

  /** The serialized size of {@code chunk} as an {@code AggrChunk} message, without its tag. */
  static int size(AggrChunk chunk) {
    int size = 0;
    if (chunk.getMinTime() != 0) {
      size += CodedOutputStream.computeInt64Size(AGGR_MIN_TIME, chunk.getMinTime());
    }
    if (chunk.getMaxTime() != 0) {
      size += CodedOutputStream.computeInt64Size(AGGR_MAX_TIME, chunk.getMaxTime());
    }
    if (chunk.hasRaw()) {
      size += nested(AGGR_RAW, size(chunk.getRaw()));
    }
    if (chunk.hasCount()) {
      size += nested(AGGR_COUNT, size(chunk.getCount()));
    }
    if (chunk.hasSum()) {
      size += nested(AGGR_SUM, size(chunk.getSum()));
    }
    if (chunk.hasMin()) {
      size += nested(AGGR_MIN, size(chunk.getMin()));
    }
    if (chunk.hasMax()) {
      size += nested(AGGR_MAX, size(chunk.getMax()));
    }
    if (chunk.hasCounter()) {
      size += nested(AGGR_COUNTER, size(chunk.getCounter()));
    }
    return size;
  }

  /**
   * The frame of {@code labels} with {@code chunks[from, to)}, whose sizes ({@link #size}) are
   * {@code sizes[from, to)}.
   */
  static SeriesFrame series(Labels labels, List<AggrChunk> chunks, int[] sizes, int from, int to) {
    return frame(labels, new ChunkMessages() {
      @Override
      public int size(int i) {
        return sizes[i];
      }

      @Override
      public void write(int i, CodedOutputStream out) throws IOException {
        SeriesFrameWriter.write(chunks.get(i), out);
      }
    }, from, to);
  }

  /** The chunk messages of one frame: the size of each, and how it is written. */
  private interface ChunkMessages {
    int size(int i);

    void write(int i, CodedOutputStream out) throws IOException;
  }

  /** The frame of {@code labels} with chunk messages {@code [from, to)}, in an array of its size. */
  private static SeriesFrame frame(Labels labels, ChunkMessages chunks, int from, int to) {
    int seriesSize = labelsSize(labels);
    for (int i = from; i < to; i++) {
      seriesSize += nested(SERIES_CHUNKS, chunks.size(i));
    }
    byte[] bytes = new byte[nested(RESPONSE_SERIES, seriesSize)];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeTag(RESPONSE_SERIES, 2);
      out.writeUInt32NoTag(seriesSize);
      writeLabels(labels, out);
      for (int i = from; i < to; i++) {
        out.writeTag(SERIES_CHUNKS, 2);
        out.writeUInt32NoTag(chunks.size(i));
        chunks.write(i, out);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("writing a series frame into an array of its size", e);
    }
    return new SeriesFrame(bytes, true, to - from);
  }

  private static void write(AggrChunk chunk, CodedOutputStream out) throws IOException {
    if (chunk.getMinTime() != 0) {
      out.writeInt64(AGGR_MIN_TIME, chunk.getMinTime());
    }
    if (chunk.getMaxTime() != 0) {
      out.writeInt64(AGGR_MAX_TIME, chunk.getMaxTime());
    }
    if (chunk.hasRaw()) {
      write(AGGR_RAW, chunk.getRaw(), out);
    }
    if (chunk.hasCount()) {
      write(AGGR_COUNT, chunk.getCount(), out);
    }
    if (chunk.hasSum()) {
      write(AGGR_SUM, chunk.getSum(), out);
    }
    if (chunk.hasMin()) {
      write(AGGR_MIN, chunk.getMin(), out);
    }
    if (chunk.hasMax()) {
      write(AGGR_MAX, chunk.getMax(), out);
    }
    if (chunk.hasCounter()) {
      write(AGGR_COUNTER, chunk.getCounter(), out);
    }
  }

  private static void write(int field, Chunk chunk, CodedOutputStream out) throws IOException {
    out.writeTag(field, 2);
    out.writeUInt32NoTag(size(chunk));
    if (chunk.getTypeValue() != 0) {
      out.writeEnum(CHUNK_TYPE, chunk.getTypeValue());
    }
    if (!chunk.getData().isEmpty()) {
      out.writeBytes(CHUNK_DATA, chunk.getData());
    }
    if (chunk.getHash() != 0) {
      out.writeUInt64(CHUNK_HASH, chunk.getHash());
    }
  }

  private static int size(Chunk chunk) {
    int size = 0;
    if (chunk.getTypeValue() != 0) {
      size += CodedOutputStream.computeEnumSize(CHUNK_TYPE, chunk.getTypeValue());
    }
    if (!chunk.getData().isEmpty()) {
      size += CodedOutputStream.computeBytesSize(CHUNK_DATA, chunk.getData());
    }
    if (chunk.getHash() != 0) {
      size += CodedOutputStream.computeUInt64Size(CHUNK_HASH, chunk.getHash());
    }
    return size;
  }

  /**
   * The serialized size of a raw chunk as an {@code AggrChunk} message, without its tag: what
   * {@link #size(AggrChunk)} gives for {@code AggrChunk{min_time, max_time, raw: Chunk{type, data,
   * hash}}} with {@code length} data bytes.
   */
  static int rawChunkSize(long minTime, long maxTime, byte type, int length, long hash) {
    int size = 0;
    if (minTime != 0) {
      size += CodedOutputStream.computeInt64Size(AGGR_MIN_TIME, minTime);
    }
    if (maxTime != 0) {
      size += CodedOutputStream.computeInt64Size(AGGR_MAX_TIME, maxTime);
    }
    return size + nested(AGGR_RAW, rawSize(type, length, hash));
  }

  private static int rawSize(byte type, int length, long hash) {
    int size = 0;
    if (type != 0) {
      size += CodedOutputStream.computeEnumSize(CHUNK_TYPE, type);
    }
    if (length != 0) {
      size += CodedOutputStream.computeTagSize(CHUNK_DATA)
          + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
    }
    if (hash != 0) {
      size += CodedOutputStream.computeUInt64Size(CHUNK_HASH, hash);
    }
    return size;
  }

  /**
   * The frame of {@code labels} with raw chunks {@code chunks[from, to)}, byte for byte what
   * {@link #series(Labels, List, int[], int, int)} writes for the same chunks as messages.
   */
  static SeriesFrame series(Labels labels, ChunkRefs chunks, int from, int to) {
    return frame(labels, new ChunkMessages() {
      @Override
      public int size(int i) {
        return chunks.messageSize(i);
      }

      @Override
      public void write(int i, CodedOutputStream out) throws IOException {
        writeRaw(chunks, i, out);
      }
    }, from, to);
  }

  /** Raw chunk {@code i} of {@code chunks} as an {@code AggrChunk} message, without its tag. */
  private static void writeRaw(ChunkRefs chunks, int i, CodedOutputStream out)
      throws IOException {
    long minTime = chunks.minTime(i);
    long maxTime = chunks.maxTime(i);
    if (minTime != 0) {
      out.writeInt64(AGGR_MIN_TIME, minTime);
    }
    if (maxTime != 0) {
      out.writeInt64(AGGR_MAX_TIME, maxTime);
    }
    byte type = chunks.type(i);
    int length = chunks.length(i);
    long hash = chunks.hash(i);
    out.writeTag(AGGR_RAW, 2);
    out.writeUInt32NoTag(rawSize(type, length, hash));
    if (type != 0) {
      out.writeEnum(CHUNK_TYPE, type);
    }
    if (length != 0) {
      out.writeTag(CHUNK_DATA, 2);
      out.writeUInt32NoTag(length);
      out.writeRawBytes(chunks.data(i), chunks.offset(i), length);
    }
    if (hash != 0) {
      out.writeUInt64(CHUNK_HASH, hash);
    }
  }

  private static int labelsSize(Labels labels) {
    int size = 0;
    for (int i = 0; i < labels.size(); i++) {
      size += nested(SERIES_LABELS, labelSize(labels.name(i), labels.value(i)));
    }
    return size;
  }

  private static void writeLabels(Labels labels, CodedOutputStream out) throws IOException {
    for (int i = 0; i < labels.size(); i++) {
      String name = labels.name(i);
      String value = labels.value(i);
      out.writeTag(SERIES_LABELS, 2);
      out.writeUInt32NoTag(labelSize(name, value));
      if (!name.isEmpty()) {
        out.writeString(LABEL_NAME, name);
      }
      if (!value.isEmpty()) {
        out.writeString(LABEL_VALUE, value);
      }
    }
  }

  private static int labelSize(String name, String value) {
    return (name.isEmpty() ? 0 : CodedOutputStream.computeStringSize(LABEL_NAME, name))
        + (value.isEmpty() ? 0 : CodedOutputStream.computeStringSize(LABEL_VALUE, value));
  }

  /** A length-delimited field of {@code size} bytes, with its tag and length. */
  private static int nested(int field, int size) {
    return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(size)
        + size;
  }
}
