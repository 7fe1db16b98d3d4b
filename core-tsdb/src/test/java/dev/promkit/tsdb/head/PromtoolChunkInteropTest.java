package dev.promkit.tsdb.head;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.testing.peers.Peers;
import dev.promkit.tsdb.chunkenc.ChunkAppender;
import dev.promkit.tsdb.chunkenc.Encoding;
import dev.promkit.tsdb.chunkenc.XorChunk;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Prometheus writes the chunks: {@code promtool tsdb create-blocks-from openmetrics} turns
 * samples into blocks through Prometheus' own head, and we compare its chunk bytes with ours —
 * the XOR encoding bit for bit, and where the head cuts chunks.
 */
@Tag("interop")
class PromtoolChunkInteropTest {
  private static final long T0 = 1_700_006_400_000L; // a multiple of 2 h

  @TempDir
  Path dir;

  /** Counter every 15 s ± 50 ms over 2.5 h (two blocks); gauge with arbitrary float values. */
  private static long[][] samples(boolean counter, int n, long seed) {
    Random r = new Random(seed);
    long[] ts = new long[n];
    long[] vs = new long[n];
    double v = 100;
    for (int i = 0; i < n; i++) {
      ts[i] = T0 + 1 + i * 15_000L + r.nextInt(51); // jitter 0..50 ms, never before the block start
      v = counter ? v + r.nextInt(41) : (r.nextInt(4) == 0 ? v : r.nextGaussian() * Math.pow(10, r.nextInt(12) - 6));
      vs[i] = Double.doubleToRawLongBits(v);
    }
    return new long[][] {ts, vs};
  }

  /** The XOR chunks promtool wrote, oldest block first, each as its data bytes. */
  private List<byte[]> promtoolChunks(Path promtool, String name, long[][] s) throws Exception {
    StringBuilder om = new StringBuilder("# TYPE " + name + " gauge\n");
    for (int i = 0; i < s[0].length; i++) {
      long t = s[0][i];
      om.append(name).append("{job=\"api\"} ").append(Double.longBitsToDouble(s[1][i])).append(' ')
          .append(t / 1000).append('.').append(String.format("%03d", t % 1000)).append('\n');
    }
    om.append("# EOF\n");
    Path in = dir.resolve(name + ".om");
    Files.writeString(in, om.toString(), StandardCharsets.UTF_8);
    Path out = Files.createDirectories(dir.resolve(name + "-blocks"));
    Process p = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
        in.toString(), out.toString()).redirectErrorStream(true).start();
    try {
      String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "promtool did not finish");
      assertEquals(0, p.exitValue(), log);
    } finally {
      p.destroyForcibly();
    }
    List<Path> blocks;
    try (Stream<Path> st = Files.list(out)) {
      blocks = new ArrayList<>(st.filter(Files::isDirectory).sorted().toList()); // ULIDs sort by time
    }
    List<byte[]> chunks = new ArrayList<>();
    for (Path b : blocks) {
      chunks.addAll(readChunkFile(b.resolve("chunks").resolve("000001")));
    }
    return chunks;
  }

  // Chunk segment file: magic 0x85BD40DD, version, 3 padding bytes; then per chunk
  // uvarint(len) | encoding byte | data | CRC32-C (4 bytes).
  private static List<byte[]> readChunkFile(Path f) throws IOException {
    byte[] b = Files.readAllBytes(f);
    assertEquals(0x85BD40DD, ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
    List<byte[]> out = new ArrayList<>();
    int p = 8;
    while (p < b.length) {
      int len = 0;
      int shift = 0;
      while (true) {
        int c = b[p++] & 0xff;
        len |= (c & 0x7f) << shift;
        shift += 7;
        if (c < 0x80) {
          break;
        }
      }
      assertEquals(Encoding.XOR, Encoding.ofCode(b[p++]));
      byte[] data = new byte[len];
      System.arraycopy(b, p, data, 0, len);
      p += len + 4;
      out.add(data);
    }
    return out;
  }

  @Test
  void xorBytesEqualPrometheusForTheSameSamples() throws Exception {
    Path promtool = Peers.require(Peers.PROMTOOL);
    long[][] s = samples(false, 600, 11);
    List<byte[]> theirs = promtoolChunks(promtool, "gauge_float", s);
    int i = 0;
    for (int c = 0; c < theirs.size(); c++) {
      byte[] their = theirs.get(c);
      int n = ((their[0] & 0xff) << 8) | (their[1] & 0xff);
      XorChunk ours = new XorChunk();
      ChunkAppender a = ours.appender();
      for (int k = 0; k < n; k++, i++) {
        a.append(s[0][i], Double.longBitsToDouble(s[1][i]));
      }
      assertArrayEquals(their, ours.bytes(), "chunk " + c + " (" + n + " samples)");
    }
    assertEquals(s[0].length, i, "promtool's chunks hold every sample");
  }

  @Test
  void headCutsChunksWherePrometheusDoes() throws Exception {
    Path promtool = Peers.require(Peers.PROMTOOL);
    long[][] s = samples(true, 600, 12); // 2.5 h: crosses one block boundary
    List<byte[]> theirs = promtoolChunks(promtool, "requests", s);
    Head head = new Head(HeadOptions.defaults());
    Appender app = head.appender();
    Labels l = Labels.of("__name__", "requests", "job", "api");
    long ref = 0;
    for (int i = 0; i < s[0].length; i++) {
      ref = app.append(ref, l, s[0][i], Double.longBitsToDouble(s[1][i]));
      app.commit();
    }
    MemSeries series = head.store.get(ref);
    HeadChunk[] ours = series.chunks;
    assertEquals(theirs.size(), ours.length, "number of chunks");
    for (int c = 0; c < ours.length; c++) {
      assertArrayEquals(theirs.get(c), series.chunkBytes(ours[c]), "chunk " + c);
    }
  }
}
