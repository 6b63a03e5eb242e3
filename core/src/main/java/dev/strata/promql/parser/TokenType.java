package dev.strata.promql.parser;

/**
 * The kinds of token the lexer produces, grouped as Prometheus groups its item types: the group
 * decides how a token is named in an "unexpected ..." message.
 */
enum TokenType {
  EQL(Group.PUNCTUATION),
  COLON(Group.PUNCTUATION),
  COMMA(Group.PUNCTUATION),
  COMMENT(Group.VALUE),
  DURATION(Group.VALUE),
  EOF(Group.END),
  ERROR(Group.ERROR),
  IDENTIFIER(Group.VALUE),
  LEFT_BRACE(Group.PUNCTUATION),
  LEFT_BRACKET(Group.PUNCTUATION),
  LEFT_PAREN(Group.PUNCTUATION),
  METRIC_IDENTIFIER(Group.VALUE),
  NUMBER(Group.VALUE),
  RIGHT_BRACE(Group.PUNCTUATION),
  RIGHT_BRACKET(Group.PUNCTUATION),
  RIGHT_PAREN(Group.PUNCTUATION),
  STRING(Group.VALUE),

  ADD(Group.OPERATOR),
  DIV(Group.OPERATOR),
  EQLC(Group.OPERATOR),
  EQL_REGEX(Group.OPERATOR),
  GTE(Group.OPERATOR),
  GTR(Group.OPERATOR),
  LAND(Group.OPERATOR),
  LOR(Group.OPERATOR),
  LSS(Group.OPERATOR),
  LTE(Group.OPERATOR),
  LUNLESS(Group.OPERATOR),
  MOD(Group.OPERATOR),
  MUL(Group.OPERATOR),
  NEQ(Group.OPERATOR),
  NEQ_REGEX(Group.OPERATOR),
  POW(Group.OPERATOR),
  SUB(Group.OPERATOR),
  AT(Group.OPERATOR),
  ATAN2(Group.OPERATOR),

  AVG(Group.AGGREGATOR),
  BOTTOMK(Group.AGGREGATOR),
  COUNT(Group.AGGREGATOR),
  COUNT_VALUES(Group.AGGREGATOR),
  GROUP(Group.AGGREGATOR),
  MAX(Group.AGGREGATOR),
  MIN(Group.AGGREGATOR),
  QUANTILE(Group.AGGREGATOR),
  STDDEV(Group.AGGREGATOR),
  STDVAR(Group.AGGREGATOR),
  SUM(Group.AGGREGATOR),
  TOPK(Group.AGGREGATOR),

  BOOL(Group.KEYWORD),
  BY(Group.KEYWORD),
  GROUP_LEFT(Group.KEYWORD),
  GROUP_RIGHT(Group.KEYWORD),
  IGNORING(Group.KEYWORD),
  OFFSET(Group.KEYWORD),
  ON(Group.KEYWORD),
  WITHOUT(Group.KEYWORD),

  START(Group.PREPROCESSOR),
  END(Group.PREPROCESSOR);

  enum Group { PUNCTUATION, VALUE, END, ERROR, OPERATOR, AGGREGATOR, KEYWORD, PREPROCESSOR }

  /**
   * The number Prometheus's generated parser gives the {@code @} token; it shows in the message for
   * a misplaced {@code @} because {@code @} has no display text of its own there.
   */
  private static final int AT_ITEM_NUMBER = 57385;

  private final Group group;

  TokenType(Group group) {
    this.group = group;
  }

  Group group() {
    return group;
  }

