package dev.promkit.client.exposition;

import java.util.Locale;

/**
 * Picks the format and name escaping for a scrape from its Accept header, honouring q-values.
 * OpenMetrics is served only when the header names {@code application/openmetrics-text}
 * (version 1.0.0, 0.0.1 or none) with a q-value at least that of the text format; anything else
 * (no header, {@code *}{@code /*}, an unknown type) gets the Prometheus text format 0.0.4, as
 * client_java and client_golang do. The {@code escaping=} parameter of the chosen media range
 * selects {@link NameEscaping}: {@code allow-utf-8} keeps UTF-8 names; any other value, or none,
 * gets {@code underscores} (the only legacy-compatible scheme implemented). When the scraper sent
 * an {@code escaping} parameter, the response Content-Type states the scheme used.
 */
public final class ContentNegotiation {
  private ContentNegotiation() {}

  /** The writer to answer a request carrying this Accept header (null or empty: text 0.0.4). */
  public static ExpositionWriter negotiate(String accept) {
    double textQ = -1;
    double omQ = -1;
    String textEscaping = null;
    String omEscaping = null;
    if (accept != null) {
      for (String range : accept.split(",")) {
        String[] parts = range.split(";");
        String media = parts[0].trim().toLowerCase(Locale.ROOT);
        double q = 1;
        String version = null;
        String escaping = null;
        for (int i = 1; i < parts.length; i++) {
          int eq = parts[i].indexOf('=');
          if (eq < 0) {
            continue;
          }
          String key = parts[i].substring(0, eq).trim().toLowerCase(Locale.ROOT);
          String val = unquote(parts[i].substring(eq + 1).trim());
          if (key.equals("q")) {
            q = parseQ(val);
          } else if (key.equals("version")) {
            version = val;
          } else if (key.equals("escaping")) {
            escaping = val;
          }
        }
        if (q <= 0) {
          continue;
        }
        if (media.equals("application/openmetrics-text")
            && (version == null || version.equals("1.0.0") || version.equals("0.0.1"))) {
          if (q > omQ) {
            omQ = q;
            omEscaping = escaping;
          }
        } else if ((media.equals("text/plain") && (version == null || version.equals("0.0.4")))
            || media.equals("text/*") || media.equals("*/*")) {
          if (q > textQ) {
            textQ = q;
            textEscaping = escaping;
          }
        }
      }
    }
    if (omQ > 0 && omQ >= textQ) {
      return writer(ExpositionFormat.OPENMETRICS, omEscaping);
    }
    return writer(ExpositionFormat.PROMETHEUS_TEXT, textEscaping);
  }

  private static ExpositionWriter writer(ExpositionFormat format, String escaping) {
    NameEscaping e = "allow-utf-8".equalsIgnoreCase(escaping) ? NameEscaping.ALLOW_UTF8 : NameEscaping.UNDERSCORES;
    return new FormatWriter(format, e, escaping != null);
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }

  private static double parseQ(String s) {
    try {
      double q = Double.parseDouble(s);
      return q >= 0 && q <= 1 ? q : 0;
    } catch (NumberFormatException e) {
      return 0; // a malformed q-value disqualifies the range
    }
  }
}
