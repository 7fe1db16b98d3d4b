package dev.promkit.client.exposition;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ContentNegotiationTest {
  private static final String PROMETHEUS_2_42 = "application/openmetrics-text;version=1.0.0,"
      + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  private static final String PROMETHEUS_3 = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,"
      + "application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,"
      + "text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

  @Test
  void servesOpenMetricsToPrometheus242() {
    ExpositionWriter w = ContentNegotiation.negotiate(PROMETHEUS_2_42);
    assertEquals(ExpositionFormat.OPENMETRICS, w.format());
    assertEquals(NameEscaping.UNDERSCORES, w.escaping());
    assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8", w.contentType());
  }

  @Test
  void servesUtf8NamesWhenTheScraperAllowsThem() {
    ExpositionWriter w = ContentNegotiation.negotiate(PROMETHEUS_3);
    assertEquals(ExpositionFormat.OPENMETRICS, w.format());
    assertEquals(NameEscaping.ALLOW_UTF8, w.escaping());
    assertEquals("application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=allow-utf-8", w.contentType());
  }

  @Test
  void servesTextWhenNothingOrAnythingIsAccepted() {
    assertEquals(ExpositionFormat.PROMETHEUS_TEXT, ContentNegotiation.negotiate(null).format());
    assertEquals(ExpositionFormat.PROMETHEUS_TEXT, ContentNegotiation.negotiate("").format());
    assertEquals(ExpositionFormat.PROMETHEUS_TEXT, ContentNegotiation.negotiate("*/*").format());
    assertEquals(ExpositionFormat.PROMETHEUS_TEXT, ContentNegotiation.negotiate("application/json").format());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", ContentNegotiation.negotiate(null).contentType());
  }

  @Test
  void honoursQValues() {
    assertEquals(ExpositionFormat.PROMETHEUS_TEXT, ContentNegotiation.negotiate(
        "application/openmetrics-text;version=1.0.0;q=0.4,text/plain;version=0.0.4;q=0.9").format());
    assertEquals(ExpositionFormat.PROMETHEUS_TEXT, ContentNegotiation.negotiate(
        "application/openmetrics-text;q=0").format());
    assertEquals(ExpositionFormat.OPENMETRICS, ContentNegotiation.negotiate(
        "text/plain;q=0.2, application/openmetrics-text; q=0.3").format());
  }

  @Test
  void fallsBackToUnderscoresForUnsupportedEscapingAndSaysSo() {
    ExpositionWriter w = ContentNegotiation.negotiate("text/plain;version=0.0.4;escaping=dots");
    assertEquals(NameEscaping.UNDERSCORES, w.escaping());
    assertEquals("text/plain; version=0.0.4; charset=utf-8; escaping=underscores", w.contentType());
  }

  @Test
  void ignoresUnknownOpenMetricsVersions() {
    assertEquals(ExpositionFormat.PROMETHEUS_TEXT,
        ContentNegotiation.negotiate("application/openmetrics-text;version=2.0.0").format());
  }
}
