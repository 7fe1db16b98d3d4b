package dev.promkit.tsdb.index;

import dev.promkit.tsdb.chunks.ChunkMeta;
import dev.promkit.tsdb.chunks.CorruptionException;
import dev.promkit.tsdb.labels.Labels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a memory-mapped block index (format v2). On open it checks the header, the TOC and the CRCs
 * of the symbol table and postings offset table, and keeps the symbols and the postings offset table
 * on the heap; series and postings lists are read from the mapping (CRC-checked) on demand.
 * Thread-safe. Index files above 2 GiB are not supported yet.
 */
public final class IndexReader implements AutoCloseable {
  private final Path file;
  private final MappedByteBuffer b;
  private final String[] symbols;
  // label name -> (sorted values, offsets of their postings lists)
  private final Map<String, String[]> postingValues = new LinkedHashMap<>();
  private final Map<String, long[]> postingOffsets = new LinkedHashMap<>();
  // label name -> postingValues' array as an unmodifiable list, built once: labelValues copies nothing
  private final Map<String, List<String>> valueLists = new LinkedHashMap<>();
  private final List<String> labelNames;
  private final long allPostings;

  private IndexReader(Path file, MappedByteBuffer b) {
    this.file = file;
    this.b = b;
    long size = b.limit();
    if (size < IndexFormat.HEADER_BYTES + IndexFormat.TOC_BYTES) {
      throw corrupt(size, "truncated: " + size + " bytes, smaller than header and TOC");
    }
    if (b.getInt(0) != IndexFormat.MAGIC) {
      throw corrupt(0, String.format("bad magic 0x%08X, want 0xBAAAD700", b.getInt(0)));
    }
    if (b.get(4) != IndexFormat.VERSION) {
      throw corrupt(4, "unsupported index version " + b.get(4) + " (only 2)");
    }
    int tocAt = (int) size - IndexFormat.TOC_BYTES;
    checkCrc(tocAt, 48, "TOC");
    long[] toc = new long[6];
    for (int i = 0; i < 6; i++) {
      toc[i] = b.getLong(tocAt + 8 * i);
      if (toc[i] < 0 || toc[i] > tocAt) {
        throw corrupt(tocAt + 8L * i, "TOC entry " + i + " points to " + toc[i] + ", outside the file");
      }
    }
    // symbols
    int at = section((int) toc[0], "symbol table");
    int n = b.getInt(at);
    Cursor c = new Cursor(at + 4);
    symbols = new String[n];
    for (int i = 0; i < n; i++) {
      symbols[i] = c.str();
    }
    // postings offset table
    at = section((int) toc[5], "postings offset table");
    n = b.getInt(at);
    c = new Cursor(at + 4);
    long all = -1;
    String curName = null;
    List<String> vals = new ArrayList<>();
    List<Long> offs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (c.uvarint() != 2) {
        throw corrupt(c.p, "postings offset table entry " + i + " has no 2 keys");
      }
      String name = c.str();
      String value = c.str();
      long off = c.uvarint();
      if (name.isEmpty() && value.isEmpty()) {
        all = off;
        continue;
      }
      if (!name.equals(curName)) {
        flush(curName, vals, offs);
        curName = name;
      }
      vals.add(value);
      offs.add(off);
    }
    flush(curName, vals, offs);
    if (all < 0) {
      throw corrupt(toc[5], "postings offset table lacks the all-series entry \"\",\"\"");
    }
    allPostings = all;
    List<String> names = new ArrayList<>(postingValues.keySet());
    names.sort(null);
    labelNames = List.copyOf(names);
  }

  private void flush(String name, List<String> vals, List<Long> offs) {
    if (name != null) {
      String[] v = vals.toArray(new String[0]);
      postingValues.put(name, v);
      valueLists.put(name, List.of(v));
      postingOffsets.put(name, offs.stream().mapToLong(Long::longValue).toArray());
    }
    vals.clear();
    offs.clear();
  }

  /** Maps and checks an index file. */
  public static IndexReader open(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file)) {
      if (ch.size() > Integer.MAX_VALUE) {
        throw new IOException(file + ": index of " + ch.size() + " bytes; files above 2 GiB are not supported yet");
      }
      return new IndexReader(file, ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()));
    }
  }

  /** Sorted symbols (every label name and value). */
  public List<String> symbols() {
    return List.of(symbols);
  }

  /** Sorted label names that have postings. */
  public List<String> labelNames() {
    return labelNames;
  }

  /** Sorted values of a label name (empty when absent). */
  public List<String> labelValues(String name) {
    List<String> v = valueLists.get(name);
    return v == null ? List.of() : v;
  }

  /** IDs of every series, ascending (in label order). */
  public int[] allPostings() {
    return readPostings(allPostings);
  }

  /** IDs of the series with {@code name="value"}, ascending; empty when none. */
  public int[] postings(String name, String value) {
    String[] v = postingValues.get(name);
    if (v == null) {
      return new int[0];
    }
    int i = Arrays.binarySearch(v, value);
    return i < 0 ? new int[0] : readPostings(postingOffsets.get(name)[i]);
  }

  private int[] readPostings(long off) {
    int at = section((int) off, "postings list");
    int n = b.getInt(at);
    if (4L + 4L * n > b.getInt(at - 4)) {
      throw corrupt(off, "postings list of " + n + " entries longer than its section");
    }
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = b.getInt(at + 4 + 4 * i);
    }
    return ids;
  }

  /** A series' labels and chunk metas, read into the given lists (cleared first). */
  public Labels series(int id, List<ChunkMeta> chunks) {
    return series(id, chunks, Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /**
   * A series' labels and the metas of its chunks that overlap [qmint, qmaxt], read into the given
   * list (cleared first). The whole entry is CRC-checked; chunks after qmaxt are not decoded.
   */
  public Labels series(int id, List<ChunkMeta> chunks, long qmint, long qmaxt) {
    long off = (long) id * IndexFormat.SERIES_ALIGN;
    if (off >= b.limit()) {
      throw corrupt(off, "series " + id + " outside the file");
    }
    Cursor c = new Cursor((int) off);
    long len = c.uvarint();
    int start = c.p;
    if (len < 0 || start + len + 4 > b.limit()) {
      throw corrupt(off, "series of " + len + " bytes truncated by end of file");
    }
    // One bulk copy, then CRC and varints on a heap array: per-byte reads of the mapping (bounds and
    // scope checks on each) cost several times more. A series entry is tens of bytes.
    byte[] a = new byte[(int) len + 4];
    b.get(start, a);
    CRC32C crc = new CRC32C();
    crc.update(a, 0, (int) len);
    int want = ((a[(int) len] & 0xff) << 24) | ((a[(int) len + 1] & 0xff) << 16) | ((a[(int) len + 2] & 0xff) << 8)
        | (a[(int) len + 3] & 0xff);
    if ((int) crc.getValue() != want) {
      throw corrupt(start, String.format("%s checksum mismatch: stored 0x%08X, computed 0x%08X", "series " + id, want,
          (int) crc.getValue()));
    }
    ArrayCursor c2 = new ArrayCursor(a, (int) len, start);
    int nl = (int) c2.uvarint();
    if (nl < 0 || nl > len) {
      throw corrupt(start, "series " + id + " claims " + nl + " labels in " + len + " bytes");
    }
    String[] nv = new String[2 * nl];
    for (int i = 0; i < 2 * nl; i++) {
      long r = c2.uvarint();
      if (r >= symbols.length || r < 0) {
        throw corrupt(start + c2.p, "series " + id + " references symbol " + r + " of " + symbols.length);
      }
      nv[i] = symbols[(int) r];
    }
    int nc = (int) c2.uvarint();
    chunks.clear();
    long cmint = 0;
    long cmaxt = 0;
    long ref = 0;
    for (int i = 0; i < nc; i++) {
      if (i == 0) {
        cmint = c2.varint();
        cmaxt = cmint + c2.uvarint();
        ref = c2.uvarint();
      } else {
        cmint = cmaxt + c2.uvarint();
        cmaxt = cmint + c2.uvarint();
        ref += c2.varint();
      }
      if (cmint > qmaxt) {
        return Labels.fromSortedArray(nv); // chunks are in time order: the rest lie after the range too
      }
      if (cmaxt >= qmint) {
        chunks.add(new ChunkMeta(ref, cmint, cmaxt)); // metas before the range are decoded, not kept
      }
    }
    if (c2.p != len) {
      throw corrupt(start, "series " + id + " decodes to " + c2.p + " bytes, length says " + len);
    }
    return Labels.fromSortedArray(nv);
  }

  /** Checks a {@code len(4) | contents | CRC} section and returns the contents' offset. */
  private int section(int off, String what) {
    if (off + 8L > b.limit()) {
      throw corrupt(off, what + " truncated");
    }
    int len = b.getInt(off);
    if (len < 0 || off + 8L + len > b.limit()) {
      throw corrupt(off, what + " of " + len + " bytes truncated by end of file at " + b.limit());
    }
    checkCrc(off + 4, len, what);
    return off + 4;
  }

  private void checkCrc(int off, int len, String what) {
    CRC32C crc = new CRC32C();
    crc.update(b.slice(off, len));
    int want = b.getInt(off + len);
    if ((int) crc.getValue() != want) {
      throw corrupt(off, String.format("%s checksum mismatch: stored 0x%08X, computed 0x%08X", what, want,
          (int) crc.getValue()));
    }
  }

  private CorruptionException corrupt(long off, String what) {
    return new CorruptionException(file, off, what);
  }

  @Override
  public void close() {
    // the mapping is released when collected
  }

  /** Varint reads from a copied series entry, errors naming file offsets ({@code base} + position). */
  private final class ArrayCursor {
    private final byte[] a;
    private final int end;
    private final int base;
    int p;

    ArrayCursor(byte[] a, int end, int base) {
      this.a = a;
      this.end = end;
      this.base = base;
    }

    long uvarint() {
      long v = 0;
      int start = p;
      for (int shift = 0; shift < 64; shift += 7) {
        if (p >= end) {
          throw corrupt(base + start, "varint truncated by the end of its series entry");
        }
        int x = a[p++] & 0xff;
        v |= (long) (x & 0x7f) << shift;
        if (x < 0x80) {
          return v;
        }
      }
      throw corrupt(base + start, "varint overflows 64 bits");
    }

    long varint() {
      long u = uvarint();
      return (u >>> 1) ^ -(u & 1); // zig-zag
    }
  }

  /** Sequential varint/string reads with bounds checks. */
  private final class Cursor {
    int p;

    Cursor(int p) {
      this.p = p;
    }

    long uvarint() {
      long v = 0;
      int start = p;
      for (int shift = 0; shift < 64; shift += 7) {
        if (p >= b.limit()) {
          throw corrupt(start, "varint truncated by end of file");
        }
        int x = b.get(p++) & 0xff;
        v |= (long) (x & 0x7f) << shift;
        if (x < 0x80) {
          return v;
        }
      }
      throw corrupt(start, "varint overflows 64 bits");
    }

    long varint() {
      long u = uvarint();
      return (u >>> 1) ^ -(u & 1); // zig-zag
    }

    String str() {
      int start = p;
      long n = uvarint();
      if (p + n > b.limit()) {
        throw corrupt(start, "string of " + n + " bytes truncated by end of file");
      }
      ByteBuffer s = b.slice(p, (int) n);
      p += (int) n;
      try {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .decode(s).toString();
      } catch (CharacterCodingException e) {
        throw corrupt(start, "string is not UTF-8");
      }
    }
  }
}
