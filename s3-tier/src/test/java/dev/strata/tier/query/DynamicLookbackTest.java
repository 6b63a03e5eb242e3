package dev.strata.tier.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The lookback by resolution, case by case as Thanos v0.34's querier picks it. */
class DynamicLookbackTest {
  private static final long FIVE_MINUTES = 300_000;
  private static final long HOUR = 3_600_000;

  private static Duration of(Duration configured, long maxSourceResolution) {
    return new DynamicLookback(configured, true).forMaxSourceResolution(maxSourceResolution);
  }

  @Test
  void theDefaultFiveMinutesWidensToAnHourAboveFiveMinuteData() {
    Duration five = Duration.ofMinutes(5);
    assertEquals(five, of(five, 0));
    assertEquals(five, of(five, 60_000));
    assertEquals(five, of(five, FIVE_MINUTES));
    assertEquals(Duration.ofHours(1), of(five, FIVE_MINUTES + 1));
    assertEquals(Duration.ofHours(1), of(five, HOUR));
    assertEquals(Duration.ofHours(1), of(five, Long.MAX_VALUE));
  }

  @Test
  void aShortLookbackWidensToFiveMinutesFirst() {
    Duration one = Duration.ofMinutes(1);
    assertEquals(one, of(one, 0));
    assertEquals(one, of(one, 60_000));
    assertEquals(Duration.ofMinutes(5), of(one, 60_001));
    assertEquals(Duration.ofMinutes(5), of(one, FIVE_MINUTES));
    assertEquals(Duration.ofHours(1), of(one, FIVE_MINUTES + 1));
  }

  @Test
  void aLongerLookbackIsKeptUntilTheResolutionPassesIt() {
    Duration ten = Duration.ofMinutes(10);
    assertEquals(ten, of(ten, FIVE_MINUTES));
    assertEquals(ten, of(ten, 600_000));
    assertEquals(Duration.ofHours(1), of(ten, 600_001));
    Duration twoHours = Duration.ofHours(2);
    assertEquals(twoHours, of(twoHours, HOUR));
    assertEquals(twoHours, of(twoHours, Long.MAX_VALUE));
  }

  @Test
  void withoutDynamicLookbackTheConfiguredOneAlways() {
    DynamicLookback off = new DynamicLookback(Duration.ofMinutes(5), false);
    assertEquals(Duration.ofMinutes(5), off.forMaxSourceResolution(HOUR));
    assertEquals(Duration.ofMinutes(5), off.forMaxSourceResolution(0));
  }
}
