package dev.promkit.tsdb.compact;

import dev.promkit.tsdb.block.Block;
import dev.promkit.tsdb.block.BlockMeta;
import dev.promkit.tsdb.block.BlockWriter;
import dev.promkit.tsdb.db.MergeQuerier;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.Queryable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges blocks into one new block: their series merged by labels, samples by timestamp with a
 * timestamp present in several blocks kept once (vertical compaction), deleted samples (tombstones)
 * dropped. The new block is written to {@code <ULID>.tmp-for-creation}, fsynced and renamed; the
 * caller deletes the sources afterwards. Its meta.json has level max(parents) + 1, the union of the
 * parents' sources and the parents themselves.
 */
public final class Compactor {
  private Compactor() {}

  /**
   * Writes the merge of {@code blocks} into a new block under {@code dir}.
   *
   * @return the new block's directory, or null when no sample remains (all deleted)
   * @throws IOException if reading a source or writing the block fails (no block is left behind)
   */
  public static Path compact(Path dir, List<Block> blocks) throws IOException {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("compaction of no blocks in " + dir);
    }
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    List<BlockMeta> metas = new ArrayList<>();
    for (Block b : blocks) {
      mint = Math.min(mint, b.meta().minTime());
      maxt = Math.max(maxt, b.meta().maxTime());
      metas.add(b.meta());
    }
    Queryable merged = (lo, hi) -> {
      List<Querier> qs = new ArrayList<>();
      for (Block b : blocks) {
        qs.add(b.querier(lo, hi));
      }
      return new MergeQuerier(qs);
    };
    return BlockWriter.writeCompacted(dir, mint, maxt, merged, metas);
  }
}
