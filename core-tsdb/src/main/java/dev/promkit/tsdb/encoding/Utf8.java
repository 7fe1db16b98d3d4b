package dev.promkit.tsdb.encoding;

/** Allocation-free UTF-8 for label strings (unpaired surrogates become '?', as String.getBytes does). */
final class Utf8 {
  private Utf8() {}

  static int encodedLength(String s) {
    int n = 0;
    for (int i = 0, l = s.length(); i < l; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < l && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  static int encode(String s, byte[] dst, int pos) {
    for (int i = 0, l = s.length(); i < l; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        dst[pos++] = (byte) c;
      } else if (c < 0x800) {
        dst[pos++] = (byte) (0xC0 | (c >> 6));
        dst[pos++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < l && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        dst[pos++] = (byte) (0xF0 | (cp >> 18));
        dst[pos++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        dst[pos++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        dst[pos++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        dst[pos++] = (byte) '?';
      } else {
        dst[pos++] = (byte) (0xE0 | (c >> 12));
        dst[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        dst[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return pos;
  }
}
