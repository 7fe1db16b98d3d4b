package dev.promkit.pushgateway;

import java.io.IOException;
import java.net.URI;

/** The Pushgateway answered a push or delete with a status other than 2xx. */
public final class PushGatewayException extends IOException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String gatewayMessage;
  private final String method;
  private final transient URI uri;

  PushGatewayException(String method, URI uri, int statusCode, String gatewayMessage) {
    super(method + " " + uri + " failed with HTTP " + statusCode + ": " + gatewayMessage.strip());
    this.method = method;
    this.uri = uri;
    this.statusCode = statusCode;
    this.gatewayMessage = gatewayMessage;
  }

  /** The HTTP status, e.g. 400 when the pushed metrics conflict with another group's. */
  public int statusCode() {
    return statusCode;
  }

  /** The response body: the gateway's explanation. */
  public String gatewayMessage() {
    return gatewayMessage;
  }

  /** PUT, POST or DELETE. */
  public String method() {
    return method;
  }

  /** The group's URL. */
  public URI uri() {
    return uri;
  }
}
