package dev.promkit.server.web;

import java.nio.charset.StandardCharsets;

/**
 * An HTTP response from the API.
 *
 * @param status HTTP status
 * @param contentType Content-Type header, or null for none (a 204 carries none)
 * @param body the bytes
 */
public record ApiResponse(int status, String contentType, byte[] body) {
  static ApiResponse json(int status, String json) {
    return new ApiResponse(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  static ApiResponse text(int status, String text) {
    return new ApiResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** The body as a string. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
