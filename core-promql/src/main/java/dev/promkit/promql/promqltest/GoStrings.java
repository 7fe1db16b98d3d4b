package dev.promkit.promql.promqltest;

import java.nio.charset.StandardCharsets;
import java.io.ByteArrayOutputStream;

/** Go-style string literals as the script language uses them: "…" with escapes, '…', `…` raw. */
final class GoStrings {
  private GoStrings() {}

  /**
   * Reads a quoted string starting at {@code pos}; returns the unquoted text and sets {@code end[0]} to
   * the index after the closing quote.
   */
  static String read(String s, int pos, int[] end) {
    char q = s.charAt(pos);
    if (q == '`') {
      int close = s.indexOf('`', pos + 1);
      if (close < 0) {
        throw new IllegalArgumentException("unterminated raw string");
      }
      end[0] = close + 1;
      return s.substring(pos + 1, close);
    }
    if (q != '"' && q != '\'') {
      throw new IllegalArgumentException("expected a quoted string at column " + (pos + 1));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = pos + 1;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == q) {
        end[0] = i + 1;
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
      }
      if (c != '\\') {
        int cp = s.codePointAt(i);
        byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(cp);
        continue;
      }
      if (i + 1 >= s.length()) {
        break;
      }
      char e = s.charAt(i + 1);
      i += 2;
      switch (e) {
        case 'a': out.write(7); break;
        case 'b': out.write(8); break;
        case 'f': out.write(12); break;
        case 'n': out.write('\n'); break;
        case 'r': out.write('\r'); break;
        case 't': out.write('\t'); break;
        case 'v': out.write(11); break;
        case '\\': out.write('\\'); break;
        case '\'': out.write('\''); break;
        case '"': out.write('"'); break;
        case 'x':
          out.write(Integer.parseInt(s.substring(i, i + 2), 16));
          i += 2;
          break;
        case 'u':
        case 'U': {
          int n = e == 'u' ? 4 : 8;
          int cp = Integer.parseInt(s.substring(i, i + n), 16);
          byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
          out.write(b, 0, b.length);
          i += n;
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            out.write(Integer.parseInt(s.substring(i - 1, i + 2), 8));
            i += 2;
            break;
          }
          throw new IllegalArgumentException("invalid escape \\" + e);
      }
    }
    throw new IllegalArgumentException("unterminated quoted string");
  }

  /** Unquotes a whole string literal. */
  static String unquote(String s) {
    int[] end = new int[1];
    String r = read(s, 0, end);
    if (end[0] != s.length()) {
      throw new IllegalArgumentException("unexpected text after quoted string: " + s.substring(end[0]));
    }
    return r;
  }
}
