package dev.strata.promql.api;

import dev.strata.promql.Matrix;
import dev.strata.promql.QueryStats;
import dev.strata.promql.Sample;
import dev.strata.promql.Scalar;
import dev.strata.promql.StringValue;
import dev.strata.promql.Value;
import dev.strata.promql.Vector;
import dev.strata.tsdb.encoding.GoFloatFormat;
import dev.strata.tsdb.encoding.GoJsonStrings;
import dev.strata.tsdb.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The JSON of Prometheus's v1 API, byte for byte as 2.42 writes it: the {@code status}/{@code data}
 * envelope with {@code warnings} only when there are some, results as {@code resultType} and
 * {@code result}, sample timestamps in seconds with the milliseconds as exactly three decimals
 * (none when whole), sample values as Go strings ({@code "NaN"}, {@code "+Inf"}, {@code "1e-07"}),
 * and scalars and strings as Go's {@code encoding/json} writes a float pair.
 */
final class ApiJson {
  private final StringBuilder out = new StringBuilder(256);

  /** {@code {"status":"success","data":<data>[,"warnings":[...]]}}; {@code data} appends itself. */
  static byte[] success(java.util.function.Consumer<ApiJson> data, List<String> warnings) {
    ApiJson json = new ApiJson();
    json.out.append("{\"status\":\"success\",\"data\":");
    data.accept(json);
    if (!warnings.isEmpty()) {
      json.out.append(",\"warnings\":");
      json.strings(warnings);
    }
    json.out.append('}');
    return json.bytes();
  }

  /** {@code {"status":"error","errorType":...,"error":...}}. */
  static byte[] error(String errorType, String message) {
    ApiJson json = new ApiJson();
    json.out.append("{\"status\":\"error\",\"errorType\":");
    json.string(errorType);
    json.out.append(",\"error\":");
    json.string(message);
    json.out.append('}');
    return json.bytes();
  }

  private byte[] bytes() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  ApiJson raw(String text) {
    out.append(text);
    return this;
  }

  ApiJson string(String s) {
    GoJsonStrings.append(s, out);
    return this;
  }

  ApiJson strings(Collection<String> values) {
    out.append('[');
    boolean first = true;
    for (String v : values) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(v);
    }
    out.append(']');
    return this;
  }

  /** A JSON object of strings, keys in the map's order (Go sorts map keys: pass a sorted map). */
  ApiJson stringMap(Map<String, String> map) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, String> e : map.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      string(e.getKey()).raw(":").string(e.getValue());
    }
    out.append('}');
    return this;
  }

  /** A label set as an object, in label order ({@code labels.Labels.MarshalJSON}). */
  ApiJson labels(Labels labels) {
    out.append('{');
    int n = labels.size();
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        out.append(',');
      }
      string(labels.name(i)).raw(":").string(labels.value(i));
    }
    out.append('}');
    return this;
  }

  ApiJson labelsList(List<Labels> list) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      labels(list.get(i));
    }
    out.append(']');
    return this;
  }

  /** {@code {"resultType":...,"result":...[,"stats":...]}}. */
  ApiJson queryData(Value value, QueryStats stats) {
    out.append("{\"resultType\":\"").append(resultType(value)).append("\",\"result\":");
    if (value instanceof Matrix m) {
      matrix(m);
    } else if (value instanceof Vector v) {
      vector(v);
    } else if (value instanceof Scalar s) {
      floatPair(s.timestampMs(), GoFloatFormat.plain(s.value()));
    } else if (value instanceof StringValue s) {
      floatPair(s.timestampMs(), s.value());
    }
    if (stats != null) {
      out.append(",\"stats\":");
      stats(stats);
    }
    out.append('}');
    return this;
  }

  static String resultType(Value value) {
    if (value instanceof Matrix) {
      return "matrix";
    } else if (value instanceof Vector) {
      return "vector";
    } else if (value instanceof Scalar) {
      return "scalar";
    }
    return "string";
  }

  private void matrix(Matrix m) {
    out.append('[');
    List<Matrix.Series> series = m.series();
    long points = 0;
    for (Matrix.Series s : series) {
      points += s.timestamps().length;
    }
    // About 30 bytes a point: growing by doubling would copy the answer several times over.
    out.ensureCapacity((int) Math.min(Integer.MAX_VALUE - 16, out.length() + points * 30 + 256));
    // A range query's series share their steps: each step's time is formatted once.
    TimestampTexts times = new TimestampTexts();
    for (int i = 0; i < series.size(); i++) {
      Matrix.Series s = series.get(i);
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"metric\":");
      labels(s.labels());
      out.append(",\"values\":[");
      long[] ts = s.timestamps();
      double[] vs = s.values();
      for (int j = 0; j < ts.length; j++) {
        if (j > 0) {
          out.append(',');
        }
        out.append('[').append(times.text(j, ts[j])).append(",\"");
        GoFloatFormat.appendSampleValue(out, vs[j]).append("\"]");
      }
      out.append("]}");
    }
    out.append(']');
  }

  private void vector(Vector v) {
    out.append('[');
    List<Sample> samples = v.samples();
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"metric\":");
      labels(s.labels());
      out.append(",\"value\":");
      point(s.timestampMs(), s.value());
      out.append('}');
    }
    out.append(']');
  }

  private void point(long t, double v) {
    out.append('[');
    timestamp(t);
    out.append(",\"");
    GoFloatFormat.appendSampleValue(out, v).append("\"]");
  }

  /** The text of each step's time, by position, kept while the next series has the same time there. */
  private static final class TimestampTexts {
    private long[] keys = new long[0];
    private String[] texts = new String[0];

    String text(int j, long t) {
      if (j >= keys.length) {
        int n = Math.max(16, Math.max(j + 1, keys.length * 2));
        keys = java.util.Arrays.copyOf(keys, n);
        texts = java.util.Arrays.copyOf(texts, n);
      }
      if (texts[j] == null || keys[j] != t) {
        StringBuilder sb = new StringBuilder(16);
        appendTimestamp(sb, t);
        keys[j] = t;
        texts[j] = sb.toString();
      }
      return texts[j];
    }
  }

  private void timestamp(long t) {
    appendTimestamp(out, t);
  }

  // jsonutil.MarshalTimestamp: seconds, then the milliseconds as three digits unless zero.
  private static void appendTimestamp(StringBuilder out, long t) {
    if (t < 0) {
      out.append('-');
      t = -t;
    }
    out.append(t / 1000);
    long fraction = t % 1000;
    if (fraction != 0) {
      out.append('.');
      if (fraction < 100) {
        out.append('0');
      }
      if (fraction < 10) {
        out.append('0');
      }
      out.append(fraction);
    }
  }

  // Scalars and strings marshal as a Go [2]interface{}: a float64 of seconds, then a string.
  private void floatPair(long t, String text) {
    out.append('[').append(GoFloatFormat.jsonNumber(t / 1000.0)).append(',');
    string(text);
    out.append(']');
  }

  private void stats(QueryStats stats) {
    double seconds = stats.evaluationNanos() / 1e9;
    out.append("{\"timings\":{\"evalTotalTime\":").append(GoFloatFormat.jsonNumber(seconds))
        .append(",\"resultSortTime\":0,\"queryPreparationTime\":0,\"innerEvalTime\":")
        .append(GoFloatFormat.jsonNumber(seconds))
        .append(",\"execQueueTime\":0,\"execTotalTime\":").append(GoFloatFormat.jsonNumber(seconds))
        .append("},\"samples\":{\"totalQueryableSamples\":").append(stats.samples())
        .append(",\"peakSamples\":").append(stats.peakSamples()).append("}}");
  }
}
