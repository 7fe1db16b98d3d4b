package dev.promkit.tsdb.block;

import static dev.promkit.tsdb.block.BlockTestSupport.T0;
import static dev.promkit.tsdb.block.BlockTestSupport.readAll;
import static dev.promkit.tsdb.block.BlockTestSupport.render;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.promkit.tsdb.head.Head;
import dev.promkit.tsdb.head.HeadOptions;
import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.Appender;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadToBlockTest {
  @TempDir
  Path dir;

  @Test
  void headRangeWrittenAsBlockHoldsExactlyTheSamplesInTheRange() throws Exception {
    TreeMap<Labels, List<long[]>> in = BlockTestSupport.randomSeries(10, 700, 9); // ~2.9 h
    try (Head head = new Head(HeadOptions.defaults())) {
      Appender app = head.appender();
      in.forEach((l, s) -> {
        for (long[] x : s) {
          app.append(0, l, x[0], Double.longBitsToDouble(x[1]));
        }
      });
      app.commit();
      long maxt = T0 + 2 * 3600_000L;
      Path b = BlockWriter.write(dir, T0, maxt, head);
      TreeMap<Labels, List<long[]>> want = new TreeMap<>();
      in.forEach((l, s) -> want.put(l, s.stream().filter(x -> x[0] < maxt).toList()));
      try (Block block = Block.open(b)) {
        assertEquals(render(want), render(readAll(block, Long.MIN_VALUE, Long.MAX_VALUE)));
        assertEquals(T0, block.meta().minTime());
        assertEquals(maxt, block.meta().maxTime());
        assertEquals(want.values().stream().mapToLong(List::size).sum(), block.meta().numSamples());
      }
    }
  }
}
