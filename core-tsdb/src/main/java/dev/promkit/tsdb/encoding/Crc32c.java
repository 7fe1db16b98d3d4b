package dev.promkit.tsdb.encoding;

import java.util.zip.CRC32C;

/** CRC32-Castagnoli, the checksum of every Prometheus TSDB file (hardware-accelerated by the JDK). */
public final class Crc32c {
  private Crc32c() {}

  /** The checksum of {@code b[off, off+len)}. */
  public static int checksum(byte[] b, int off, int len) {
    CRC32C c = new CRC32C(); // one small object per call: hot paths keep their own CRC32C and reset() it
    c.update(b, off, len);
    return (int) c.getValue();
  }
}
