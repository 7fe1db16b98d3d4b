package dev.promkit.tsdb.wal;

import dev.promkit.tsdb.encoding.EncBuf;
import dev.promkit.tsdb.fileutil.FileUtil;
import dev.promkit.tsdb.fileutil.StepHook;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checkpoints: a directory {@code checkpoint.NNNNNNNN} beside the segments, itself a WAL holding the
 * records of the previous checkpoint and of segments up to NNNNNNNN that are still needed (live
 * series, recent samples). Replay reads the last checkpoint, then the segments after NNNNNNNN.
 */
public final class Checkpoint {
  private static final System.Logger LOG = System.getLogger(Checkpoint.class.getName());
  private static final String PREFIX = "checkpoint.";
  private static final String TMP_SUFFIX = ".tmp";

  private Checkpoint() {}

  /**
   * A checkpoint on disk.
   *
   * @param dir its directory
   * @param index the last WAL segment it covers
   */
  public record Ref(Path dir, int index) {}

  /**
   * What a checkpoint run did.
   *
   * @param index the checkpoint's index (the last segment covered)
   * @param recordsRead records read from the old checkpoint and the segments
   * @param recordsWritten records written to the new checkpoint
   */
  public record Stats(int index, long recordsRead, long recordsWritten) {}

  /** The checkpoint directory name for a segment index. */
  public static String name(int index) {
    return PREFIX + WalFormat.segmentName(index);
  }

  /** The newest complete checkpoint in a WAL directory, if any ({@code .tmp} leftovers are ignored). */
  public static Optional<Ref> last(Path walDir) throws IOException {
    List<Ref> all = list(walDir);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  private static List<Ref> list(Path walDir) throws IOException {
    List<Ref> out = new ArrayList<>();
    if (!Files.isDirectory(walDir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, PREFIX + "*")) {
      for (Path p : ds) {
        int idx = WalFormat.parseIndex(p.getFileName().toString().substring(PREFIX.length()));
        if (idx >= 0 && Files.isDirectory(p)) {
          out.add(new Ref(p, idx));
        }
      }
    }
    out.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return out;
  }

  /**
   * Writes {@code checkpoint.<to>} from the last checkpoint and segments {@code [from, to]} of the
   * WAL, keeping what {@code filter} keeps; then deletes segments {@code <= to}, older checkpoints and
   * leftover temporary checkpoints. The new checkpoint is built in a {@code .tmp} directory and
   * renamed, so a crash leaves either the old state or the new one.
   *
   * @throws IllegalArgumentException if {@code to} is the segment being written or the range leaves
   *     a gap after the last checkpoint
   * @throws WalCorruptionException if a segment in the range is damaged (nothing is deleted then)
   */
  public static Stats create(Wal wal, int from, int to, RecordFilter filter) throws IOException {
    Path walDir = wal.dir();
    if (to >= wal.currentSegment()) {
      throw new IllegalArgumentException("checkpoint up to segment " + to + " would include the segment being written ("
          + wal.currentSegment() + ")");
    }
    Optional<Ref> prev = last(walDir);
    if (prev.isPresent()) {
      int last = prev.get().index();
      if (from > last + 1) {
        throw new IllegalArgumentException("checkpoint from segment " + from + " leaves a gap after " + name(last));
      }
      from = last + 1; // segments up to the previous checkpoint are already in it
    }
    Path tmp = walDir.resolve(name(to) + TMP_SUFFIX);
    FileUtil.deleteRecursively(tmp);
    long read = 0;
    long written = 0;
    EncBuf out = new EncBuf(4096);
    // The checkpoint is a WAL of its own; the final fsync happens in close().
    try (Wal cp = Wal.open(tmp, wal.options().withSyncOnCommit(false), new WalMetrics())) {
      if (prev.isPresent()) {
        try (WalReader r = WalReader.open(prev.get().dir())) {
          while (r.next()) {
            read++;
            written += copy(r, filter, out, cp);
          }
        }
      }
      try (WalReader r = WalReader.open(walDir, from, to)) {
        while (r.next()) {
          read++;
          written += copy(r, filter, out, cp);
        }
      }
    } catch (IOException | RuntimeException e) {
      FileUtil.deleteRecursively(tmp);
      throw e;
    }
    FileUtil.fsyncDir(tmp);
    StepHook.reached("checkpoint.before-rename");
    Path target = walDir.resolve(name(to));
    FileUtil.deleteRecursively(target);
    FileUtil.rename(tmp, target);
    wal.metrics().checkpointCreated();
    StepHook.reached("checkpoint.before-wal-truncate");
    wal.truncate(to + 1);
    deleteBefore(walDir, to);
    LOG.log(Level.DEBUG, "WAL checkpoint {0} written: {1} records read, {2} kept", name(to), read, written);
    return new Stats(to, read, written);
  }

  private static int copy(WalReader r, RecordFilter filter, EncBuf out, Wal cp) throws IOException {
    out.reset();
    if (!filter.filter(r.record(), r.length(), out)) {
      return 0;
    }
    cp.log(out);
    return 1;
  }

  /** Deletes checkpoints with an index below {@code index}, and temporary checkpoint directories. */
  public static void deleteBefore(Path walDir, int index) throws IOException {
    for (Ref c : list(walDir)) {
      if (c.index() < index) {
        FileUtil.deleteRecursively(c.dir());
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(walDir, PREFIX + "*" + TMP_SUFFIX)) {
      for (Path p : ds) {
        FileUtil.deleteRecursively(p);
      }
    }
  }
}
