package dev.strata.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Printing and parsing are inverse: for any well-typed tree, print, parse and print agree. */
class PromqlRoundTripPropertiesTest {

  @Provide
  Arbitrary<Expr> expressions() {
    return ExprArbitraries.any();
  }

  @Property(tries = 1000)
  void printThenParseGivesTheSameTree(@ForAll("expressions") Expr expr) {
    String printed = Printer.print(expr);
    Expr parsed = PromqlParser.parse(printed);
    assertEquals(Positions.strip(expr), Positions.strip(parsed), printed);
    assertEquals(printed, Printer.print(parsed));
  }

  @Property(tries = 300)
  void prettyTextParsesToTheSameTree(@ForAll("expressions") Expr expr) {
    String pretty = Printer.pretty(expr);
    assertEquals(Positions.strip(expr), Positions.strip(PromqlParser.parse(pretty)), pretty);
  }

  @Provide
  Arbitrary<String> promqlLikeText() {
    return Arbitraries.strings()
        .withChars("abfoxy_:019.eEx{}[]()\"'`\\,=!~<>+-*/%^@# \n")
        .withChars('é')
        .ofMaxLength(30);
  }

  /** Whatever the input, the parser answers with a tree or a parse error, never anything else. */
  @Property(tries = 3000)
  void anyTextParsesOrFailsCleanly(@ForAll("promqlLikeText") String text) {
    try {
      Expr expr = PromqlParser.parse(text);
      assertEquals(
          Positions.strip(expr), Positions.strip(PromqlParser.parse(Printer.print(expr))), text);
    } catch (PromqlParseException e) {
      assertEquals(e.errors().get(0).format(text), e.getMessage());
    }
  }
}
