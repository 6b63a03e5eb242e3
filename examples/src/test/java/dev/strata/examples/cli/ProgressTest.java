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
    Progress progress = Progress.always(new PrintWriter(text), () -> "step " + step.incrementAndGet());
    try {
      Thread.sleep(2_500);
    } finally {
      progress.close();
    }
    String out = text.toString();
    assertTrue(out.startsWith("\rstep 1\rstep 2"), out);
    assertTrue(out.endsWith("\r      \r"), "the line is blanked when done: " + out);
  }

  @Test
  void printsNothingWithoutATerminal() throws Exception {
    StringWriter text = new StringWriter();
    // Tests run with standard input and output redirected: no terminal.
    Progress progress = Progress.onTerminal(new PrintWriter(text), () -> "never");
    try {
      Thread.sleep(1_200);
    } finally {
      progress.close();
    }
    assertEquals("", text.toString());
  }
}
