package dev.promkit.server.ui;

import java.util.List;

/** {@link ExpressionBrowserE2E} under {@code --web.route-prefix=/prom}. */
class ExpressionBrowserRoutePrefixE2ETest extends ExpressionBrowserE2E {
  @Override
  List<String> flags() {
    return List.of("--web.route-prefix=/prom");
  }

  @Override
  String prefix() {
    return "/prom";
  }

  @Override
  String variant() {
    return "prefix";
  }
}
