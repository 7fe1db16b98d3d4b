package dev.promkit.tsdb.record;

/** Record type bytes (the first byte of every record), as Prometheus numbers them. */
public final class RecordType {
  private RecordType() {}

  /** Series: refs and label sets. */
  public static final int SERIES = 1;
  /** Float samples without start timestamps. */
  public static final int SAMPLES = 2;
  /** Deletion intervals per series. */
  public static final int TOMBSTONES = 3;
  /** Exemplars (reserved, not written). */
  public static final int EXEMPLARS = 4;
  /** Out-of-order mmap markers (reserved, not written). */
  public static final int MMAP_MARKERS = 5;
  /** Metric metadata (reserved, not written). */
  public static final int METADATA = 6;
  /** Native histogram samples (reserved for the histogram issue). */
  public static final int HISTOGRAM_SAMPLES = 7;
  /** Float native histogram samples (reserved). */
  public static final int FLOAT_HISTOGRAM_SAMPLES = 8;
  /** Histograms with custom buckets (reserved). */
  public static final int CUSTOM_BUCKETS_HISTOGRAM_SAMPLES = 9;
  /** Float histograms with custom buckets (reserved). */
  public static final int CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES = 10;
  /** Float samples with start timestamps (Prometheus' "samples v2"; reserved, see docs/format/wal.md). */
  public static final int SAMPLES_V2 = 11;
  /** Returned by {@link #of} for an empty record or a byte we do not know. */
  public static final int UNKNOWN = 255;

  /** The type of the record {@code rec[0, len)}: one of the constants, {@link #UNKNOWN} if unrecognised. */
  public static int of(byte[] rec, int len) {
    if (len < 1) {
      return UNKNOWN;
    }
    int t = rec[0] & 0xFF;
    return t >= SERIES && t <= SAMPLES_V2 ? t : UNKNOWN;
  }

  /** A name for messages. */
  public static String name(int type) {
    switch (type) {
      case SERIES: return "series";
      case SAMPLES: return "samples";
      case TOMBSTONES: return "tombstones";
      case EXEMPLARS: return "exemplars";
      case MMAP_MARKERS: return "mmap_markers";
      case METADATA: return "metadata";
      case HISTOGRAM_SAMPLES: return "histogram_samples";
      case FLOAT_HISTOGRAM_SAMPLES: return "float_histogram_samples";
      case CUSTOM_BUCKETS_HISTOGRAM_SAMPLES: return "custom_buckets_histogram_samples";
      case CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES: return "custom_buckets_float_histogram_samples";
      case SAMPLES_V2: return "samples_v2";
      default: return "unknown(" + type + ")";
    }
  }
}
