package dev.promkit.server.http;

import java.io.IOException;

/** Answers one request; runs on the thread that read it, the connection's thread. */
@FunctionalInterface
public interface Handler {
  /**
   * Serves an exchange: read the request, call {@link Exchange#respond} once, write the body. The
   * server finishes the response when this returns (a body stream left open is closed); when it
   * throws before responding, the client gets a 500 and the connection is closed.
   */
  void handle(Exchange exchange) throws IOException;
}
