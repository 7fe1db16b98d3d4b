package dev.promkit.tsdb.index;

import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Set operations on postings lists (sorted series ids as RoaringBitmaps). Inputs are never
 * modified; results are new bitmaps.
 */
public final class Postings {
  private Postings() {}

  /** Series in every list (empty for no lists). */
  public static RoaringBitmap intersect(List<RoaringBitmap> lists) {
    if (lists.isEmpty()) {
      return new RoaringBitmap();
    }
    RoaringBitmap out = lists.get(0).clone();
    for (int i = 1; i < lists.size() && !out.isEmpty(); i++) {
      out.and(lists.get(i));
    }
    return out;
  }

  /** Series in any list. */
  public static RoaringBitmap merge(List<RoaringBitmap> lists) {
    return RoaringBitmap.or(lists.iterator());
  }

  /** Series in {@code base} but not in {@code drop}. */
  public static RoaringBitmap without(RoaringBitmap base, RoaringBitmap drop) {
    return RoaringBitmap.andNot(base, drop);
  }
}
