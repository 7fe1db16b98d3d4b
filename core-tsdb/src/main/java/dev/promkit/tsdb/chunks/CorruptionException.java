package dev.promkit.tsdb.chunks;

import java.nio.file.Path;

/** A block file that cannot be read as written: bad magic, checksum mismatch, truncation. */
public final class CorruptionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;
  private final String reason;

  /**
   * @param file the damaged file
   * @param offset byte offset in the file where the damage was found
   * @param what what is wrong there
   */
  public CorruptionException(Path file, long offset, String what) {
    super(file + " at offset " + offset + ": " + what);
    this.file = file;
    this.offset = offset;
    this.reason = what;
  }

  /**
   * The same damage with a cause.
   *
   * @param file the damaged file
   * @param offset byte offset in the file where the damage was found
   * @param what what is wrong there
   * @param cause the underlying error
   */
  public CorruptionException(Path file, long offset, String what, Throwable cause) {
    this(file, offset, what);
    initCause(cause);
  }

  /** What is wrong, without file and offset. */
  public String reason() {
    return reason;
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }

  /** Byte offset of the damage. */
  public long offset() {
    return offset;
  }
}
