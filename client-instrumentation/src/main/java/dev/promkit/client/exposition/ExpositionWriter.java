package dev.promkit.client.exposition;

import dev.promkit.client.snapshot.MetricSnapshots;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes one scrape's snapshots in one exposition format. Instances are immutable and thread-safe;
 * each call formats straight into a private byte buffer that is flushed to the stream, so a scrape
 * allocates no String per sample. The stream is flushed, not closed.
 *
 * <pre>{@code
 * ExpositionWriter w = ExpositionFormat.OPENMETRICS.writer(NameEscaping.UNDERSCORES);
 * w.write(out, registry.scrape());
 * }</pre>
 */
public interface ExpositionWriter {
  /** The format written. */
  ExpositionFormat format();

  /** How non-legacy names are written. */
  NameEscaping escaping();

  /** The Content-Type header value for what this writer produces. */
  String contentType();

  /** Writes every family of the scrape, then flushes {@code out}. */
  void write(OutputStream out, MetricSnapshots snapshots) throws IOException;
}
