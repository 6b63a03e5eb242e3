package dev.strata.tsdb.encoding;

/**
 * UTF-8 encoding into a caller's buffer, for lookups that compare a string with bytes in a file
 * without allocating. Produces exactly the bytes of {@code String.getBytes(UTF_8)}, including its
 * replacement of an unpaired surrogate by {@code '?'}.
 */
public final class Utf8 {
  private Utf8() {}

  /** Bytes {@link #encode} writes for {@code s}. */
  public static int length(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n += 1; // '?'
      } else {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Writes {@code s} as UTF-8 at {@code dst[0]}, which holds at least {@link #length} bytes.
   *
   * @return the number of bytes written
   */
  public static int encode(CharSequence s, byte[] dst) {
    int at = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        dst[at++] = (byte) c;
      } else if (c < 0x800) {
        dst[at++] = (byte) (0xC0 | (c >> 6));
        dst[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        dst[at++] = (byte) (0xF0 | (cp >> 18));
        dst[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        dst[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        dst[at++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        dst[at++] = '?';
      } else {
        dst[at++] = (byte) (0xE0 | (c >> 12));
        dst[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        dst[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return at;
  }
}
