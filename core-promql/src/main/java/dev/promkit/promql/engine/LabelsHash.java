package dev.promkit.promql.engine;

import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.labels.XxHash64;
import java.nio.charset.StandardCharsets;

/**
 * Prometheus' {@code labels.Hash()}: XXH64 (seed 0) over {@code name 0xff value 0xff ...}. Used
 * where the hash decides a result ({@code limit_ratio}), so that promkit picks the same series.
 */
final class LabelsHash {
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
    return XxHash64.hash(b);
  }
}
