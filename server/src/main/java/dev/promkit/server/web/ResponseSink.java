package dev.promkit.server.web;

import java.io.IOException;
import java.io.OutputStream;

/** Where {@link Api#serve} sends a response: status and headers first, then the body as a stream. */
public interface ResponseSink {
  /**
   * Starts the response.
   *
   * @param contentType the Content-Type header, or null for none
   * @param length the body's length in bytes, or -1 when it is streamed (unknown)
   * @return where the body goes, or null when no body is wanted (HEAD); the caller closes it
   */
  OutputStream begin(int status, String contentType, long length) throws IOException;
}