  /** Whether the word, lower-cased, is one of PromQL's keywords (operators, aggregators, ...). */
  static TokenType keyword(String lowerCaseWord) {
    return switch (lowerCaseWord) {
      case "and" -> LAND;
      case "or" -> LOR;
      case "unless" -> LUNLESS;
      case "atan2" -> ATAN2;
      case "sum" -> SUM;
      case "avg" -> AVG;
      case "count" -> COUNT;
      case "min" -> MIN;
      case "max" -> MAX;
      case "group" -> GROUP;
      case "stddev" -> STDDEV;
      case "stdvar" -> STDVAR;
      case "topk" -> TOPK;
      case "bottomk" -> BOTTOMK;
      case "count_values" -> COUNT_VALUES;
      case "quantile" -> QUANTILE;
      case "offset" -> OFFSET;
      case "by" -> BY;
      case "without" -> WITHOUT;
      case "on" -> ON;
      case "ignoring" -> IGNORING;
      case "group_left" -> GROUP_LEFT;
      case "group_right" -> GROUP_RIGHT;
      case "bool" -> BOOL;
      case "start" -> START;
      case "end" -> END;
      case "inf", "nan" -> NUMBER;
      default -> null;
    };
  }

  /** The text Prometheus shows for a token of this type in messages, see {@link Token#describe}. */
  String describe() {
    return switch (this) {
      case EOF -> "end of input";
      case ERROR -> "error";
      case COMMENT -> "comment";
      case IDENTIFIER -> "identifier";
      case METRIC_IDENTIFIER -> "metric identifier";
      case STRING -> "string";
      case NUMBER -> "number";
      case DURATION -> "duration";
      default -> "\"<Item " + AT_ITEM_NUMBER + ">\"";
    };
  }

  /** Types that Prometheus knows a fixed spelling for; all but the value-carrying ones and {@code @}. */
  boolean hasFixedSpelling() {
    return switch (group) {
      case PUNCTUATION, AGGREGATOR, KEYWORD, PREPROCESSOR -> true;
      case OPERATOR -> this != AT;
      default -> false;
    };
  }

  boolean isAggregator() {
    return group == Group.AGGREGATOR;
  }

  static boolean isMetricIdentifier(TokenType type) {
    return switch (type) {
      case IDENTIFIER, METRIC_IDENTIFIER, BY, WITHOUT, OFFSET, LAND, LOR, LUNLESS, START, END ->
          true;
      default -> type.isAggregator();
    };
  }

  static boolean canStartExpression(TokenType type) {
    return switch (type) {
      case NUMBER, STRING, LEFT_PAREN, LEFT_BRACE, ADD, SUB -> true;
      default -> isMetricIdentifier(type);
    };
  }

  /** Tokens that may stand for a label name in a grouping list (keywords lex as such there). */
  static boolean mayBeLabel(TokenType type) {
    return switch (type) {
      case BOOL, BY, GROUP_LEFT, GROUP_RIGHT, IDENTIFIER, IGNORING, LAND, LOR, LUNLESS,
          METRIC_IDENTIFIER, OFFSET, ON, START, END, ATAN2 -> true;
      default -> type.isAggregator();
    };
  }

  static dev.strata.tsdb.labels.MatchType matchType(TokenType type) {
    return switch (type) {
      case EQL -> dev.strata.tsdb.labels.MatchType.EQUAL;
      case NEQ -> dev.strata.tsdb.labels.MatchType.NOT_EQUAL;
      case EQL_REGEX -> dev.strata.tsdb.labels.MatchType.REGEX;
      case NEQ_REGEX -> dev.strata.tsdb.labels.MatchType.NOT_REGEX;
      default -> null;
    };
  }

  static BinaryOp binaryOp(TokenType type) {
    return switch (type) {
      case ADD -> BinaryOp.ADD;
      case SUB -> BinaryOp.SUB;
      case MUL -> BinaryOp.MUL;
      case DIV -> BinaryOp.DIV;
      case MOD -> BinaryOp.MOD;
      case POW -> BinaryOp.POW;
      case ATAN2 -> BinaryOp.ATAN2;
      case EQLC -> BinaryOp.EQL;
      case NEQ -> BinaryOp.NEQ;
      case LTE -> BinaryOp.LTE;
      case LSS -> BinaryOp.LSS;
      case GTE -> BinaryOp.GTE;
      case GTR -> BinaryOp.GTR;
      case LAND -> BinaryOp.AND;
      case LOR -> BinaryOp.OR;
      case LUNLESS -> BinaryOp.UNLESS;
      default -> null;
    };
  }
}
