package dev.promkit.tsdb.record;

/** A record's bytes do not decode as the record type they claim: names the type and the byte. */
public final class RecordFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** With a message naming what failed. */
  public RecordFormatException(String message) {
    super(message);
  }
}
