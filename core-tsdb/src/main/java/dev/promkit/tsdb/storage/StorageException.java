package dev.promkit.tsdb.storage;

/** A sample or operation the storage refused; the message uses Prometheus' wording. */
public class StorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Reason kinds, matching Prometheus' storage errors. */
  public enum Kind {
    /** "out of order sample" */
    OUT_OF_ORDER("out of order sample"),
    /** "out of bounds" */
    OUT_OF_BOUNDS("out of bounds"),
    /** "duplicate sample for timestamp" */
    DUPLICATE_SAMPLE("duplicate sample for timestamp"),
    /** anything else */
    OTHER("storage error");

    private final String text;

    Kind(String text) {
      this.text = text;
    }

    /** Prometheus' text for this error. */
    public String text() {
      return text;
    }
  }

  private final Kind kind;

  /** An exception of a kind, with a message naming series and timestamp. */
  public StorageException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  /** An exception wrapping a cause. */
  public StorageException(String message, Throwable cause) {
    super(message, cause);
    this.kind = Kind.OTHER;
  }

  /** The kind of rejection. */
  public Kind kind() {
    return kind;
  }
}
