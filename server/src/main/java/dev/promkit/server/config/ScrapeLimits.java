package dev.promkit.server.config;

/**
 * Limits on one scrape; 0 means no limit. Exceeding one fails the whole scrape (up = 0).
 *
 * @param sampleLimit samples after metric relabelling
 * @param labelLimit labels per series
 * @param labelNameLengthLimit characters in a label name
 * @param labelValueLengthLimit characters in a label value
 * @param bodySizeLimit uncompressed body bytes
 * @param targetLimit targets per job (kept, not enforced yet)
 */
public record ScrapeLimits(long sampleLimit, long labelLimit, long labelNameLengthLimit, long labelValueLengthLimit,
    long bodySizeLimit, long targetLimit) {
  /** No limits. */
  public static final ScrapeLimits NONE = new ScrapeLimits(0, 0, 0, 0, 0, 0);
}
