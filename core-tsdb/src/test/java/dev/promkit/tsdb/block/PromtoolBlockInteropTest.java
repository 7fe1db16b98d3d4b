package dev.promkit.tsdb.block;

import static dev.promkit.tsdb.block.BlockTestSupport.T0;
import static dev.promkit.tsdb.block.BlockTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.testing.peers.Peers;
import dev.promkit.tsdb.chunkenc.Chunk;
import dev.promkit.tsdb.chunkenc.ChunkAppender;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.chunkenc.XorChunk;
import dev.promkit.tsdb.chunks.ChunkMeta;
import dev.promkit.tsdb.chunks.ChunkReader;
import dev.promkit.tsdb.index.IndexReader;
import dev.promkit.tsdb.labels.Labels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blocks exchanged with the real promtool in both directions. */
@Tag("interop")
class PromtoolBlockInteropTest {
  private static final long MAXT = T0 + 2 * 3600_000L;

  @TempDir
  Path dir;

  @Test
  void blockWrittenByPromtoolReadsBackEverySampleAndChunk() throws Exception {
    Peers.require(Peers.PROMTOOL);
    TreeMap<Labels, List<long[]>> in = BlockTestSupport.randomSeries(12, 400, 3); // < 2 h: one block
    StringBuilder om = new StringBuilder();
    for (String name : new String[] {"http_requests_total", "up"}) {
      om.append("# TYPE ").append(name).append(" gauge\n");
      in.forEach((l, s) -> {
        if (l.get("__name__").equals(name)) {
          for (long[] x : s) {
            om.append(name).append("{instance=\"").append(l.get("instance")).append("\",job=\"")
                .append(l.get("job")).append("\"} ").append(Double.longBitsToDouble(x[1])).append(' ')
                .append(x[0] / 1000).append('.').append(String.format("%03d", x[0] % 1000)).append('\n');
          }
        }
      });
    }
    om.append("# EOF\n");
    Path file = dir.resolve("in.om");
    Files.writeString(file, om, StandardCharsets.UTF_8);
    Path out = Files.createDirectories(dir.resolve("out"));
    Peers.Result r = Peers.run(Peers.PROMTOOL, null, 60, "tsdb", "create-blocks-from", "openmetrics",
        file.toString(), out.toString());
    assertEquals(0, r.exitCode(), r.output());
    List<Path> blocks;
    try (Stream<Path> s = Files.list(out)) {
      blocks = s.filter(Files::isDirectory).toList();
    }
    assertEquals(1, blocks.size(), "one block: " + blocks);
    try (Block b = Block.open(blocks.get(0))) {
      assertEquals(BlockTestSupport.render(in), BlockTestSupport.render(readAll(b, Long.MIN_VALUE, Long.MAX_VALUE)));
      assertEquals(12, b.meta().numSeries());
      assertEquals(12 * 400, b.meta().numSamples());
    }
    // every chunk decoded and re-encoded gives promtool's bytes
    int n = 0;
    try (IndexReader ix = IndexReader.open(blocks.get(0).resolve("index"));
        ChunkReader cr = ChunkReader.open(blocks.get(0).resolve("chunks"))) {
      List<ChunkMeta> metas = new ArrayList<>();
      for (int id : ix.allPostings()) {
        ix.series(id, metas);
        for (ChunkMeta m : metas) {
          Chunk c = cr.chunk(m.ref());
          XorChunk again = new XorChunk();
          ChunkAppender app = again.appender();
          ChunkIterator it = c.iterator(null);
          while (it.next() != ValueType.NONE) {
            app.append(it.atT(), it.atV());
          }
          byte[] theirs = c.bytes();
          byte[] ours = again.bytes();
          // exact, including the spare empty byte Prometheus 2.x leaves after a byte-aligned
          // whole-byte field at the end of a chunk (BitWriter reproduces it)
          assertArrayEquals(theirs, ours, "chunk " + m);
          n++;
        }
      }
    }
    assertTrue(n >= 12 * 3, "chunks checked: " + n);
    // our index writer, given promtool's symbols, series and chunk refs, writes promtool's index bytes
    Path theirs = blocks.get(0).resolve("index");
    Path ours = dir.resolve("index-ours");
    try (IndexReader ix = IndexReader.open(theirs);
        dev.promkit.tsdb.index.IndexWriter w = new dev.promkit.tsdb.index.IndexWriter(ours,
            new java.util.TreeSet<>(ix.symbols()))) {
      List<ChunkMeta> metas = new ArrayList<>();
      for (int id : ix.allPostings()) {
        Labels l = ix.series(id, metas);
        w.addSeries(l, metas);
      }
    }
    assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours), "index bytes");
  }

  @Test
  void blockWrittenByUsIsAnalysedAndDumpedByPromtool() throws Exception {
    Peers.require(Peers.PROMTOOL);
    TreeMap<Labels, List<long[]>> in = BlockTestSupport.randomSeries(9, 300, 5);
    Path block = BlockWriter.write(dir, T0, MAXT, BlockTestSupport.memory(in));
    Files.createDirectories(dir.resolve("wal")); // dump opens the directory as a DB
    Peers.Result a = Peers.run(Peers.PROMTOOL, null, 60, "tsdb", "analyze", dir.toString(),
        block.getFileName().toString());
    assertEquals(0, a.exitCode(), a.output());
    assertTrue(a.output().contains("Block ID: " + block.getFileName()), a.output());
    assertTrue(a.output().contains("Series: 9"), a.output());
    Peers.Result d = Peers.run(Peers.PROMTOOL, null, 60, "tsdb", "dump", dir.toString());
    assertEquals(0, d.exitCode(), d.output());
    StringBuilder want = new StringBuilder();
    in.forEach((l, s) -> {
      for (long[] x : s) {
        want.append(l).append(' ').append(goFloat(Double.longBitsToDouble(x[1]))).append(' ').append(x[0]).append('\n');
      }
    });
    StringBuilder got = new StringBuilder();
    for (String line : d.output().split("\n")) {
      if (line.startsWith("{")) {
        got.append(line).append('\n');
      }
    }
    assertEquals(want.toString(), got.toString());
  }

  /** Go's strconv.FormatFloat(v, 'g', -1, 64) for the values the test generates. */
  private static String goFloat(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e21) {
      return Long.toString((long) v);
    }
    String s = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    double abs = Math.abs(v);
    if (abs < 1e-4 || abs >= 1e21) {
      String e = String.format("%s", Double.toString(v)).replace("E", "e");
      int i = e.indexOf('e');
      String exp = e.substring(i + 1);
      String sign = exp.startsWith("-") ? "-" : "+";
      exp = exp.replace("-", "");
      return e.substring(0, i) + "e" + sign + (exp.length() < 2 ? "0" + exp : exp);
    }
    return s;
  }
}
