package dev.promkit.examples;

import java.util.Arrays;
import java.util.Locale;

/**
 * {@code java -jar promkit-examples.jar NAME [--metrics-port N] [--app-port N]}: runs one of the
 * examples, an app answering "Hello World" on the app port (default 8001) and its metrics on
 * {@code /metrics} of the metrics port (default 8000), until interrupted.
 */
public final class Main {
  private Main() {}

  /** Entry point. Exits with status 2 on bad arguments. */
  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(Options.USAGE);
      System.exit(2);
      return;
    }
    RunningExample running = o.example().start(o.metricsPort(), o.appPort());
    Runtime.getRuntime().addShutdownHook(new Thread(running::close));
    System.out.printf(Locale.ROOT, "%s: app on http://localhost:%d/ , metrics on http://localhost:%d/metrics%n",
        o.example().exampleName(), running.appPort(), running.metricsPort());
    Thread.currentThread().join(); // serve until killed
  }

  /** Parsed command line. */
  record Options(Example example, int metricsPort, int appPort) {
    static final String USAGE = "usage: java -jar promkit-examples.jar NAME [--metrics-port N] [--app-port N]\n"
        + "  NAME: " + String.join(", ", Arrays.stream(Example.values()).map(Example::exampleName).toList());

    static Options parse(String[] args) {
      if (args.length == 0) {
        throw new IllegalArgumentException("missing example name");
      }
      Example example = Example.byName(args[0]);
      int metricsPort = 8000;
      int appPort = 8001;
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        if ((a.equals("--metrics-port") || a.equals("--app-port")) && i + 1 < args.length) {
          int port = port(a, args[++i]);
          if (a.equals("--metrics-port")) {
            metricsPort = port;
          } else {
            appPort = port;
          }
        } else {
          throw new IllegalArgumentException("unknown or incomplete argument '" + a + "'");
        }
      }
      return new Options(example, metricsPort, appPort);
    }

    private static int port(String flag, String value) {
      try {
        int p = Integer.parseInt(value);
        if (p >= 0 && p <= 65535) {
          return p;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(flag + ": not a port number: '" + value + "'");
    }
  }
}
