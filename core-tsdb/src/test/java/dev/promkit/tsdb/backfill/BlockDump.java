package dev.promkit.tsdb.backfill;

import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads every block of a directory through core-tsdb's Block reader into "labels -> t=v..." text. */
final class BlockDump {
  private BlockDump() {}

  /** Block directories of dir, oldest first by min time. */
  static List<Block> open(Path dir) throws IOException {
    List<Block> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (Files.exists(p.resolve("meta.json"))) {
          out.add(Block.open(p));
        }
      }
    }
    out.sort((a, b) -> Long.compare(a.meta().minTime(), b.meta().minTime()));
    return out;
  }

  /** Series -> samples ("t:bits" of the value) of one block. */
  static Map<Labels, List<String>> samples(Block b) {
    Map<Labels, List<String>> out = new TreeMap<>();
    try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, LabelMatcher.re(Labels.METRIC_NAME, ".*"));
      ChunkIterator it = null;
      while (set.next()) {
        it = set.at().iterator(it);
        List<String> l = new ArrayList<>();
        while (it.next() == ValueType.FLOAT) {
          l.add(it.atT() + ":" + Double.doubleToRawLongBits(it.atV()));
        }
        out.put(set.at().labels(), l);
      }
    }
    return out;
  }

  /** All blocks of a directory: one map per block, in time order. */
  static List<Map<Labels, List<String>>> all(Path dir) throws IOException {
    List<Map<Labels, List<String>>> out = new ArrayList<>();
    for (Block b : open(dir)) {
      try (b) {
        out.add(samples(b));
      }
    }
    return out;
  }
}
