package dev.strata.promql.parser;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The value of a STRING token: double- or single-quoted with Go's escapes, or back-quoted raw. The
 * lexer has already rejected bad escapes, so this only resolves them.
 *
 * <p>Escapes such as {@code \xff} or {@code \377} stand for bytes, as in Go; the bytes are decoded
 * as UTF-8 at the end, and a byte sequence that is not valid UTF-8 becomes U+FFFD (Go would keep
 * the raw bytes, which a Java string cannot hold).
 */
final class StringSyntax {
  private StringSyntax() {}

  static String unquote(String token) {
    char quote = token.charAt(0);
    String body = token.substring(1, token.length() - 1);
    if (quote == '`') {
      return body;
    }
    if (body.indexOf('\\') < 0) {
      return body;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(body.length());
    int i = 0;
    while (i < body.length()) {
      int c = body.codePointAt(i);
      if (c != '\\') {
        appendUtf8(bytes, c);
        i += Character.charCount(c);
        continue;
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a' -> bytes.write(7);
        case 'b' -> bytes.write('\b');
        case 'f' -> bytes.write('\f');
        case 'n' -> bytes.write('\n');
        case 'r' -> bytes.write('\r');
        case 't' -> bytes.write('\t');
        case 'v' -> bytes.write(11);
        case 'x' -> {
          bytes.write(Integer.parseInt(body.substring(i, i + 2), 16));
          i += 2;
        }
        case 'u' -> {
          appendUtf8(bytes, Integer.parseInt(body.substring(i, i + 4), 16));
          i += 4;
        }
        case 'U' -> {
          appendUtf8(bytes, Integer.parseInt(body.substring(i, i + 8), 16));
          i += 8;
        }
        default -> {
          if (e >= '0' && e <= '7') {
            bytes.write(Integer.parseInt(body.substring(i - 1, i + 2), 8));
            i += 2;
          } else {
            bytes.write(e); // \\, \" or \'
          }
        }
      }
    }
    return decodeUtf8(bytes.toByteArray());
  }

  private static void appendUtf8(ByteArrayOutputStream out, int codePoint) {
    byte[] encoded = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
    out.write(encoded, 0, encoded.length);
  }

  private static String decodeUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("cannot happen with REPLACE", e);
    }
  }
}
