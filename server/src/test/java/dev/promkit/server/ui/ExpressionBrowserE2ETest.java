package dev.promkit.server.ui;

import java.util.List;

/** {@link ExpressionBrowserE2E} with the server at the root. */
class ExpressionBrowserE2ETest extends ExpressionBrowserE2E {
  @Override
  List<String> flags() {
    return List.of();
  }

  @Override
  String prefix() {
    return "";
  }

  @Override
  String variant() {
    return "root";
  }
}
