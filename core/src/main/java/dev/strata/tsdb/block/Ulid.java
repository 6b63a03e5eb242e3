package dev.strata.tsdb.block;

import java.util.Optional;

/**
 * A ULID: 48 bits of Unix milliseconds followed by 80 random bits, written as 26 characters of
 * Crockford base32. Blocks are named and identified by ULIDs, so sorting block names sorts blocks
 * by creation time.
 *
 * <p>{@code high} holds the timestamp in its upper 48 bits and the first 16 random bits below it;
 * {@code low} holds the remaining 64 random bits. Both are compared unsigned, which makes the
 * natural order the order of the 16 big-endian bytes: time first, then randomness, and the same
 * order as the upper-case text.
 *
 * <p>Parsing follows what Prometheus accepts for block directory names: exactly 26 characters from
 * the Crockford alphabet in either case ({@code I}, {@code L}, {@code O} and {@code U} are not in
 * it and are rejected rather than read as {@code 1} and {@code 0}), and a first character of at
 * most {@code 7}, since 26 characters carry 130 bits. Text output is upper case.
 */
public record Ulid(long high, long low) implements Comparable<Ulid> {

  /** Length of the text form. */
  public static final int TEXT_LENGTH = 26;

  /** Length of the binary form. */
  public static final int BYTES = 16;

  /** The largest timestamp a ULID can hold: 2^48 - 1 milliseconds (year 10889). */
  public static final long MAX_TIMESTAMP = (1L << 48) - 1;

  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < ALPHABET.length; i++) {
      VALUES[ALPHABET[i]] = (byte) i;
      VALUES[Character.toLowerCase(ALPHABET[i])] = (byte) i;
    }
  }

  /**
   * The ULID with {@code timestamp} (Unix milliseconds) and the 80 random bits {@code
   * randomHigh16} (its low 16 bits) and {@code randomLow64}.
   *
   * @throws IllegalArgumentException if the timestamp is outside {@code [0, MAX_TIMESTAMP]} or
   *     {@code randomHigh16} has bits above the low 16
   */
  public static Ulid of(long timestamp, int randomHigh16, long randomLow64) {
    if (timestamp < 0 || timestamp > MAX_TIMESTAMP) {
      throw new IllegalArgumentException(
          "ULID timestamp " + timestamp + " is outside [0, " + MAX_TIMESTAMP + "]");
    }
    if ((randomHigh16 & ~0xFFFF) != 0) {
      throw new IllegalArgumentException(
          "upper random bits 0x" + Integer.toHexString(randomHigh16) + " do not fit in 16 bits");
    }
    return new Ulid((timestamp << 16) | randomHigh16, randomLow64);
  }

  /** Unix milliseconds when the ULID was made. */
  public long timestamp() {
    return high >>> 16;
  }

  /**
   * Parses the 26-character text form.
   *
   * @throws IllegalArgumentException saying what is wrong: the length, the first character that
   *     is not base32 (and where), or a value beyond 128 bits
   */
  public static Ulid parse(CharSequence text) {
    String problem = problem(text);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return decode(text);
  }

  /** The ULID {@code text} stands for, or empty if it is not one; for scanning names. */
  public static Optional<Ulid> tryParse(CharSequence text) {
    return problem(text) == null ? Optional.of(decode(text)) : Optional.empty();
  }

  // Why text is not a ULID, or null if it is one.
  private static String problem(CharSequence text) {
    if (text == null) {
      return "ULID text is null";
    }
    if (text.length() != TEXT_LENGTH) {
      return "invalid ULID \"" + text + "\": " + text.length() + " characters, expected "
          + TEXT_LENGTH;
    }
    for (int i = 0; i < TEXT_LENGTH; i++) {
      char c = text.charAt(i);
      if (c >= VALUES.length || VALUES[c] < 0) {
        return "invalid ULID \"" + text + "\": character '" + c + "' at index " + i
            + " is not Crockford base32 (0-9 and A-Z without I, L, O, U)";
      }
    }
    if (VALUES[text.charAt(0)] > 7) {
      return "invalid ULID \"" + text + "\": first character '" + text.charAt(0)
          + "' makes it larger than 128 bits (it must be 0-7)";
    }
    return null;
  }

  // 26 characters carry 130 bits; shifting them through a 128-bit accumulator drops the top two,
  // which problem() has checked are zero.
  private static Ulid decode(CharSequence text) {
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < TEXT_LENGTH; i++) {
      long v = VALUES[text.charAt(i)];
      hi = (hi << 5) | (lo >>> 59);
      lo = (lo << 5) | v;
    }
    return new Ulid(hi, lo);
  }

  /** The 26-character upper-case text form. */
  @Override
  public String toString() {
    char[] out = new char[TEXT_LENGTH];
    long hi = high;
    long lo = low;
    for (int i = TEXT_LENGTH - 1; i >= 0; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo = (lo >>> 5) | (hi << 59);
      hi >>>= 5;
    }
    return new String(out);
  }

  /** The 16 big-endian bytes, as Go's {@code ulid.ULID} holds them. */
  public byte[] toBytes() {
    byte[] b = new byte[BYTES];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (high >>> (56 - 8 * i));
      b[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    return b;
  }

  /**
   * The ULID of 16 big-endian bytes.
   *
   * @throws IllegalArgumentException if {@code bytes} is not 16 bytes long
   */
  public static Ulid fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(
          "a ULID is " + BYTES + " bytes, got " + bytes.length);
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (bytes[i] & 0xFF);
      lo = (lo << 8) | (bytes[8 + i] & 0xFF);
    }
    return new Ulid(hi, lo);
  }

  /** Time first, then randomness: the order of the bytes and of the upper-case text. */
  @Override
  public int compareTo(Ulid other) {
    int c = Long.compareUnsigned(high, other.high);
    return c != 0 ? c : Long.compareUnsigned(low, other.low);
  }
}
