package dev.promkit.server.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.promkit.server.config.Config;
import dev.promkit.tsdb.Tsdb;
import dev.promkit.tsdb.chunkenc.ChunkIterator;
import dev.promkit.tsdb.chunkenc.ValueType;
import dev.promkit.tsdb.storage.LabelMatcher;
import dev.promkit.tsdb.storage.Querier;
import dev.promkit.tsdb.storage.SeriesSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' scrape timestamp adjustment ({@code --scrape.adjust-timestamps},
 * {@code --scrape.timestamp-tolerance}): scrapes are driven by hand at chosen clock readings and the
 * timestamps stored for {@code up} are checked. The job's interval is 1h, so that no scheduled scrape
 * runs during a test; the tolerance is then the given one (1 % of 1h is 36 s).
 */
class ScrapeTimestampAlignmentTest {
  private static final long HOUR = 3_600_000L;
  private static final long T0 = 1_795_000_000_123L; // not on any round boundary: the grid starts at the first scrape

  /** A clock that reads what the test set. */
  private static final class SetClock extends Clock {
    final AtomicLong millis = new AtomicLong(T0);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  private Tsdb db;
  private TestTarget target;
  private final SetClock clock = new SetClock();
  private ScrapeManager manager;

  @BeforeEach
  void setUp() throws Exception {
    db = Tsdb.inMemory();
    target = new TestTarget();
    target.body = "m 1\n";
  }

  @AfterEach
  void tearDown() {
    if (manager != null) {
      manager.close();
    }
    target.close();
    db.close();
  }

  private void start(Duration tolerance) {
    manager = new ScrapeManager(db, clock, 2, tolerance);
    manager.apply(Config.parse("scrape_configs:\n  - job_name: t\n    scrape_interval: 1h\n    scrape_timeout: 5s\n"
        + "    static_configs:\n      - targets: ['" + target.address() + "']\n"));
  }

  /** Scrapes once with the clock at each reading; returns the timestamps stored for {@code up}. */
  private List<Long> scrapeAt(long... readings) throws InterruptedException {
    for (long r : readings) {
      clock.millis.set(r);
      manager.scrapeAllNow();
    }
    List<Long> out = new ArrayList<>();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet set = q.select(true, null, LabelMatcher.eq("__name__", "up"));
      while (set.next()) {
        ChunkIterator it = set.at().iterator(null);
        while (it.next() == ValueType.FLOAT) {
          out.add(it.atT());
        }
      }
    }
    return out;
  }

  @Test
  void scrapesUpToTheToleranceLateAreStoredAtTheirSlot() throws Exception {
    start(Duration.ofMillis(2));
    assertEquals(List.of(T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 3 * HOUR),
        scrapeAt(T0, T0 + HOUR + 1, T0 + 2 * HOUR + 2, T0 + 3 * HOUR));
  }

  @Test
  void scrapesLaterThanTheToleranceKeepTheirTimeAndTheGridStays() throws Exception {
    start(Duration.ofMillis(2));
    // 3 ms late is past 2 ms: stored as read; the next one, 1 ms late, is still aligned to the first scrape's grid
    assertEquals(List.of(T0, T0 + HOUR + 3, T0 + 2 * HOUR),
        scrapeAt(T0, T0 + HOUR + 3, T0 + 2 * HOUR + 1));
  }

  @Test
  void skippedSlotsMoveTheGridOnByWholeIntervals() throws Exception {
    start(Duration.ofMillis(2));
    assertEquals(List.of(T0, T0 + 5 * HOUR), scrapeAt(T0, T0 + 5 * HOUR + 2));
  }

  @Test
  void theToleranceIsCappedAtOnePercentOfTheInterval() throws Exception {
    start(Duration.ofSeconds(60)); // 1 % of 1h is 36 s
    assertEquals(List.of(T0, T0 + HOUR, T0 + 2 * HOUR + 37_000),
        scrapeAt(T0, T0 + HOUR + 36_000, T0 + 2 * HOUR + 37_000));
  }

  @Test
  void aZeroToleranceStoresTheTimesAsRead() throws Exception {
    start(Duration.ZERO); // --no-scrape.adjust-timestamps
    assertEquals(List.of(T0, T0 + HOUR + 1, T0 + 2 * HOUR + 2), scrapeAt(T0, T0 + HOUR + 1, T0 + 2 * HOUR + 2));
  }

  @Test
  void aClockThatWentBackStartsANewGridThere() throws Exception {
    start(Duration.ofMillis(2));
    // the second reading is an hour before the first: stored just after the last timestamp (as every
    // timestamp must be), and the grid restarts at that reading, so T0 + 10h is on it again
    assertEquals(List.of(T0, T0 + 1, T0 + 10 * HOUR, T0 + 11 * HOUR),
        scrapeAt(T0, T0 - HOUR, T0 + 10 * HOUR, T0 + 11 * HOUR + 2));
  }

  @Test
  void rejectsANegativeTolerance() {
    assertThrows(IllegalArgumentException.class, () -> new ScrapeManager(db, clock, 2, Duration.ofMillis(-1)));
  }
}
