package dev.strata.examples.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A size in bytes as Thanos's flags take it ({@code 250MB}, {@code 2GB}, {@code 512KiB}): units
 * are powers of 1024 whether written {@code MB} or {@code MiB}, as in Thanos, so that {@code
 * --index-cache-size=250MB} means the same memory in both.
 */
public final class ByteSize implements ITypeConverter<Long> {
  private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

  @Override
  public Long convert(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /** The number of bytes {@code text} stands for. */
  public static long parse(String text) {
    String t = text.strip().toUpperCase(Locale.ROOT).replace("IB", "B");
    int digits = 0;
    while (digits < t.length() && Character.isDigit(t.charAt(digits))) {
      digits++;
    }
    String unit = t.substring(digits);
    int power = unit.isEmpty() ? 0 : java.util.Arrays.asList(UNITS).indexOf(unit);
    if (digits == 0 || power < 0) {
      throw new IllegalArgumentException("'" + text + "' is not a size such as 512KB, 250MB or 2GB");
    }
    long n = Long.parseLong(t.substring(0, digits));
    if (n > Long.MAX_VALUE >> (10 * power)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return n << (10 * power);
  }
}
