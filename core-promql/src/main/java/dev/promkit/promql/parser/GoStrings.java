package dev.promkit.promql.parser;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Go string quoting rules, as PromQL uses them. Bytes that are not valid UTF-8 are carried in Java
 * strings as lone surrogates {@code U+DC00 + byte} ("surrogate escape").
 */
public final class GoStrings {
  private static final int ESCAPE_BASE = 0xDC00;

  private GoStrings() {}

  /**
   * Unquotes a PromQL string literal written with {@code "}, {@code '} or a backtick, handling
   * Go's escapes ({@code \n}, {@code \x41}, {@code \101}, {@code \u00e9}, {@code \U0001F600}...).
   *
   * @throws IllegalArgumentException with a short reason if the literal is malformed
   */
  public static String unquote(String s) {
    if (s.length() < 2) {
      throw new IllegalArgumentException("invalid syntax");
    }
    char quote = s.charAt(0);
    if (s.charAt(s.length() - 1) != quote) {
      throw new IllegalArgumentException("invalid syntax");
    }
    String body = s.substring(1, s.length() - 1);
    if (quote == '`') {
      if (body.indexOf('`') >= 0) {
        throw new IllegalArgumentException("invalid syntax");
      }
      return body.replace("\r", "");
    }
    if (quote != '"' && quote != '\'') {
      throw new IllegalArgumentException("invalid syntax");
    }
    if (body.indexOf('\\') < 0) {
      if (body.indexOf(quote) >= 0 || body.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("invalid syntax");
      }
      return body;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() + 8);
    int i = 0;
    while (i < body.length()) {
      char c = body.charAt(i);
      if (c == quote || c == '\n') {
        throw new IllegalArgumentException("invalid syntax");
      }
      if (c != '\\') {
        int cp = body.codePointAt(i);
        i += Character.charCount(cp);
        writeUtf8(out, cp);
        continue;
      }
      if (i + 1 >= body.length()) {
        throw new IllegalArgumentException("invalid syntax");
      }
      char e = body.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a': out.write(7); break;
        case 'b': out.write(8); break;
        case 'f': out.write(12); break;
        case 'n': out.write(10); break;
        case 'r': out.write(13); break;
        case 't': out.write(9); break;
        case 'v': out.write(11); break;
        case '\\': out.write('\\'); break;
        case '\'':
        case '"':
          if (e != quote) {
            throw new IllegalArgumentException("invalid syntax");
          }
          out.write(e);
          break;
        case 'x':
          out.write(hex(body, i, 2));
          i += 2;
          break;
        case 'u': {
          int cp = hex(body, i, 4);
          i += 4;
          writeRune(out, cp);
          break;
        }
        case 'U': {
          int cp = hex(body, i, 8);
          i += 8;
          writeRune(out, cp);
          break;
        }
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
          if (i + 2 > body.length()) {
            throw new IllegalArgumentException("invalid syntax");
          }
          int v = e - '0';
          for (int k = 0; k < 2; k++) {
            char d = body.charAt(i + k);
            if (d < '0' || d > '7') {
              throw new IllegalArgumentException("invalid syntax");
            }
            v = v * 8 + (d - '0');
          }
          if (v > 255) {
            throw new IllegalArgumentException("invalid syntax");
          }
          i += 2;
          out.write(v);
          break;
        }
        default:
          throw new IllegalArgumentException("invalid syntax");
      }
    }
    return decodeUtf8(out.toByteArray());
  }

  private static int hex(String s, int from, int n) {
    if (from + n > s.length()) {
      throw new IllegalArgumentException("invalid syntax");
    }
    int v = 0;
    for (int k = 0; k < n; k++) {
      int d = Character.digit(s.charAt(from + k), 16);
      if (d < 0) {
        throw new IllegalArgumentException("invalid syntax");
      }
      v = v * 16 + d;
    }
    return v;
  }

  private static void writeRune(ByteArrayOutputStream out, int cp) {
    if (cp > Character.MAX_CODE_POINT || (cp >= 0xD800 && cp < 0xE000)) {
      throw new IllegalArgumentException("invalid syntax");
    }
    writeUtf8(out, cp);
  }

  private static void writeUtf8(ByteArrayOutputStream out, int cp) {
    if (cp >= ESCAPE_BASE + 0x80 && cp <= ESCAPE_BASE + 0xFF) {
      out.write(cp - ESCAPE_BASE); // an escaped raw byte travels back as that byte
      return;
    }
    byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }

  /** Decodes UTF-8, turning each byte of an invalid sequence into {@code U+DC00 + byte}. */
  static String decodeUtf8(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length);
    int i = 0;
    while (i < b.length) {
      int c = b[i] & 0xFF;
      int n;
      int cp;
      if (c < 0x80) {
        sb.append((char) c);
        i++;
        continue;
      } else if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
        cp = c & 0x1F;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        cp = c & 0x0F;
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        cp = c & 0x07;
      } else {
        sb.append((char) (ESCAPE_BASE + c));
        i++;
        continue;
      }
      boolean ok = true;
      {
        for (int k = 1; k <= n; k++) {
          if (i + k >= b.length || (b[i + k] & 0xC0) != 0x80) {
            ok = false;
            break;
          }
          cp = (cp << 6) | (b[i + k] & 0x3F);
        }
      }
      if (ok) {
        int min = n == 1 ? 0x80 : n == 2 ? 0x800 : 0x10000;
        ok = cp >= min && cp <= Character.MAX_CODE_POINT && !(cp >= 0xD800 && cp < 0xE000);
      }
      if (!ok) {
        sb.append((char) (ESCAPE_BASE + c));
        i++;
        continue;
      }
      sb.appendCodePoint(cp);
      i += n + 1;
    }
    return sb.toString();
  }

  /** Whether the string holds no escaped invalid bytes or other lone surrogates. */
  public static boolean isValidUtf8(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return false;
      }
      if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Quotes like Go's {@code strconv.Quote}: double quotes, escapes for quotes, backslashes and
   * non-printable characters; escaped invalid bytes come out as {@code \xNN}.
   */
  public static String quote(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '"': sb.append("\\\""); continue;
        case '\\': sb.append("\\\\"); continue;
        case 7: sb.append("\\a"); continue;
        case 8: sb.append("\\b"); continue;
        case 12: sb.append("\\f"); continue;
        case 10: sb.append("\\n"); continue;
        case 13: sb.append("\\r"); continue;
        case 9: sb.append("\\t"); continue;
        case 11: sb.append("\\v"); continue;
        default:
          break;
      }
      if (cp >= 0xD800 && cp < 0xE000) {
        int b = cp >= ESCAPE_BASE + 0x80 && cp <= ESCAPE_BASE + 0xFF ? cp - ESCAPE_BASE : 0xFD;
        sb.append("\\x").append(hex2(b));
      } else if (cp < 0x20 || cp == 0x7F) {
        sb.append("\\x").append(hex2(cp));
      } else if (isPrint(cp)) {
        sb.appendCodePoint(cp);
      } else if (cp < 0x10000) {
        sb.append(String.format("\\u%04x", cp));
      } else {
        sb.append(String.format("\\U%08x", cp));
      }
    }
    return sb.append('"').toString();
  }

  private static String hex2(int b) {
    return String.format("%02x", b);
  }

  private static boolean isPrint(int cp) {
    if (cp == ' ') {
      return true;
    }
    if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
      return false;
    }
    int t = Character.getType(cp);
    return t != Character.UNASSIGNED
        && t != Character.CONTROL
        && t != Character.FORMAT
        && t != Character.PRIVATE_USE
        && t != Character.SURROGATE
        && t != Character.LINE_SEPARATOR
        && t != Character.PARAGRAPH_SEPARATOR;
  }
}
