package dev.promkit.server.web;

/** Version facts reported by {@code /api/v1/status/buildinfo}. */
final class BuildInfo {
  static final String VERSION = "0.1.0-SNAPSHOT";
  static final String REVISION = "unknown";
  static final String DATE = "unknown";

  private BuildInfo() {}
}
