package dev.promkit.tsdb.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Constants of the on-disk layout (see docs/format/wal.md) and segment file naming. */
final class WalFormat {
  private WalFormat() {}

  static final int PAGE_SIZE = 32 * 1024;
  /** type (1) + length (2) + CRC32-C (4). */
  static final int HEADER_SIZE = 7;

  /** Zero byte: the rest of the page is zero padding. */
  static final int PAGE_TERM = 0;
  static final int FULL = 1;
  static final int FIRST = 2;
  static final int MIDDLE = 3;
  static final int LAST = 4;
  /** Low three bits carry the fragment type. */
  static final int TYPE_MASK = 0x07;
  /** Prometheus' compression flags (snappy 1<<3, zstd 1<<4); snappy is read, zstd refused, neither written. */
  static final int SNAPPY_FLAG = 0x08;
  static final int ZSTD_FLAG = 0x10;

  static String segmentName(int index) {
    return String.format("%08d", index);
  }

  static Path segmentPath(Path dir, int index) {
    return dir.resolve(segmentName(index));
  }

  /** Segment indexes in the directory, ascending; files whose names are not 8+ digits are ignored. */
  static List<Integer> listSegments(Path dir) throws IOException {
    List<Integer> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        int idx = parseIndex(p.getFileName().toString());
        if (idx >= 0 && Files.isRegularFile(p)) {
          out.add(idx);
        }
      }
    }
    Collections.sort(out);
    return out;
  }

  /** The number a segment name stands for, or -1 when the name is not all digits. */
  static int parseIndex(String name) {
    if (name.isEmpty() || name.length() > 10) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }
}
