package dev.promkit.tsdb;

import dev.promkit.client.registry.Registry;
import dev.promkit.tsdb.head.HeadOptions;
import java.nio.file.Path;

/**
 * How to open a {@link Tsdb}.
 *
 * @param dir data directory, or null for memory only (reserved: the write-ahead log will live there)
 * @param blockRange block range in ms (2 h by default); chunks never cross its multiples
 * @param samplesPerChunk target samples per chunk (120)
 * @param registry where to register the database's metrics, or null
 */
public record TsdbOptions(Path dir, long blockRange, int samplesPerChunk, Registry registry) {
  /** Validates through {@link HeadOptions}. */
  public TsdbOptions {
    new HeadOptions(blockRange, samplesPerChunk);
  }

  /** Memory only, Prometheus' defaults, no registry. */
  public static TsdbOptions defaults() {
    return new TsdbOptions(null, HeadOptions.DEFAULT_CHUNK_RANGE, HeadOptions.DEFAULT_SAMPLES_PER_CHUNK, null);
  }

  /** With a data directory. */
  public TsdbOptions withDir(Path d) {
    return new TsdbOptions(d, blockRange, samplesPerChunk, registry);
  }

  /** With another block range (ms). */
  public TsdbOptions withBlockRange(long ms) {
    return new TsdbOptions(dir, ms, samplesPerChunk, registry);
  }

  /** With another samples-per-chunk target. */
  public TsdbOptions withSamplesPerChunk(int n) {
    return new TsdbOptions(dir, blockRange, n, registry);
  }

  /** Registering metrics in this registry. */
  public TsdbOptions withRegistry(Registry r) {
    return new TsdbOptions(dir, blockRange, samplesPerChunk, r);
  }
}
