package dev.promkit.tsdb.compact;

import dev.promkit.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Chooses the blocks to compact next, by Prometheus' rules (tsdb/compact.go, {@code plan}):
 * <ol>
 *   <li>If blocks overlap in time, the first group of overlapping ones (by minimum time) is merged
 *       vertically.</li>
 *   <li>Otherwise the newest block (largest minimum time) is left out, and for each range after the
 *       first (6 h, 18 h, …) the blocks are split into groups that lie inside one aligned range
 *       [k·r, (k+1)·r); the first group of at least two blocks that spans the whole range, or ends
 *       at or before the newest block's start, is merged.</li>
 *   <li>Otherwise a single block spanning at least the middle range whose tombstones exceed 5 % of
 *       its series is rewritten.</li>
 * </ol>
 */
public final class Planner {
  private static final long MAX_BLOCK_DURATION_MS = 31L * 24 * 3600 * 1000;

  private final long[] ranges;

  /**
   * A planner over these ranges (ascending; the first is the head's block range).
   *
   * @throws IllegalArgumentException if empty, not positive or not ascending
   */
  public Planner(long[] ranges) {
    if (ranges.length == 0) {
      throw new IllegalArgumentException("compaction ranges: none given");
    }
    for (int i = 0; i < ranges.length; i++) {
      if (ranges[i] <= 0 || (i > 0 && ranges[i] <= ranges[i - 1])) {
        throw new IllegalArgumentException("compaction ranges must be positive and ascending: "
            + Arrays.toString(ranges));
      }
    }
    this.ranges = ranges.clone();
  }

  /**
   * Prometheus' default ranges: {@code blockRange}·3<sup>i</sup> for i = 0..9, keeping those up to the
   * maximum block duration, which is 31 d or, with a time retention, a tenth of it when smaller.
   * With 2 h blocks and 15 d retention: 2 h, 6 h, 18 h.
   *
   * @param retentionMs the time retention, 0 for none
   * @param maxBlockDurationMs an explicit maximum block duration, 0 for the default
   */
  public static long[] defaultRanges(long blockRange, long retentionMs, long maxBlockDurationMs) {
    long max = MAX_BLOCK_DURATION_MS;
    if (maxBlockDurationMs > 0) {
      max = maxBlockDurationMs;
    } else if (retentionMs > 0 && retentionMs / 10 < max) {
      max = retentionMs / 10;
    }
    List<Long> out = new ArrayList<>();
    long r = blockRange;
    for (int i = 0; i < 10; i++) {
      if (i > 0 && r > max) {
        break;
      }
      out.add(r);
      r *= 3;
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /** The ranges this planner uses. */
  public long[] ranges() {
    return ranges.clone();
  }

  /**
   * What to compact next.
   *
   * @param metas the blocks (any order)
   * @param numTombstones a block's number of tombstone intervals
   * @return the plan, or null when nothing should be compacted
   */
  public Plan plan(List<BlockMeta> metas, ToLongFunction<BlockMeta> numTombstones) {
    List<BlockMeta> ds = new ArrayList<>(metas);
    ds.sort(Comparator.comparingLong(BlockMeta::minTime));
    List<BlockMeta> overlapping = overlapping(ds);
    if (!overlapping.isEmpty()) {
      return new Plan(overlapping, true);
    }
    if (ds.isEmpty()) {
      return null;
    }
    ds.remove(ds.size() - 1); // never the newest block: it may still be backed up piecewise
    List<BlockMeta> sel = selectDirs(ds);
    if (!sel.isEmpty()) {
      return new Plan(sel, false);
    }
    for (int i = ds.size() - 1; i >= 0; i--) {
      BlockMeta m = ds.get(i);
      if (m.maxTime() - m.minTime() < ranges[ranges.length / 2]) {
        break;
      }
      if ((double) numTombstones.applyAsLong(m) / (m.numSeries() + 1) > 0.05) {
        return new Plan(List.of(m), false);
      }
    }
    return null;
  }

  /**
   * Blocks to merge into one.
   *
   * @param blocks by ascending minimum time
   * @param vertical whether they overlap (a vertical compaction)
   */
  public record Plan(List<BlockMeta> blocks, boolean vertical) {
    /** Copies the list. */
    public Plan {
      blocks = List.copyOf(blocks);
    }

    /** The merged block's minimum time. */
    public long minTime() {
      return blocks.stream().mapToLong(BlockMeta::minTime).min().orElseThrow();
    }

    /** The merged block's end (exclusive). */
    public long maxTime() {
      return blocks.stream().mapToLong(BlockMeta::maxTime).max().orElseThrow();
    }
  }

  /** The first run of blocks (sorted by minTime) each starting before the running end of the previous ones. */
  static List<BlockMeta> overlapping(List<BlockMeta> ds) {
    List<BlockMeta> out = new ArrayList<>();
    if (ds.size() < 2) {
      return out;
    }
    long globalMax = ds.get(0).maxTime();
    for (int i = 1; i < ds.size(); i++) {
      BlockMeta d = ds.get(i);
      if (d.minTime() < globalMax) {
        if (out.isEmpty()) {
          out.add(ds.get(i - 1));
        }
        out.add(d);
      } else if (!out.isEmpty()) {
        break;
      }
      globalMax = Math.max(globalMax, d.maxTime());
    }
    return out;
  }

  private List<BlockMeta> selectDirs(List<BlockMeta> ds) {
    if (ranges.length < 2 || ds.isEmpty()) {
      return List.of();
    }
    long highTime = ds.get(ds.size() - 1).minTime();
    for (int r = 1; r < ranges.length; r++) {
      long iv = ranges[r];
      for (List<BlockMeta> p : splitByRange(ds, iv)) {
        long mint = p.get(0).minTime();
        long maxt = p.get(p.size() - 1).maxTime();
        // the whole range is there (gaps allowed), or nothing newer can still fall into it
        if ((maxt - mint == iv || maxt <= highTime) && p.size() > 1) {
          return p;
        }
      }
    }
    return List.of();
  }

  /** Groups of consecutive blocks lying inside one aligned range of width {@code tr}; blocks wider than it skipped. */
  static List<List<BlockMeta>> splitByRange(List<BlockMeta> ds, long tr) {
    List<List<BlockMeta>> out = new ArrayList<>();
    int i = 0;
    while (i < ds.size()) {
      BlockMeta m = ds.get(i);
      long t0 = Math.floorDiv(m.minTime(), tr) * tr;
      if (m.maxTime() > t0 + tr) {
        i++; // misaligned, or already wider than this range
        continue;
      }
      List<BlockMeta> group = new ArrayList<>();
      while (i < ds.size() && ds.get(i).maxTime() <= t0 + tr) {
        group.add(ds.get(i));
        i++;
      }
      out.add(group);
    }
    return out;
  }
}
