package dev.promkit.tsdb.block;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A block's {@code meta.json}: its ULID, time range [minTime, maxTime) in ms, statistics and
 * compaction history, as Prometheus writes it (version 1).
 *
 * @param ulid the block's ULID (also its directory name)
 * @param minTime first timestamp covered (ms, inclusive)
 * @param maxTime end of the covered range (ms, exclusive)
 * @param numSamples samples in the block
 * @param numSeries series in the block
 * @param numChunks chunks in the block
 * @param level compaction level (1 for a block cut from the head)
 * @param sources ULIDs of the level-1 blocks this block holds
 * @param parents the blocks compacted into this one (empty for a block cut from the head); once this
 *     block is in place they are deleted, and {@code Tsdb.open} deletes any left by a crash
 */
public record BlockMeta(String ulid, long minTime, long maxTime, long numSamples, long numSeries,
    long numChunks, int level, List<String> sources, List<Parent> parents) {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /**
   * A block compacted into another one, as listed in {@code compaction.parents}.
   *
   * @param ulid the parent's ULID
   * @param minTime its first timestamp (ms, inclusive)
   * @param maxTime its end (ms, exclusive)
   */
  public record Parent(String ulid, long minTime, long maxTime) {}

  /** Validates and copies the lists. */
  public BlockMeta {
    sources = List.copyOf(sources);
    parents = List.copyOf(parents);
  }

  /** A meta without parents (a block cut from the head or imported). */
  public BlockMeta(String ulid, long minTime, long maxTime, long numSamples, long numSeries, long numChunks,
      int level, List<String> sources) {
    this(ulid, minTime, maxTime, numSamples, numSeries, numChunks, level, sources, List.of());
  }

  // Gson-shaped mirror of the JSON document
  private static final class Json {
    String ulid;
    long minTime;
    long maxTime;
    Stats stats;
    Compaction compaction;
    int version;
  }

  private static final class Stats {
    long numSamples;
    long numSeries;
    long numChunks;
  }

  private static final class Compaction {
    int level;
    List<String> sources;
    List<ParentJson> parents;
  }

  private static final class ParentJson {
    String ulid;
    long minTime;
    long maxTime;
  }

  /** The JSON text Prometheus would write for this meta. */
  public String toJson() {
    Json j = new Json();
    j.ulid = ulid;
    j.minTime = minTime;
    j.maxTime = maxTime;
    j.stats = new Stats();
    j.stats.numSamples = numSamples;
    j.stats.numSeries = numSeries;
    j.stats.numChunks = numChunks;
    j.compaction = new Compaction();
    j.compaction.level = level;
    j.compaction.sources = sources;
    if (!parents.isEmpty()) {
      j.compaction.parents = new java.util.ArrayList<>();
      for (Parent p : parents) {
        ParentJson pj = new ParentJson();
        pj.ulid = p.ulid();
        pj.minTime = p.minTime();
        pj.maxTime = p.maxTime();
        j.compaction.parents.add(pj);
      }
    }
    j.version = 1;
    return GSON.toJson(j);
  }

  /**
   * Reads {@code dir/meta.json}.
   *
   * @throws IOException when missing, not JSON, of another version or without a valid ULID
   */
  public static BlockMeta read(Path dir) throws IOException {
    Path f = dir.resolve("meta.json");
    Json j;
    try {
      j = GSON.fromJson(Files.readString(f, StandardCharsets.UTF_8), Json.class);
    } catch (JsonParseException e) {
      throw new IOException(f + ": not valid meta.json: " + e.getMessage(), e);
    }
    if (j == null || j.version != 1) {
      throw new IOException(f + ": unsupported meta.json version " + (j == null ? "(empty file)" : j.version));
    }
    try {
      Ulid.parse(j.ulid == null ? "" : j.ulid);
    } catch (IllegalArgumentException e) {
      throw new IOException(f + ": " + e.getMessage(), e);
    }
    Stats s = j.stats == null ? new Stats() : j.stats;
    Compaction c = j.compaction == null ? new Compaction() : j.compaction;
    List<Parent> parents = new java.util.ArrayList<>();
    if (c.parents != null) {
      for (ParentJson pj : c.parents) {
        if (pj == null || pj.ulid == null) {
          throw new IOException(f + ": compaction.parents holds an entry without ulid");
        }
        parents.add(new Parent(pj.ulid, pj.minTime, pj.maxTime));
      }
    }
    return new BlockMeta(j.ulid, j.minTime, j.maxTime, s.numSamples, s.numSeries, s.numChunks, c.level,
        c.sources == null ? List.of() : c.sources, parents);
  }
}
