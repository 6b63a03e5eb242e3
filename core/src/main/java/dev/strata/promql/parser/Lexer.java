package dev.strata.promql.parser;

/**
 * Splits a query into tokens, one at a time, with the same states and the same error messages as
 * Prometheus 2.42's lexer: what counts as a number, a duration or an identifier depends on whether
 * a brace or bracket is open, so the lexer tracks that.
 *
 * <p>Positions are char offsets into the query. After an {@link TokenType#ERROR} token only {@link
 * TokenType#EOF} follows.
 */
final class Lexer {
  private static final int EOF = -1;
  /** What Go's UTF-8 decoder returns for a byte sequence that is not UTF-8 (and for U+FFFD). */
  private static final int RUNE_ERROR = 0xFFFD;

  private enum State {
    STATEMENTS,
    INSIDE_BRACES,
    LINE_COMMENT,
    NUMBER_OR_DURATION,
    DURATION,
    STRING,
    RAW_STRING,
    KEYWORD_OR_IDENTIFIER,
    IDENTIFIER,
    DONE
  }

  private final String input;
  private int pos;
  private int start;
  private int width;
  private State state = State.STATEMENTS;
  private Token scanned;

  private int parenDepth;
  private boolean braceOpen;
  private boolean bracketOpen;
  private boolean gotColon;
  private int stringOpen;

  Lexer(String input) {
    this.input = input;
  }

  /** The next token; comments included (the parser skips them). */
  Token next() {
    scanned = null;
    while (scanned == null) {
      state = step(state);
    }
    return scanned;
  }

  private State step(State s) {
    return switch (s) {
      case STATEMENTS -> lexStatements();
      case INSIDE_BRACES -> lexInsideBraces();
      case LINE_COMMENT -> lexLineComment();
      case NUMBER_OR_DURATION -> lexNumberOrDuration();
      case DURATION -> lexDuration();
      case STRING -> lexString();
      case RAW_STRING -> lexRawString();
      case KEYWORD_OR_IDENTIFIER -> lexKeywordOrIdentifier();
      case IDENTIFIER -> lexIdentifier();
      case DONE -> {
        emit(TokenType.EOF);
        yield State.DONE;
      }
    };
  }

  // ---- reading runes

  private int nextRune() {
    if (pos >= input.length()) {
      width = 0;
      return EOF;
    }
    char c = input.charAt(pos);
    if (Character.isHighSurrogate(c)
        && pos + 1 < input.length()
        && Character.isLowSurrogate(input.charAt(pos + 1))) {
      width = 2;
      pos += 2;
      return Character.toCodePoint(c, input.charAt(pos - 1));
    }
    width = 1;
    pos++;
    return Character.isSurrogate(c) ? RUNE_ERROR : c;
  }

  private int peek() {
    int r = nextRune();
    backup();
    return r;
  }

  private void backup() {
    pos -= width;
  }

  private boolean accept(String valid) {
    int r = nextRune();
    if (r != EOF && valid.indexOf(r) >= 0) {
      return true;
    }
    backup();
    return false;
  }

  private void acceptRun(String valid) {
    while (accept(valid)) {
      // consume
    }
  }

  private void emit(TokenType type) {
    scanned = new Token(type, start, input.substring(start, pos));
    start = pos;
  }

  private void ignore() {
    start = pos;
  }

  private State error(String message) {
    scanned = new Token(TokenType.ERROR, start, message);
    return State.DONE;
  }

  // ---- states

