package dev.promkit.examples;

import dev.promkit.client.metrics.Gauge;
import dev.promkit.client.registry.Registry;
import dev.promkit.pushgateway.PushGateway;
import dev.promkit.pushgateway.PushGatewayException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * short-job: a batch job too short-lived to be scraped, which pushes its metrics to a Pushgateway
 * when it ends (the Java version of client_python's batch-job example). The job's duration goes to
 * {@code my_batch_job_duration_seconds} whatever the outcome; {@code my_batch_job_last_success_seconds}
 * is registered and set only when the job succeeds, so the POST ({@code pushAdd}) of a failed run
 * leaves the gateway's last success as it was. Job {@code batch}, no grouping labels.
 *
 * <p>{@code java -jar promkit-examples.jar short-job [--pushgateway host:port] [--fail]}: exit 0 on
 * success; 1 when the job failed (its duration is pushed) or the push failed; 2 on bad arguments.
 */
final class ShortJob {
  static final String NAME = "short-job";
  static final String JOB = "batch";
  static final String USAGE = "usage: java -jar promkit-examples.jar short-job [--pushgateway host:port] [--fail]\n"
      + "  --pushgateway  where to push (default localhost:9091)\n"
      + "  --fail         make the job fail, to see that last-success is not pushed";

  private ShortJob() {}

  /**
   * Runs {@code work} timed by the duration gauge in a fresh registry, sets the last-success gauge
   * if it returned, and in any case pushes the registry to job {@code batch} (POST).
   *
   * @throws IOException when the push fails (a {@link PushGatewayException} when the gateway refused it)
   * @throws Exception what {@code work} threw, once its duration was pushed
   */
  static void run(PushGateway gateway, Callable<?> work) throws Exception {
    Registry registry = new Registry();
    Gauge duration = Gauge.builder().name("my_batch_job_duration_seconds")
        .help("Duration of my batch job in seconds.").register(registry);
    try {
      duration.time(work); // sets the duration also when work throws
      // Registered only on success: a failed run's pushAdd then leaves the gateway's value alone.
      Gauge lastSuccess = Gauge.builder().name("my_batch_job_last_success_seconds")
          .help("Last time my batch job successfully finished.").register(registry);
      lastSuccess.setToCurrentTime();
    } finally {
      gateway.pushAdd(registry);
    }
  }

  /** The command line: runs a pretend job of 0.1-0.3 s and returns the exit status. */
  static int main(String[] args, PrintStream out, PrintStream err) {
    String address = "localhost:9091";
    boolean fail = false;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--pushgateway") && i + 1 < args.length) {
        address = args[++i];
      } else if (args[i].equals("--fail")) {
        fail = true;
      } else {
        err.println("error: unknown or incomplete argument '" + args[i] + "'");
        err.println(USAGE);
        return 2;
      }
    }
    PushGateway gateway;
    try {
      gateway = PushGateway.builder().address(address).job(JOB).build();
    } catch (IllegalArgumentException e) {
      err.println("error: --pushgateway: " + e.getMessage());
      return 2;
    }
    boolean failing = fail;
    try {
      run(gateway, () -> {
        Thread.sleep(ThreadLocalRandom.current().nextLong(100, 300)); // the batch work would go here
        if (failing) {
          throw new IllegalStateException("the job failed (--fail)");
        }
        return null;
      });
      out.println(NAME + ": succeeded; pushed duration and last success to " + gateway.groupUri());
      return 0;
    } catch (PushGatewayException e) {
      err.printf(Locale.ROOT, "error: the Pushgateway refused the push: HTTP %d: %s%n", e.statusCode(),
          e.gatewayMessage().strip());
      return 1;
    } catch (ConnectException e) {
      err.println("error: cannot push to " + gateway.groupUri() + ": connection refused (is a Pushgateway"
          + " listening on " + address + "? choose it with --pushgateway host:port)");
      return 1;
    } catch (IOException e) {
      err.println("error: cannot push to " + gateway.groupUri() + ": " + e);
      return 1;
    } catch (Exception e) {
      err.println(NAME + ": " + e.getMessage() + "; pushed its duration to " + gateway.groupUri()
          + ", last success unchanged");
      return 1;
    }
  }
}
