package dev.promkit.client.exposition;

import java.util.Locale;

/** The text exposition formats promkit writes and parses. */
public enum ExpositionFormat {
  /** Prometheus text format 0.0.4: what every Prometheus version scrapes. */
  PROMETHEUS_TEXT("text/plain", "text/plain; version=0.0.4; charset=utf-8"),
  /** OpenMetrics 1.0.0 text: adds units, {@code _created}, exemplars, info and stateset types, {@code # EOF}. */
  OPENMETRICS("application/openmetrics-text", "application/openmetrics-text; version=1.0.0; charset=utf-8");

  private final String mediaType;
  private final String contentType;

  ExpositionFormat(String mediaType, String contentType) {
    this.mediaType = mediaType;
    this.contentType = contentType;
  }

  /** The media type without parameters, e.g. {@code text/plain}. */
  public String mediaType() {
    return mediaType;
  }

  /** The full Content-Type value, with version and charset. */
  public String contentType() {
    return contentType;
  }

  /** A writer for this format. */
  public ExpositionWriter writer(NameEscaping escaping) {
    return new FormatWriter(this, escaping, false);
  }

  /** A writer for this format with legacy-name escaping ({@link NameEscaping#UNDERSCORES}). */
  public ExpositionWriter writer() {
    return writer(NameEscaping.UNDERSCORES);
  }

  /**
   * The format of a response, from its Content-Type header: OpenMetrics for
   * {@code application/openmetrics-text}, the Prometheus text format otherwise (as Prometheus does,
   * including for a missing or unknown header).
   */
  public static ExpositionFormat fromContentType(String contentType) {
    if (contentType != null) {
      String ct = contentType.trim().toLowerCase(Locale.ROOT);
      if (ct.startsWith(OPENMETRICS.mediaType)) {
        return OPENMETRICS;
      }
    }
    return PROMETHEUS_TEXT;
  }
}
