package dev.promkit.tsdb.compact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promkit.tsdb.block.BlockMeta;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final long H = 3_600_000L;
  private static final Planner P = new Planner(new long[] {2 * H, 6 * H, 18 * H, 54 * H});

  /** A block [from, to) in hours, named by its range. */
  private static BlockMeta b(long from, long to) {
    return new BlockMeta(from + "-" + to, from * H, to * H, 100, 10, 10, 1, List.of());
  }

  private static List<String> names(Planner.Plan p) {
    List<String> out = new ArrayList<>();
    for (BlockMeta m : p.blocks()) {
      out.add(m.ulid());
    }
    return out;
  }

  private static Planner.Plan plan(BlockMeta... ms) {
    return P.plan(List.of(ms), m -> 0);
  }

  @Test
  void defaultRangesAreTwoSixEighteenHoursForFifteenDaysRetention() {
    // max block duration = retention / 10 = 36 h: 54 h is too long
    assertArrayEquals(new long[] {2 * H, 6 * H, 18 * H}, Planner.defaultRanges(2 * H, 15 * 24 * H, 0));
  }

  @Test
  void defaultRangesStopAtThirtyOneDaysWithoutRetention() {
    long[] r = Planner.defaultRanges(2 * H, 0, 0);
    assertArrayEquals(new long[] {2 * H, 6 * H, 18 * H, 54 * H, 162 * H, 486 * H}, r); // 1458 h > 31 d = 744 h
  }

  @Test
  void maxBlockDurationEqualToTheBlockRangeTurnsBlockCompactionOff() {
    long[] r = Planner.defaultRanges(2 * H, 0, 2 * H);
    assertArrayEquals(new long[] {2 * H}, r);
    assertNull(new Planner(r).plan(List.of(b(0, 2), b(2, 4), b(4, 6), b(6, 8)), m -> 0));
  }

  @Test
  void threeAlignedTwoHourBlocksBeforeTheNewestBecomeOneSixHourBlock() {
    Planner.Plan p = plan(b(0, 2), b(2, 4), b(4, 6), b(6, 8));
    assertEquals(List.of("0-2", "2-4", "4-6"), names(p));
    assertFalse(p.vertical());
    assertEquals(0, p.minTime());
    assertEquals(6 * H, p.maxTime());
  }

  @Test
  void theNewestBlockIsNeverCompacted() {
    // [4,6) is the newest: the rest does not fill 6 h and ends after the newest remaining block starts
    assertNull(plan(b(0, 2), b(2, 4), b(4, 6)));
  }

  @Test
  void anIncompleteRangeIsCompactedOnceNewerBlocksExist() {
    // [0,2) and [2,4) with a gap where [4,6) would be: [6,8) and [8,10) are newer, so nothing more can come
    Planner.Plan p = plan(b(0, 2), b(2, 4), b(6, 8), b(8, 10));
    assertEquals(List.of("0-2", "2-4"), names(p));
  }

  @Test
  void aSingleBlockInARangeIsNotCompacted() {
    assertNull(plan(b(0, 6), b(6, 8), b(8, 10)));
  }

  @Test
  void sixHourBlocksFillingEighteenHoursBecomeTheNextLevel() {
    Planner.Plan p = plan(b(0, 6), b(6, 12), b(12, 18), b(18, 20));
    assertEquals(List.of("0-6", "6-12", "12-18"), names(p));
  }

  @Test
  void smallerRangesArePlannedBeforeBiggerOnes() {
    Planner.Plan p = plan(b(0, 6), b(6, 12), b(12, 14), b(14, 16), b(16, 18), b(18, 20));
    assertEquals(List.of("12-14", "14-16", "16-18"), names(p));
  }

  @Test
  void misalignedBlocksAreSkipped() {
    // [1,3) crosses the 2 h grid but not the 6 h one; [5,7) crosses the 6 h grid and is left alone
    Planner.Plan p = plan(b(1, 3), b(3, 5), b(5, 7), b(7, 9), b(9, 11));
    assertEquals(List.of("1-3", "3-5"), names(p));
  }

  @Test
  void overlappingBlocksArePlannedFirstAsAVerticalCompaction() {
    Planner.Plan p = plan(b(0, 2), b(2, 4), b(4, 6), b(6, 8), b(7, 9), b(10, 12));
    assertTrue(p.vertical());
    assertEquals(List.of("6-8", "7-9"), names(p));
    assertEquals(6 * H, p.minTime());
    assertEquals(9 * H, p.maxTime());
  }

  @Test
  void overlapIncludesTheNewestBlock() {
    Planner.Plan p = plan(b(0, 2), b(1, 2));
    assertTrue(p.vertical());
    assertEquals(List.of("0-2", "1-2"), names(p));
  }

  @Test
  void aChainOfOverlapsIsOneGroup() {
    Planner.Plan p = plan(b(0, 4), b(1, 2), b(3, 6), b(8, 10));
    assertEquals(List.of("0-4", "1-2", "3-6"), names(p));
  }

  @Test
  void aBigBlockWithMoreThanFivePercentTombstonesIsRewrittenAlone() {
    BlockMeta big = b(0, 18); // numSeries 10: more than 0.05 * 11 tombstones
    BlockMeta newest = b(18, 20);
    Planner.Plan p = P.plan(List.of(big, newest), m -> m == big ? 1 : 0);
    assertEquals(List.of("0-18"), names(p));
    assertNull(P.plan(List.of(big, newest), m -> 0));
    assertNull(P.plan(List.of(b(0, 2), b(2, 4)), m -> 5), "small blocks: tombstones wait for compaction");
  }

  @Test
  void rejectsRangesThatAreNotAscending() {
    assertThrows(IllegalArgumentException.class, () -> new Planner(new long[] {6 * H, 2 * H}));
    assertThrows(IllegalArgumentException.class, () -> new Planner(new long[0]));
  }
}
