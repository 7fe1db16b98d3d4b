package dev.promkit.tsdb.fileutil;

import java.util.function.Consumer;

/**
 * Test-only hook at the steps of the database's multi-step file operations (writing a block,
 * checkpointing the WAL, deleting a block), so that crash tests can pause a child process exactly
 * between two steps and kill it there. Without a listener (always, in production) a step is one
 * volatile read.
 *
 * <p>Steps: {@code block.writing} (the {@code .tmp-for-creation} directory exists, nothing in it),
 * {@code block.before-rename} (the block is complete and fsynced under its temporary name),
 * {@code checkpoint.before-rename} (the {@code checkpoint.N.tmp} directory is complete),
 * {@code checkpoint.before-wal-truncate} (the checkpoint is in place, the segments it covers are not
 * deleted yet), {@code wal.segment-deleted} (after each segment deleted by a truncation),
 * {@code retention.before-delete} (a block was renamed to {@code .tmp-for-deletion}), and
 * {@code file.deleted} (after each file a recursive deletion removed).
 */
public final class StepHook {
  private static volatile Consumer<String> listener;

  private StepHook() {}

  /** Installs the listener called at every step (null removes it). For tests only. */
  public static void install(Consumer<String> l) {
    listener = l;
  }

  /** Reports that a step was reached; the listener may block (to be killed there). */
  public static void reached(String step) {
    Consumer<String> l = listener;
    if (l != null) {
      l.accept(step);
    }
  }
}
