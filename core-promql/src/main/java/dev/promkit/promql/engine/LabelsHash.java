package dev.promkit.promql.engine;

import dev.promkit.tsdb.labels.Labels;
import java.nio.charset.StandardCharsets;

/**
 * Prometheus' {@code labels.Hash()}: XXH64 (seed 0) over {@code name 0xff value 0xff ...}. Used
 * where the hash decides a result ({@code limit_ratio}), so that promkit picks the same series.
 */
final class LabelsHash {
  private static final long P1 = 0x9E3779B185EBCA87L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;
  private static final long P3 = 0x165667B19E3779F9L;
  private static final long P4 = 0x85EBCA77C2B2AE63L;
  private static final long P5 = 0x27D4EB2F165667C5L;

  private LabelsHash() {}

  static long hash(Labels l) {
    int len = 0;
    byte[][] parts = new byte[l.size() * 2][];
    for (int i = 0; i < l.size(); i++) {
      parts[2 * i] = l.name(i).getBytes(StandardCharsets.UTF_8);
      parts[2 * i + 1] = l.value(i).getBytes(StandardCharsets.UTF_8);
      len += parts[2 * i].length + parts[2 * i + 1].length + 2;
    }
    byte[] b = new byte[len];
    int p = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, b, p, part.length);
      p += part.length;
      b[p++] = (byte) 0xff;
    }
    return xxh64(b);
  }

  static long xxh64(byte[] b) {
    int n = b.length;
    int i = 0;
    long h;
    if (n >= 32) {
      long v1 = P1 + P2;
      long v2 = P2;
      long v3 = 0;
      long v4 = -P1;
      while (i + 32 <= n) {
        v1 = round(v1, le64(b, i));
        v2 = round(v2, le64(b, i + 8));
        v3 = round(v3, le64(b, i + 16));
        v4 = round(v4, le64(b, i + 24));
        i += 32;
      }
      h = Long.rotateLeft(v1, 1) + Long.rotateLeft(v2, 7) + Long.rotateLeft(v3, 12) + Long.rotateLeft(v4, 18);
      h = merge(h, v1);
      h = merge(h, v2);
      h = merge(h, v3);
      h = merge(h, v4);
    } else {
      h = P5;
    }
    h += n;
    while (i + 8 <= n) {
      h ^= round(0, le64(b, i));
      h = Long.rotateLeft(h, 27) * P1 + P4;
      i += 8;
    }
    if (i + 4 <= n) {
      h ^= (le32(b, i) & 0xffffffffL) * P1;
      h = Long.rotateLeft(h, 23) * P2 + P3;
      i += 4;
    }
    while (i < n) {
      h ^= (b[i] & 0xffL) * P5;
      h = Long.rotateLeft(h, 11) * P1;
      i++;
    }
    h ^= h >>> 33;
    h *= P2;
    h ^= h >>> 29;
    h *= P3;
    h ^= h >>> 32;
    return h;
  }

  private static long round(long acc, long input) {
    acc += input * P2;
    acc = Long.rotateLeft(acc, 31);
    return acc * P1;
  }

  private static long merge(long acc, long val) {
    val = round(0, val);
    acc ^= val;
    return acc * P1 + P4;
  }

  private static long le64(byte[] b, int i) {
    long v = 0;
    for (int k = 7; k >= 0; k--) {
      v = (v << 8) | (b[i + k] & 0xffL);
    }
    return v;
  }

  private static int le32(byte[] b, int i) {
    return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | (b[i + 3] & 0xff) << 24;
  }
}
