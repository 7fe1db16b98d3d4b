package dev.promkit.tsdb.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Expected texts are promtool 2.42's output for the same blocks. */
class BlockListingTest {
  private static CreatedBlock block(long min, long max, long samples, long chunks, long series, long size) {
    return new CreatedBlock(Path.of("x"), "01M8EYRW759P74QZ4JQC7BTJDB", min, max, samples, chunks, series, size);
  }

  @Test
  void printsTheHeaderAndAlignsEachBlockOnItsOwnAsPromtool() {
    assertEquals("BLOCK ULID                  MIN TIME     MAX TIME     DURATION     NUM SAMPLES  NUM CHUNKS   NUM SERIES   SIZE\n"
        + "01M8EYRW759P74QZ4JQC7BTJDB  1000000      1010501      10.501s      3            2            2            659\n",
        BlockListing.format(block(1000000, 1010501, 3, 2, 2, 659), true, false));
    assertEquals("01M8EYRW759P74QZ4JQC7BTJDB  1795543201000  1795564791001  5h59m50.001s  3116880      27417        1443"
        + "         5936520\n", BlockListing.format(block(1795543201000L, 1795564791001L, 3116880, 27417, 1443, 5936520),
        false, false));
  }

  @Test
  void printsUtcDatesAndBase2SizesWhenHumanReadable() {
    assertEquals("BLOCK ULID                  MIN TIME                       MAX TIME                       DURATION     "
        + "NUM SAMPLES  NUM CHUNKS   NUM SERIES   SIZE\n"
        + "01M8EYRW759P74QZ4JQC7BTJDB  1970-01-01 00:16:40 +0000 UTC  1970-01-01 00:16:50 +0000 UTC  10.501s      3"
        + "            2            2            659B\n",
        BlockListing.format(block(1000000, 1010501, 3, 2, 2, 659), true, true));
  }

  @Test
  void formatsDurationsAsGo() {
    assertEquals("0s", BlockListing.goDuration(0));
    assertEquals("1ms", BlockListing.goDuration(1));
    assertEquals("1.002s", BlockListing.goDuration(1002));
    assertEquals("1h43m10.001s", BlockListing.goDuration(6190001));
    assertEquals("17h59m50.001s", BlockListing.goDuration(64790001));
    assertEquals("18h0m0s", BlockListing.goDuration(18 * 3600_000L));
    assertEquals("2m0s", BlockListing.goDuration(120_000));
  }

  @Test
  void formatsSizesAsAlecthomasUnitsBase2Bytes() {
    assertEquals("0B", BlockListing.base2Bytes(0));
    assertEquals("659B", BlockListing.base2Bytes(659));
    assertEquals("1KiB", BlockListing.base2Bytes(1024));
    assertEquals("19MiB1010KiB935B", BlockListing.base2Bytes(20958119));
  }
}
