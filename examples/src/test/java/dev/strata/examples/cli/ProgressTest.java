package dev.strata.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void redrawsTheStatusEverySecondAndClearsItAtTheEnd() throws Exception {
    StringWriter text = new StringWriter();
    AtomicInteger step = new AtomicInteger();
    try (Progress p = Progress.always(new PrintWriter(text), () -> "step " + step.incrementAndGet())) {
      Thread.sleep(2_500);
    }
    String out = text.toString();
    assertTrue(out.startsWith("\rstep 1\rstep 2"), out);
    assertTrue(out.endsWith("\r      \r"), "the line is blanked when done: " + out);
  }

  @Test
  void printsNothingWithoutATerminal() throws Exception {
    StringWriter text = new StringWriter();
    // Tests run with standard input and output redirected: no terminal.
    try (Progress p = Progress.onTerminal(new PrintWriter(text), () -> "never")) {
      Thread.sleep(1_200);
    }
    assertEquals("", text.toString());
  }
}