  private State lexStatements() {
    if (braceOpen) {
      return State.INSIDE_BRACES;
    }
    if (input.startsWith("#", pos)) {
      return State.LINE_COMMENT;
    }
    int r = nextRune();
    switch (r) {
      case EOF -> {
        if (parenDepth != 0) {
          return error("unclosed left parenthesis");
        } else if (bracketOpen) {
          return error("unclosed left bracket");
        }
        emit(TokenType.EOF);
        return State.DONE;
      }
      case ',' -> emit(TokenType.COMMA);
      case ' ', '\t', '\n', '\r' -> skipSpaces();
      case '*' -> emit(TokenType.MUL);
      case '/' -> emit(TokenType.DIV);
      case '%' -> emit(TokenType.MOD);
      case '+' -> emit(TokenType.ADD);
      case '-' -> emit(TokenType.SUB);
      case '^' -> emit(TokenType.POW);
      case '=' -> {
        int t = peek();
        if (t == '=') {
          nextRune();
          emit(TokenType.EQLC);
        } else if (t == '~') {
          return error("unexpected character after '=': " + GoText.quoteRune(t));
        } else {
          emit(TokenType.EQL);
        }
      }
      case '!' -> {
        int t = nextRune();
        if (t != '=') {
          return error("unexpected character after '!': " + quoteRuneOrEof(t));
        }
        emit(TokenType.NEQ);
      }
      case '<' -> emitWithOptionalEquals(TokenType.LTE, TokenType.LSS);
      case '>' -> emitWithOptionalEquals(TokenType.GTE, TokenType.GTR);
      case '"', '\'' -> {
        stringOpen = r;
        return State.STRING;
      }
      case '`' -> {
        stringOpen = r;
        return State.RAW_STRING;
      }
      case '(' -> {
        emit(TokenType.LEFT_PAREN);
        parenDepth++;
      }
      case ')' -> {
        emit(TokenType.RIGHT_PAREN);
        parenDepth--;
        if (parenDepth < 0) {
          // As in Prometheus, this error replaces the token just emitted and stands after it.
          return error("unexpected right parenthesis ')'");
        }
      }
      case '{' -> {
        emit(TokenType.LEFT_BRACE);
        braceOpen = true;
        return State.INSIDE_BRACES;
      }
      case '[' -> {
        if (bracketOpen) {
          return error("unexpected left bracket '['");
        }
        gotColon = false;
        emit(TokenType.LEFT_BRACKET);
        skipSpaces();
        bracketOpen = true;
        return State.DURATION;
      }
      case ']' -> {
        if (!bracketOpen) {
          return error("unexpected right bracket ']'");
        }
        emit(TokenType.RIGHT_BRACKET);
        bracketOpen = false;
      }
      case '@' -> emit(TokenType.AT);
      default -> {
        if (isDigit(r) || (r == '.' && isDigit(peek()))) {
          backup();
          return State.NUMBER_OR_DURATION;
        }
        if (isAlpha(r) || r == ':') {
          if (!bracketOpen) {
            backup();
            return State.KEYWORD_OR_IDENTIFIER;
          }
          if (gotColon) {
            return error("unexpected colon " + GoText.quoteRune(r));
          }
          emit(TokenType.COLON);
          gotColon = true;
          return State.STATEMENTS;
        }
        return error("unexpected character: " + GoText.quoteRune(r));
      }
    }
    return State.STATEMENTS;
  }

  private void emitWithOptionalEquals(TokenType withEquals, TokenType alone) {
    if (peek() == '=') {
      nextRune();
      emit(withEquals);
    } else {
      emit(alone);
    }
  }

  private State lexInsideBraces() {
    if (input.startsWith("#", pos)) {
      return State.LINE_COMMENT;
    }
    int r = nextRune();
    switch (r) {
      case EOF -> {
        return error("unexpected end of input inside braces");
      }
      case ' ', '\t', '\n', '\r' -> skipSpaces();
      case ',' -> emit(TokenType.COMMA);
      case '"', '\'' -> {
        stringOpen = r;
        return State.STRING;
      }
      case '`' -> {
        stringOpen = r;
        return State.RAW_STRING;
      }
      case '=' -> {
        if (nextRune() == '~') {
          emit(TokenType.EQL_REGEX);
        } else {
          backup();
          emit(TokenType.EQL);
        }
      }
      case '!' -> {
        int nr = nextRune();
        if (nr == '~') {
          emit(TokenType.NEQ_REGEX);
        } else if (nr == '=') {
          emit(TokenType.NEQ);
        } else {
          return error("unexpected character after '!' inside braces: " + quoteRuneOrEof(nr));
        }
      }
      case '{' -> {
        return error("unexpected left brace '{'");
      }
      case '}' -> {
        emit(TokenType.RIGHT_BRACE);
        braceOpen = false;
        return State.STATEMENTS;
      }
      default -> {
        if (isAlpha(r)) {
          backup();
          return State.IDENTIFIER;
        }
        return error("unexpected character inside braces: " + GoText.quoteRune(r));
      }
    }
    return State.INSIDE_BRACES;
  }

  private State lexLineComment() {
    pos++;
    int r = nextRune();
    while (r != '\r' && r != '\n' && r != EOF) {
      r = nextRune();
    }
    backup();
    emit(TokenType.COMMENT);
    return State.STATEMENTS;
  }

  private State lexString() {
    while (true) {
      int r = nextRune();
      if (r == '\\') {
        String escapeError = scanEscape();
        if (escapeError != null) {
          return error(escapeError);
        }
      } else if (r == RUNE_ERROR) {
        return error("invalid UTF-8 rune");
      } else if (r == EOF || r == '\n') {
        return error("unterminated quoted string");
      } else if (r == stringOpen) {
        break;
      }
    }
    emit(TokenType.STRING);
    return State.STATEMENTS;
  }

