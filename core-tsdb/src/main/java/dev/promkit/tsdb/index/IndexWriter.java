package dev.promkit.tsdb.index;

import dev.promkit.tsdb.chunks.ChunkMeta;
import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.labels.Labels;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes a block index in Prometheus' format v2: symbols, series (16-byte aligned), label indices,
 * postings (4-byte aligned, the all-series list {@code "",""} first), label offset table, postings
 * offset table and TOC, each section with its CRC32-C.
 *
 * <p>Use: construct with every label name and value, {@link #addSeries} in {@link Labels} order,
 * then {@link #close()}, which writes the remaining sections and fsyncs the file.
 */
public final class IndexWriter implements AutoCloseable {
  private final Path file;
  private final FileChannel ch;
  private final OutputStream out;
  private final CRC32C crc = new CRC32C();
  private final EncBuf buf = new EncBuf(1 << 12);
  private final EncBuf lenBuf = new EncBuf(16);
  private final Map<String, Integer> symbolRefs = new HashMap<>();
  private final String[] symbols;
  // label name -> value -> series IDs in ascending order (grows as series arrive in order)
  private final TreeMap<String, TreeMap<String, IntList>> postings = new TreeMap<>();
  private final IntList all = new IntList();
  private final long[] toc = new long[6];
  private long pos;
  private Labels last;
  private boolean closed;

  /**
   * Opens the file and writes the header and symbol table.
   *
   * @param symbols every label name and value of the series to come
   */
  public IndexWriter(Path file, SortedSet<String> symbols) throws IOException {
    this.file = file;
    this.ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    this.out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
    this.symbols = symbols.toArray(new String[0]);
    for (int i = 0; i < this.symbols.length; i++) {
      symbolRefs.put(this.symbols[i], i); // format v2: a symbol's ref is its position
    }
    buf.reset().putBE32(IndexFormat.MAGIC).putByte(IndexFormat.VERSION);
    write(buf);
    toc[0] = pos;
    buf.reset().putBE32(this.symbols.length);
    for (String s : this.symbols) {
      buf.putUvarintStr(s);
    }
    writeBE32Section(buf);
  }

  /**
   * Adds the next series with its chunks (ascending time, non-overlapping).
   *
   * @throws IllegalArgumentException when out of label order, a label is not a symbol, or no chunks
   */
  public void addSeries(Labels labels, List<ChunkMeta> chunks) throws IOException {
    if (last != null && last.compareTo(labels) >= 0) {
      throw new IllegalArgumentException("series " + labels + " added after " + last + ": must be in label order");
    }
    if (chunks.isEmpty()) {
      throw new IllegalArgumentException("series " + labels + " has no chunks");
    }
    if (last == null) {
      toc[1] = pos;
    }
    last = labels;
    pad(IndexFormat.SERIES_ALIGN);
    int id = (int) (pos / IndexFormat.SERIES_ALIGN);
    buf.reset().putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      buf.putUvarint(ref(labels.name(i))).putUvarint(ref(labels.value(i)));
      postings.computeIfAbsent(labels.name(i), k -> new TreeMap<>())
          .computeIfAbsent(labels.value(i), k -> new IntList()).add(id);
    }
    all.add(id);
    buf.putUvarint(chunks.size());
    ChunkMeta prev = null;
    for (ChunkMeta c : chunks) {
      if (prev == null) {
        buf.putVarint(c.minTime()).putUvarint(c.maxTime() - c.minTime()).putUvarint(c.ref());
      } else {
        buf.putUvarint(c.minTime() - prev.maxTime()).putUvarint(c.maxTime() - c.minTime())
            .putVarint(c.ref() - prev.ref());
      }
      prev = c;
    }
    lenBuf.reset().putUvarint(buf.len());
    write(lenBuf);
    writeWithCrc(buf);
  }

  private int ref(String s) {
    Integer r = symbolRefs.get(s);
    if (r == null) {
      throw new IllegalArgumentException("label string \"" + s + "\" is not in the symbol table");
    }
    return r;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (last == null) {
        toc[1] = pos;
      }
      // label indices: one per label name, its sorted values as symbol refs
      toc[2] = pos;
      List<String> names = new ArrayList<>(postings.keySet());
      long[] labelIndexOffsets = new long[names.size()];
      for (int i = 0; i < names.size(); i++) {
        pad(4);
        labelIndexOffsets[i] = pos;
        TreeMap<String, IntList> values = postings.get(names.get(i));
        buf.reset().putBE32(1).putBE32(values.size());
        for (String v : values.keySet()) {
          buf.putBE32(ref(v));
        }
        writeBE32Section(buf);
      }
      // postings: all series first, then by name and value
      pad(4);
      toc[4] = pos;
      List<String[]> keys = new ArrayList<>();
      List<Long> offsets = new ArrayList<>();
      keys.add(new String[] {"", ""});
      offsets.add(pos);
      writePostings(all);
      for (Map.Entry<String, TreeMap<String, IntList>> n : postings.entrySet()) {
        for (Map.Entry<String, IntList> v : n.getValue().entrySet()) {
          pad(4);
          keys.add(new String[] {n.getKey(), v.getKey()});
          offsets.add(pos);
          writePostings(v.getValue());
        }
      }
      // label offset table
      toc[3] = pos;
      buf.reset().putBE32(names.size());
      for (int i = 0; i < names.size(); i++) {
        buf.putUvarint(1).putUvarintStr(names.get(i)).putUvarint(labelIndexOffsets[i]);
      }
      writeBE32Section(buf);
      // postings offset table
      toc[5] = pos;
      buf.reset().putBE32(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        buf.putUvarint(2).putUvarintStr(keys.get(i)[0]).putUvarintStr(keys.get(i)[1]).putUvarint(offsets.get(i));
      }
      writeBE32Section(buf);
      buf.reset();
      for (long t : toc) {
        buf.putBE64(t);
      }
      writeWithCrc(buf);
      out.flush();
      ch.force(true);
    } finally {
      ch.close();
    }
  }

  private void writePostings(IntList ids) throws IOException {
    buf.reset().putBE32(ids.size);
    for (int i = 0; i < ids.size; i++) {
      buf.putBE32(ids.a[i]);
    }
    writeBE32Section(buf);
  }

  /** len(4, BE) | contents | CRC32-C(contents). */
  private void writeBE32Section(EncBuf b) throws IOException {
    lenBuf.reset().putBE32(b.len());
    write(lenBuf);
    writeWithCrc(b);
  }

  private void writeWithCrc(EncBuf b) throws IOException {
    crc.reset();
    crc.update(b.array(), 0, b.len());
    int sum = (int) crc.getValue();
    write(b);
    lenBuf.reset().putBE32(sum);
    write(lenBuf);
  }

  private void write(EncBuf b) throws IOException {
    out.write(b.array(), 0, b.len());
    pos += b.len();
  }

  private void pad(int align) throws IOException {
    int n = (int) ((align - pos % align) % align);
    for (int i = 0; i < n; i++) {
      out.write(0);
    }
    pos += n;
  }

  @Override
  public String toString() {
    return "IndexWriter[" + file + "]";
  }

  /** A growable int array (series IDs). */
  private static final class IntList {
    int[] a = new int[4];
    int size;

    void add(int v) {
      if (size == a.length) {
        a = Arrays.copyOf(a, size * 2);
      }
      a[size++] = v;
    }
  }
}
