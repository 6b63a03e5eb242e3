package dev.strata.tsdb.textparse;

import java.math.BigInteger;

/**
 * The shortest decimal that reads back as a given double, and among those the nearest to it (an
 * exact tie going to the even digit): the digits Go's {@code strconv} prints for precision -1.
 *
 * <p>This is Giulietti's Schubfach method ("The Schubfach way to render doubles", 2020). A double
 * {@code v = c·2^q} reads back from every decimal in its rounding interval {@code R}, the points
 * closer to {@code v} than to its neighbours (the ends too when {@code c} is even, as reading
 * rounds half to even). Scaling by {@code 10^-k}, with {@code k} chosen so the scaled interval is
 * between 1 and 10 wide, leaves at most one multiple of 10 in it, which is then the shortest;
 * otherwise the answer is one of the two integers around the scaled {@code v}. Only three products
 * of the significand with a 126-bit approximation of {@code 10^-k} are needed, in plain {@code
 * long} arithmetic and with no allocation, where checking candidates by reading them back costs
 * microseconds.
 *
 * <p>The products are rounded to odd: the integer part, with the lowest bit set when a fraction was
 * dropped. Compared with an even integer, such a value orders exactly as the exact product does,
 * and all comparisons below are against even integers. The paper proves that the 126-bit
 * approximation keeps this true for every double.
 *
 * <p>Unlike the JDK 19 {@code Double.toString}, which uses the same method but wants two digits at
 * least, a single digit is preferred here whenever one reads back ({@code 9e-323}, not {@code
 * 8.9e-323}).
 */
final class ShortestDecimal {

  private static final int SIGNIFICAND_BITS = 52;
  private static final long FRACTION_MASK = (1L << SIGNIFICAND_BITS) - 1;
  private static final long HIDDEN_BIT = 1L << SIGNIFICAND_BITS;

  /** {@code q} of subnormals and of the smallest normal binade. */
  private static final int Q_MIN = -1074;

  /** Exponent bias plus the significand width: {@code q = biased - Q_BIAS} for normal doubles. */
  private static final int Q_BIAS = 1075;

  /** Range of {@code -k} over all positive finite doubles. */
  static final int E_MIN = -292;

  static final int E_MAX = 324;

  /**
   * {@code g = floor(10^e·2^-r) + 1} for {@code e} in {@code [E_MIN, E_MAX]}, where {@code r} puts
   * {@code g} in {@code [2^125, 2^126)}; stored as {@code g1 = g >> 63} at {@code 2i} and {@code g0
   * = g mod 2^63} at {@code 2i + 1}, side by side so one lookup touches one cache line.
   */
  private static final long[] G = powersOfTen();

  private ShortestDecimal() {}

  /**
   * The significand {@code f} of the shortest nearest decimal {@code f·10^exponent(bits)} of the
   * positive finite double with raw bits {@code bits}; {@code f} may end in zeros and is below
   * {@code 10^17}.
   */
  static long significand(long bits) {
    int biased = (int) (bits >>> SIGNIFICAND_BITS);
    long fraction = bits & FRACTION_MASK;
    long c = biased == 0 ? fraction : fraction | HIDDEN_BIT;
    int q = biased == 0 ? Q_MIN : biased - Q_BIAS;
    // At a power of two the neighbour below is half as far as the one above.
    boolean irregular = fraction == 0 && biased > 1;
    int k = irregular ? floorLog10ThreeQuartersPow2(q) : floorLog10Pow2(q);
    // 10^-k = g·2^r with r = floorLog2Pow10(-k) - 125, so g·(x << h) / 2^127 = x·2^q·10^-k
    // (give or take g's rounding); h is 2 to 5.
    int h = q + floorLog2Pow10(-k) + 2;
    int i = (-k - E_MIN) << 1;
    long g1 = G[i];
    long g0 = G[i + 1];

    // In units of 2^(q-2): v is cb, the interval is [cbl, cbr]. Scaled by 10^-k they become
    // vb, vbl, vbr: four times the scaled values, rounded to odd.
    long cb = c << 2;
    long cbl = cb - (irregular ? 1 : 2);
    long cbr = cb + 2;
    long vb = scaleRoundToOdd(g1, g0, cb << h);
    long vbl = scaleRoundToOdd(g1, g0, cbl << h);
    long vbr = scaleRoundToOdd(g1, g0, cbr << h);
    // 1 when the interval's ends are excluded: "<= x - 1" then tests "< x" on integers.
    long open = c & 1;

    long s = vb >> 2; // floor(v·10^-k)
    if (s >= 10) {
      // The scaled interval is under 10 wide, so it holds at most one multiple of 10, and with s
      // at two digits or more that one is shorter than every other candidate. Below 10 it would
      // tie in length with s or s + 1 and might be farther from v.
      long sp10 = s / 10 * 10;
      long tp10 = sp10 + 10;
      boolean lowerIn = vbl + open <= sp10 << 2;
      boolean upperIn = (tp10 << 2) + open <= vbr;
      if (lowerIn != upperIn) {
        return lowerIn ? sp10 : tp10;
      }
    }
    // One of s and s + 1 is always in the interval (it is at least 1 wide around v).
    long t = s + 1;
    boolean lowerIn = vbl + open <= s << 2;
    boolean upperIn = (t << 2) + open <= vbr;
    if (lowerIn != upperIn) {
      return lowerIn ? s : t;
    }
    long fromMiddle = vb - ((s + t) << 1); // sign of v·10^-k - (s + 1/2)
    return fromMiddle < 0 || fromMiddle == 0 && (s & 1) == 0 ? s : t;
  }