  /** Checks one escape sequence after its backslash; the error message, or null when valid. */
  private String scanEscape() {
    int ch = nextRune();
    int n;
    int base;
    int max;
    switch (ch) {
      case 'a', 'b', 'f', 'n', 'r', 't', 'v', '\\' -> {
        return null;
      }
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        n = 3;
        base = 8;
        max = 255;
      }
      case 'x' -> {
        ch = nextRune();
        n = 2;
        base = 16;
        max = 255;
      }
      case 'u' -> {
        ch = nextRune();
        n = 4;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case 'U' -> {
        ch = nextRune();
        n = 8;
        base = 16;
        max = Character.MAX_CODE_POINT;
      }
      case EOF -> {
        return "escape sequence not terminated";
      }
      default -> {
        if (ch == stringOpen) {
          return null;
        }
        return "unknown escape sequence " + GoText.describeRune(ch);
      }
    }
    long x = 0;
    while (n > 0) {
      int d = digitValue(ch);
      if (d >= base) {
        if (ch == EOF) {
          return "escape sequence not terminated";
        }
        return "illegal character " + GoText.describeRune(ch) + " in escape sequence";
      }
      x = x * base + d;
      n--;
      if (n > 0) {
        ch = nextRune();
      }
    }
    if (x > max || (0xD800 <= x && x < 0xE000)) {
      return "escape sequence is an invalid Unicode code point";
    }
    return null;
  }

  private State lexRawString() {
    while (true) {
      int r = nextRune();
      if (r == RUNE_ERROR) {
        return error("invalid UTF-8 rune");
      } else if (r == EOF) {
        return error("unterminated raw string");
      } else if (r == stringOpen) {
        break;
      }
    }
    emit(TokenType.STRING);
    return State.STATEMENTS;
  }

  private void skipSpaces() {
    while (isSpace(peek())) {
      nextRune();
    }
    ignore();
  }

  private State lexDuration() {
    if (scanNumber()) {
      return error("missing unit character in duration");
    }
    if (!acceptRemainingDuration()) {
      return error("bad duration syntax: " + quoted(start, pos));
    }
    backup();
    emit(TokenType.DURATION);
    return State.STATEMENTS;
  }

  private State lexNumberOrDuration() {
    if (scanNumber()) {
      emit(TokenType.NUMBER);
      return State.STATEMENTS;
    }
    if (acceptRemainingDuration()) {
      backup();
      emit(TokenType.DURATION);
      return State.STATEMENTS;
    }
    return error("bad number or duration syntax: " + quoted(start, pos));
  }

  /** After the digits of a duration: a unit, then any further number-unit pairs. */
  private boolean acceptRemainingDuration() {
    if (!accept("smhdwy")) {
      return false;
    }
    accept("s"); // "ms"; bad pairs such as "hs" are left to the duration parser
    while (accept("0123456789")) {
      acceptRun("0123456789");
      if (!accept("smhdw")) {
        return false;
      }
      accept("s");
    }
    return !isAlphaNumeric(nextRune());
  }

  /** Scans a decimal, hex, octal or float number; true if it ends where a number may end. */
  private boolean scanNumber() {
    String digits = "0123456789";
    if (accept("0") && accept("xX")) {
      digits = "0123456789abcdefABCDEF";
    }
    acceptRun(digits);
    if (accept(".")) {
      acceptRun(digits);
    }
    if (accept("eE")) {
      accept("+-");
      acceptRun("0123456789");
    }
    return !isAlphaNumeric(peek());
  }

  private State lexIdentifier() {
    while (isAlphaNumeric(nextRune())) {
      // absorb
    }
    backup();
    emit(TokenType.IDENTIFIER);
    return State.INSIDE_BRACES;
  }

  private State lexKeywordOrIdentifier() {
    int r = nextRune();
    while (isAlphaNumeric(r) || r == ':') {
      r = nextRune();
    }
    backup();
    String word = input.substring(start, pos);
    TokenType keyword = TokenType.keyword(word.toLowerCase(java.util.Locale.ROOT));
    if (keyword != null) {
      emit(keyword);
    } else if (word.indexOf(':') < 0) {
      emit(TokenType.IDENTIFIER);
    } else {
      emit(TokenType.METRIC_IDENTIFIER);
    }
    return State.STATEMENTS;
  }

  private String quoted(int from, int to) {
    return dev.strata.tsdb.labels.GoQuote.quote(input.substring(from, Math.min(to, input.length())));
  }

  private static String quoteRuneOrEof(int r) {
    // Go prints the EOF sentinel (-1) as the replacement character.
    return GoText.quoteRune(r == EOF ? RUNE_ERROR : r);
  }

  private static int digitValue(int ch) {
    if ('0' <= ch && ch <= '9') {
      return ch - '0';
    }
    if ('a' <= ch && ch <= 'f') {
      return ch - 'a' + 10;
    }
    if ('A' <= ch && ch <= 'F') {
      return ch - 'A' + 10;
    }
    return 16;
  }

  static boolean isSpace(int r) {
    return r == ' ' || r == '\t' || r == '\n' || r == '\r';
  }

  static boolean isDigit(int r) {
    return '0' <= r && r <= '9';
  }

  static boolean isAlpha(int r) {
    return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z');
  }

  static boolean isAlphaNumeric(int r) {
    return isAlpha(r) || isDigit(r);
  }

  /** Whether {@code s} is a valid label name: {@code [a-zA-Z_][a-zA-Z0-9_]*}. */
  static boolean isLabelName(String s) {
    if (s.isEmpty() || !isAlpha(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      if (!isAlphaNumeric(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
