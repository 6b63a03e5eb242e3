package dev.strata.tsdb.labels;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable label set: the identity of a series.
 *
 * <p>Labels are sorted by name in UTF-8 byte order ({@link Utf8Order}) and names are unique, as in
 * Prometheus, so that two equal sets have one representation and hash, compare and serialize
 * identically to Prometheus's. A label with an empty value is the same as no label at all (a
 * matcher sees an absent label as {@code ""}), so empty values are dropped when a set is built and
 * never stored.
 *
 * <p>The set is kept in one array of alternating names and values: one object besides the strings,
 * and cache-friendly scans. {@link #hashCode} is computed on first use and cached; {@link #hash}
 * (Prometheus's 64-bit hash) is computed on each call without allocating, since the callers that
 * need it (series lookup in the head) keep it themselves.
 *
 * <p>The public factories validate names and values ({@link LabelValidation}). Label sets read from
 * Strata's own files, which were validated when first written, should use {@link
 * #fromSortedTrusted}, which checks nothing and copies nothing.
 */
public final class Labels implements Comparable<Labels> {

  /** The label that holds the metric name. */
  public static final String METRIC_NAME = "__name__";

  private static final String[] NO_STRINGS = new String[0];

  /** The empty label set. */
  public static final Labels EMPTY = new Labels(NO_STRINGS);

  // Size at or below which get() scans rather than bisects: short names compare fast, and the
  // scan needs no ordering comparison.
  private static final int SCAN_LIMIT = 8;

  private final String[] pairs;
  private int hashCode;

  private Labels(String[] pairs) {
    this.pairs = pairs;
  }

  /**
   * The label set of the given name/value pairs, in any order.
   *
   * @param nameValuePairs {@code name0, value0, name1, value1, ...}; pairs with an empty value are
   *     dropped
   * @throws InvalidLabelsException if the count is odd, a name occurs twice (even with an empty
   *     value) or a name or value is invalid
   * @throws NullPointerException if a name or value is null
   */
  public static Labels of(String... nameValuePairs) {
    if ((nameValuePairs.length & 1) != 0) {
      throw new InvalidLabelsException(
          null,
          "labels need name/value pairs, got an odd number of strings ("
              + nameValuePairs.length
              + ")");
    }
    String[] work = nameValuePairs.clone();
    for (int i = 0; i < work.length; i += 2) {
      String name = Objects.requireNonNull(work[i], "label name is null");
      String value =
          Objects.requireNonNull(work[i + 1], () -> "value of label " + name + " is null");
      LabelValidation.checkLabelName(name);
      LabelValidation.checkLabelValue(name, value);
    }
    return sortedAndCompacted(work);
  }

  /**
   * The label set of a map from names to values; entries with an empty value are dropped.
   *
   * @throws InvalidLabelsException if a name or value is invalid
   * @throws NullPointerException if a name or value is null
   */
  public static Labels fromMap(Map<String, String> labels) {
    String[] work = new String[labels.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : labels.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "label name is null");
      String value =
          Objects.requireNonNull(e.getValue(), () -> "value of label " + name + " is null");
      LabelValidation.checkLabelName(name);
      LabelValidation.checkLabelValue(name, value);
      work[i++] = name;
      work[i++] = value;
    }
    return sortedAndCompacted(work);
  }

  /**
   * Adopts {@code pairs} (alternating names and values) as a label set without checking or copying
   * it: the fast path for label sets read from an index, a WAL or a chunk snapshot.
   *
   * <p>The caller guarantees that the names are valid, strictly ascending in {@link Utf8Order}
   * (hence unique), that no value is empty, and that nobody modifies the array afterwards. Breaking
   * that contract gives sets that compare, hash and look up wrongly; with assertions enabled it
   * fails here instead. Use {@link LabelValidation#validate} when the source is not trusted.
   */
  public static Labels fromSortedTrusted(String[] pairs) {
    assert isWellFormed(pairs) : "labels not sorted, duplicated or with empty values";
    return pairs.length == 0 ? EMPTY : new Labels(pairs);
  }

  /** A builder for a new label set. */
  public static Builder builder() {
    return new Builder(EMPTY);
  }

  /** A builder that starts from this label set, for deriving a modified set. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Number of labels. */
  public int size() {
    return pairs.length >> 1;
  }

  /** Whether there are no labels. */
  public boolean isEmpty() {
    return pairs.length == 0;
  }

  /** Name of the {@code i}-th label in ascending name order. */
  public String name(int i) {
    return pairs[Objects.checkIndex(i, size()) << 1];
  }

  /** Value of the {@code i}-th label in ascending name order; never empty. */
  public String value(int i) {
    return pairs[(Objects.checkIndex(i, size()) << 1) + 1];
  }

  /** Value of label {@code name}, or {@code ""} if there is none: matchers see absent as empty. */
  public String get(String name) {
    int i = find(pairs, pairs.length >> 1, name);
    return i < 0 ? "" : pairs[(i << 1) + 1];
  }

  /** Whether there is a label called {@code name}. */
  public boolean has(String name) {
    return find(pairs, pairs.length >> 1, name) >= 0;
  }

  /** Value of {@code __name__}, or {@code ""} if there is none. */
  public String metricName() {
    return get(METRIC_NAME);
  }

  /**
   * This set without {@code __name__}: PromQL drops the metric name from the result of most
   * functions and operators. Returns {@code this} when there is no metric name.
   */
  public Labels dropMetricName() {
    int i = find(pairs, pairs.length >> 1, METRIC_NAME);
    if (i < 0) {
      return this;
    }
    if (pairs.length == 2) {
      return EMPTY;
    }
    String[] out = new String[pairs.length - 2];
    System.arraycopy(pairs, 0, out, 0, i << 1);
    System.arraycopy(pairs, (i + 1) << 1, out, i << 1, out.length - (i << 1));
    return new Labels(out);
  }

  /** Calls {@code consumer} for each label in ascending name order. */
  public void forEach(LabelConsumer consumer) {
    String[] p = pairs;
    for (int i = 0; i < p.length; i += 2) {
      consumer.accept(p[i], p[i + 1]);
    }
  }

  /** A new, modifiable map of the labels, iterating in ascending name order. */
  public Map<String, String> toMap() {
    Map<String, String> m = new LinkedHashMap<>(pairs.length);
    forEach(m::put);
    return m;
  }

  /**
   * Prometheus's {@code Labels.Hash()}: XXH64 (seed 0) over {@code name 0xFF value 0xFF} for each
   * label in order, in UTF-8. Equal sets have equal hashes across processes, versions and
   * construction paths; Prometheus computes the same value for the same set.
   */
  public long hash() {
    return Xxh64.hashLabels(pairs);
  }

  @Override
  public int hashCode() {
    int h = hashCode;
    if (h == 0) {
      h = Arrays.hashCode(pairs);
      hashCode = h; // racy but idempotent, as String.hashCode
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Labels other)) {
      return false;
    }
    String[] a = pairs;
    String[] b = other.pairs;
    if (a.length != b.length || hashCode() != other.hashCode()) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (!a[i].equals(b[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Prometheus's {@code labels.Compare}: label by label, by name and then value in UTF-8 byte
   * order; if one set is a prefix of the other, the shorter comes first. Consistent with {@link
   * #equals}.
   */
  @Override
  public int compareTo(Labels o) {
    String[] a = pairs;
    String[] b = o.pairs;
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      int c = Utf8Order.compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  /**
   * Prometheus's {@code Labels.String()}, as {@code promtool tsdb dump} prints it: {@code
   * {__name__="up", job="api"}}, names as they are and values quoted by {@link GoQuote}.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(pairs.length * 12 + 2);
    sb.append('{');
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(pairs[i]).append('=');
      GoQuote.appendQuoted(sb, pairs[i + 1]);
    }
    return sb.append('}').toString();
  }

  // Index of the label called name among the first `size` pairs of p, or -1.
  private static int find(String[] p, int size, String name) {
    if (size <= SCAN_LIMIT) {
      for (int i = 0; i < size; i++) {
        if (p[i << 1].equals(name)) {
          return i;
        }
      }
      return -1;
    }
    int i = search(p, size, name);
    return i < 0 ? -1 : i;
  }

  // Binary search over the names of the first `size` pairs: the index, or -(insertion point) - 1.
  private static int search(String[] p, int size, String name) {
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Utf8Order.compare(p[mid << 1], name);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -lo - 1;
  }

  // Sorts validated pairs by name, rejects duplicates and drops empty values. `work` is owned.
  private static Labels sortedAndCompacted(String[] work) {
    int n = work.length >> 1;
    if (n > 1) {
      sortPairs(work, n);
    }
    int kept = 0;
    for (int i = 0; i < n; i++) {
      String name = work[i << 1];
      if (i > 0 && name.equals(work[(i - 1) << 1])) {
        throw new InvalidLabelsException(name, "duplicate label name " + GoQuote.quote(name));
      }
      if (!work[(i << 1) + 1].isEmpty()) {
        kept++;
      }
    }
    if (kept == 0) {
      return EMPTY;
    }
    if (kept == n) {
      return new Labels(work);
    }
    String[] out = new String[kept << 1];
    int o = 0;
    for (int i = 0; i < work.length; i += 2) {
      if (!work[i + 1].isEmpty()) {
        out[o++] = work[i];
        out[o++] = work[i + 1];
      }
    }
    return new Labels(out);
  }

  // Stable sort of the n pairs by name: insertion sort for the usual handful of labels, a
  // bottom-up merge sort otherwise.
  private static void sortPairs(String[] p, int n) {
    if (n <= 16) {
      for (int i = 1; i < n; i++) {
        String name = p[i << 1];
        String value = p[(i << 1) + 1];
        int j = i - 1;
        while (j >= 0 && Utf8Order.compare(p[j << 1], name) > 0) {
          p[(j + 1) << 1] = p[j << 1];
          p[((j + 1) << 1) + 1] = p[(j << 1) + 1];
          j--;
        }
        p[(j + 1) << 1] = name;
        p[((j + 1) << 1) + 1] = value;
      }
      return;
    }
    String[] src = p;
    String[] dst = new String[p.length];
    for (int width = 1; width < n; width <<= 1) {
      for (int lo = 0; lo < n; lo += width << 1) {
        int mid = Math.min(lo + width, n);
        int hi = Math.min(lo + (width << 1), n);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid || j < hi) {
          int from;
          if (j >= hi || (i < mid && Utf8Order.compare(src[i << 1], src[j << 1]) <= 0)) {
            from = i++;
          } else {
            from = j++;
          }
          dst[k << 1] = src[from << 1];
          dst[(k << 1) + 1] = src[(from << 1) + 1];
          k++;
        }
      }
      String[] t = src;
      src = dst;
      dst = t;
    }
    if (src != p) {
      System.arraycopy(src, 0, p, 0, p.length);
    }
  }

  private static boolean isWellFormed(String[] p) {
    if ((p.length & 1) != 0) {
      return false;
    }
    for (int i = 0; i < p.length; i += 2) {
      if (p[i] == null || p[i + 1] == null || p[i + 1].isEmpty()) {
        return false;
      }
      if (i > 0 && Utf8Order.compare(p[i - 2], p[i]) >= 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Builds a label set by setting and removing labels, from scratch or from an existing set.
   *
   * <p>Labels are kept sorted while building, so {@link #build} only copies. Names and values are
   * checked when set, so that the error points at the call that introduced them; labels of the
   * starting set are not checked again. A builder may be reused after {@link #build}; it is not
   * thread-safe.
   */
  public static final class Builder {
    private String[] pairs;
    private int size;

    private Builder(Labels base) {
      pairs = base.pairs.length == 0 ? new String[16] : base.pairs.clone();
      size = base.size();
    }

    /**
     * Sets label {@code name} to {@code value}, replacing any previous value; an empty value
     * removes the label, as in Prometheus.
     *
     * @throws InvalidLabelsException if the name or value is invalid
     */
    public Builder set(String name, String value) {
      Objects.requireNonNull(name, "label name is null");
      Objects.requireNonNull(value, () -> "value of label " + name + " is null");
      LabelValidation.checkLabelName(name);
      if (value.isEmpty()) {
        return remove(name);
      }
      LabelValidation.checkLabelValue(name, value);
      int i = search(pairs, size, name);
      if (i >= 0) {
        pairs[(i << 1) + 1] = value;
        return this;
      }
      int at = -i - 1;
      if ((size + 1) << 1 > pairs.length) {
        pairs = Arrays.copyOf(pairs, Math.max(16, pairs.length * 2));
      }
      System.arraycopy(pairs, at << 1, pairs, (at + 1) << 1, (size - at) << 1);
      pairs[at << 1] = name;
      pairs[(at << 1) + 1] = value;
      size++;
      return this;
    }

    /** Removes the labels called {@code names}, if present. */
    public Builder remove(String... names) {
      for (String name : names) {
        int i = search(pairs, size, name);
        if (i >= 0) {
          System.arraycopy(pairs, (i + 1) << 1, pairs, i << 1, (size - i - 1) << 1);
          size--;
          pairs[size << 1] = null;
          pairs[(size << 1) + 1] = null;
        }
      }
      return this;
    }

    /** Current value of label {@code name}, or {@code ""} if there is none. */
    public String get(String name) {
      int i = search(pairs, size, name);
      return i < 0 ? "" : pairs[(i << 1) + 1];
    }

    /** Removes all labels. */
    public Builder clear() {
      Arrays.fill(pairs, 0, size << 1, null);
      size = 0;
      return this;
    }

    /** The label set built so far. */
    public Labels build() {
      return size == 0 ? EMPTY : new Labels(Arrays.copyOf(pairs, size << 1));
    }
  }
}