  /** The decimal exponent that goes with {@link #significand} for the same bits. */
  static int exponent(long bits) {
    int biased = (int) (bits >>> SIGNIFICAND_BITS);
    int q = biased == 0 ? Q_MIN : biased - Q_BIAS;
    return (bits & FRACTION_MASK) == 0 && biased > 1
        ? floorLog10ThreeQuartersPow2(q)
        : floorLog10Pow2(q);
  }

  /**
   * {@code g·cp / 2^127} rounded to odd, {@code g = g1·2^63 + g0}, {@code 0 <= cp < 2^60}. The
   * lowest bits of {@code g0·cp} are left out of the sticky bit; the paper shows this never matters
   * for the three products above.
   */
  private static long scaleRoundToOdd(long g1, long g0, long cp) {
    long lowHigh = Math.multiplyHigh(g0, cp); // g0·cp / 2^64, both factors below 2^63
    long highLow = g1 * cp; // g1·cp mod 2^64
    long highHigh = Math.multiplyHigh(g1, cp);
    // (highLow / 2 + lowHigh) / 2^63 is the fraction plus a carry into the integer part.
    long middle = (highLow >>> 1) + lowHigh;
    long integer = highHigh + (middle >>> 63);
    long sticky = ((middle & Long.MAX_VALUE) + Long.MAX_VALUE) >>> 63;
    return integer | sticky;
  }

  // The three floors below are exact for |q| <= 1100 and |e| <= 400, as tests check against
  // BigInteger arithmetic; the multipliers are the logarithms in fixed point.

  /** {@code floor(log10(2^q))}. */
  static int floorLog10Pow2(int q) {
    return (q * 78913) >> 18;
  }

  /** {@code floor(log10(3/4·2^q))}. */
  static int floorLog10ThreeQuartersPow2(int q) {
    return (q * 157827 - 65500) >> 19;
  }

  /** {@code floor(log2(10^e))}. */
  static int floorLog2Pow10(int e) {
    return (e * 217706) >> 16;
  }

  /** {@code g} as described at {@link #G}; exact big-integer arithmetic, once per class load. */
  private static long[] powersOfTen() {
    long[] g = new long[2 * (E_MAX - E_MIN + 1)];
    BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
    BigInteger p = BigInteger.TEN.pow(-E_MIN); // 10^|e| for e < 0
    for (int e = E_MIN; e <= E_MAX; e++) {
      BigInteger floor;
      if (e < 0) {
        // 2^(125 + b) / 10^-e with 10^-e in (2^(b-1), 2^b): a quotient in (2^125, 2^126).
        floor = BigInteger.ONE.shiftLeft(125 + p.bitLength()).divide(p);
        p = p.divide(BigInteger.TEN);
      } else {
        // 10^e in [2^(b-1), 2^b) shifted to [2^125, 2^126).
        int shift = 126 - p.bitLength();
        floor = shift >= 0 ? p.shiftLeft(shift) : p.shiftRight(-shift);
        p = p.multiply(BigInteger.TEN);
      }
      BigInteger v = floor.add(BigInteger.ONE);
      int i = (e - E_MIN) << 1;
      g[i] = v.shiftRight(63).longValueExact();
      g[i + 1] = v.and(mask63).longValue();
    }
    return g;
  }

  /** {@code g} for {@code 10^e}, high part and low part: for tests of the table's invariant. */
  static long g1(int e) {
    return G[(e - E_MIN) << 1];
  }

  static long g0(int e) {
    return G[((e - E_MIN) << 1) + 1];
  }
}
