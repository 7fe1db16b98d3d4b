package dev.promkit.tsdb.backfill;

/**
 * The samples of a run of whole lines, parsed by a worker, for the ingesting thread to apply in file
 * order. Line numbers are relative to the chunk (1-based); the ingesting thread adds the lines before.
 */
final class ParsedChunk {
  int lines; // lines in the chunk
  int samples;
  SeriesEntry[] series;
  long[] t;
  double[] v;
  int[] line; // relative line of each sample (for error messages)
  int eofLine; // relative line of "# EOF", 0 when absent
  int errorLine; // relative line of the first error, 0 when none
  String errorMessage; // with "%LINE%" where the absolute line number goes

  ParsedChunk(int capacity) {
    series = new SeriesEntry[capacity];
    t = new long[capacity];
    v = new double[capacity];
    line = new int[capacity];
  }
}
