package dev.promkit.tsdb.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.promkit.tsdb.labels.Labels;
import dev.promkit.tsdb.storage.LabelMatcher;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.roaringbitmap.RoaringBitmap;

class MemPostingsTest {
  private MemPostings p;

  @BeforeEach
  void setUp() {
    p = new MemPostings();
    p.add(1, Labels.of("__name__", "up", "job", "api", "foo", "bar"));
    p.add(2, Labels.of("__name__", "up", "job", "db"));
    p.add(3, Labels.of("__name__", "http_requests_total", "job", "web", "foo", "baz"));
    p.add(4, Labels.of("__name__", "http_errors_total", "job", "a|b"));
  }

  private List<Integer> ids(LabelMatcher... ms) {
    RoaringBitmap bm = p.select(ms);
    return bm.stream().boxed().toList();
  }

  @Test
  void emptyValueMatcherSelectsSeriesWithoutTheLabel() {
    assertEquals(List.of(2, 4), ids(LabelMatcher.eq("foo", "")));
  }

  @Test
  void notEmptyMatcherRequiresTheLabel() {
    assertEquals(List.of(1, 3), ids(LabelMatcher.neq("foo", "")));
  }

  @Test
  void notEqualKeepsSeriesWithoutTheLabel() {
    assertEquals(List.of(2, 3, 4), ids(LabelMatcher.neq("foo", "bar")));
  }

  @Test
  void regexIsFullyAnchored() {
    assertEquals(List.of(), ids(LabelMatcher.re("job", "p")));
    assertEquals(List.of(1), ids(LabelMatcher.re("job", "a.i")));
  }

  @Test
  void literalAlternationLooksUpEachValue() {
    assertEquals(List.of(1, 2), ids(LabelMatcher.re("job", "api|db")));
    assertEquals(List.of(3, 4), ids(LabelMatcher.nre("job", "api|db")));
    assertEquals(RegexShape.of("api|db").alternatives, List.of("api", "db"));
  }

  @Test
  void literalPrefixMatchesByStartsWith() {
    assertEquals("http_", RegexShape.of("http_.*").prefix);
    assertEquals(List.of(3, 4), ids(LabelMatcher.re("__name__", "http_.*")));
    assertEquals(List.of(1, 2), ids(LabelMatcher.nre("__name__", "http_.*")));
  }

  @Test
  void regexMatchingEmptySelectsSeriesWithoutTheLabel() {
    assertEquals(List.of(1, 2, 4), ids(LabelMatcher.re("foo", "bar|")));
    assertEquals(List.of(1, 2, 3, 4), ids(LabelMatcher.re("foo", ".*")));
    assertEquals(List.of(1, 3), ids(LabelMatcher.re("foo", ".+")));
    assertEquals(List.of(2, 4), ids(LabelMatcher.nre("foo", ".+")));
  }

  @Test
  void escapedMetacharacterIsNotTakenForAlternation() {
    assertEquals(List.of(4), ids(LabelMatcher.re("job", "a\\|b")));
    assertEquals(null, RegexShape.of("a\\|b").alternatives);
  }

  @Test
  void intersectsAllMatchers() {
    assertEquals(List.of(1), ids(LabelMatcher.eq("__name__", "up"), LabelMatcher.neq("foo", "")));
    assertEquals(List.of(), ids(LabelMatcher.eq("__name__", "nope"), LabelMatcher.eq("foo", "")));
  }

  @Test
  void labelNamesAndValuesFollowMatchers() {
    assertEquals(List.of("__name__", "foo", "job"), p.labelNames(null));
    assertEquals(List.of("__name__", "job"), p.labelNames(p.select(LabelMatcher.eq("job", "db"))));
    assertEquals(List.of("api", "a|b", "db", "web"), p.labelValues("job", null));
    assertEquals(List.of("api", "db"), p.labelValues("job", p.select(LabelMatcher.eq("__name__", "up"))));
  }

  @Test
  void deleteRemovesEmptyListsAndTheirStrings() {
    p.delete(3, Labels.of("__name__", "http_requests_total", "job", "web", "foo", "baz"));
    assertEquals(List.of("api", "a|b", "db"), p.labelValues("job", null));
    assertEquals(List.of("bar"), p.labelValues("foo", null));
    assertEquals(3, p.size());
  }

  @Test
  void internsLabelStrings() {
    Labels a = p.add(10, Labels.of("job", new String("api")));
    Labels b = p.add(11, Labels.of("job", new String("api")));
    assertSame(a.value(0), b.value(0));
    assertSame(a.name(0), b.name(0));
  }

  @Test
  void postingsSetOperations() {
    RoaringBitmap a = RoaringBitmap.bitmapOf(1, 2, 3);
    RoaringBitmap b = RoaringBitmap.bitmapOf(2, 3, 4);
    assertEquals(RoaringBitmap.bitmapOf(2, 3), Postings.intersect(List.of(a, b)));
    assertEquals(RoaringBitmap.bitmapOf(1, 2, 3, 4), Postings.merge(List.of(a, b)));
    assertEquals(RoaringBitmap.bitmapOf(1), Postings.without(a, b));
    assertEquals(RoaringBitmap.bitmapOf(1, 2, 3), a, "inputs unchanged");
  }
}
