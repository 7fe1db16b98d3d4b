package dev.promkit.server.notifier;

import com.google.gson.stream.JsonWriter;
import dev.promkit.client.metrics.Counter;
import dev.promkit.client.metrics.Gauge;
import dev.promkit.client.registry.Registry;
import dev.promkit.promql.rules.Alert;
import dev.promkit.promql.rules.Notifier;
import dev.promkit.server.config.AlertingConfig;
import dev.promkit.server.config.HttpClientConfig;
import dev.promkit.server.config.StaticConfig;
import dev.promkit.server.relabel.Relabeler;
import dev.promkit.server.scrape.HttpClients;
import dev.promkit.tsdb.labels.Labels;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * Sends alerts to Alertmanagers through their API v2 ({@code POST <prefix>/api/v2/alerts}), as
 * Prometheus' notifier does: external labels added, {@code alert_relabel_configs} applied, alerts
 * queued in a bounded queue (the oldest dropped when full) and posted in batches of at most 64 by
 * one background thread to every configured Alertmanager, with retries.
 *
 * <pre>{@code
 * AlertmanagerNotifier n = new AlertmanagerNotifier(registry, 10_000);
 * n.apply(config.alerting(), config.global().externalLabels());
 * ruleManagerBuilder.notifier(n);
 * }</pre>
 */
public final class AlertmanagerNotifier implements Notifier, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AlertmanagerNotifier.class.getName());
  /** Prometheus' default --alertmanager.notification-batch-size (max alerts per request). */
  public static final int MAX_BATCH = 64;
  /** Prometheus' default --alertmanager.notification-queue-capacity. */
  public static final int DEFAULT_CAPACITY = 10_000;
  static final int ATTEMPTS = 3;

  private final int capacity;
  private final ArrayDeque<Payload> queue = new ArrayDeque<>();
  final Counter total;
  final Counter dropped;
  final Counter errors;
  final Counter sent;
  final Gauge queueLength;
  final Gauge discovered;
  private final Thread sender;
  private volatile State state = new State(List.of(), Relabeler.of(List.of()), Labels.empty());
  private volatile long retryBackoffMillis = 100;
  private boolean closed;

  /** One Alertmanager endpoint with its client. */
  private record Target(String url, HttpClient client, Duration timeout, HttpClientConfig http) {}

  private record State(List<Target> targets, Relabeler relabel, Labels external) {}

  /** An alert as sent: labels after relabelling, plus the rest of Alertmanager's fields. */
  record Payload(Labels labels, Labels annotations, long startsAt, long endsAt, String generatorUrl) {}

  /**
   * A notifier registering its metrics with {@code registry}, queueing at most {@code capacity}
   * alerts; it sends nowhere until {@link #apply} gives it Alertmanagers.
   */
  public AlertmanagerNotifier(Registry registry, int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("notification queue capacity must be positive, got " + capacity);
    }
    this.capacity = capacity;
    total = Counter.builder().name("prometheus_notifications_total")
        .help("Total number of alerts handed to the notifier.").register(registry);
    dropped = Counter.builder().name("prometheus_notifications_dropped_total")
        .help("Total number of alerts dropped due to errors when sending to Alertmanager.").register(registry);
    errors = Counter.builder().name("prometheus_notifications_errors_total")
        .help("Total number of sent alerts affected by errors.").labelNames("alertmanager").register(registry);
    sent = Counter.builder().name("prometheus_notifications_sent_total")
        .help("Total number of alerts sent.").labelNames("alertmanager").register(registry);
    queueLength = Gauge.builder().name("prometheus_notifications_queue_length")
        .help("The number of alert notifications in the queue.").register(registry);
    Gauge cap = Gauge.builder().name("prometheus_notifications_queue_capacity")
        .help("The capacity of the alert notifications queue.").register(registry);
    cap.set(capacity);
    discovered = Gauge.builder().name("prometheus_notifications_alertmanagers_discovered")
        .help("The number of alertmanagers discovered and active.").register(registry);
    sender = new Thread(this::run, "promkit-notifier");
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * Takes the {@code alerting} section and external labels: the static Alertmanagers (after their
   * {@code relabel_configs} on {@code __address__}, {@code __scheme__}, {@code __alerts_path__})
   * become the targets. Builds everything before swapping, so a bad TLS file leaves the old set.
   *
   * @throws IllegalArgumentException when a TLS file cannot be read
   */
  public void apply(AlertingConfig alerting, Map<String, String> externalLabels) {
    prepare(alerting, externalLabels).run();
  }

  /**
   * Builds everything {@link #apply} would (failing the same way) and returns the action that
   * swaps it in, so that a caller can validate the rest of a reload before committing.
   */
  public Runnable prepare(AlertingConfig alerting, Map<String, String> externalLabels) {
    List<Target> targets = new ArrayList<>();
    for (AlertingConfig.Alertmanager am : alerting.alertmanagers()) {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(am.timeout().millis()))
          .version(HttpClient.Version.HTTP_1_1);
      SSLContext ssl = HttpClients.sslContext(am.http().tls());
      if (ssl != null) {
        b.sslContext(ssl);
      }
      HttpClient client = b.build();
      Relabeler amRelabel = Relabeler.of(am.relabelConfigs());
      String prefix = am.pathPrefix() == null ? "" : am.pathPrefix().replaceAll("/+$", "");
      for (StaticConfig sc : am.staticConfigs()) {
        for (String addr : sc.targets()) {
          Labels.Builder lb = Labels.fromMap(sc.labels()).toBuilder();
          lb.set("__address__", addr).set("__scheme__", am.scheme()).set("__alerts_path__", prefix + "/api/v2/alerts");
          if (!amRelabel.process(lb)) {
            continue;
          }
          Labels l = lb.build();
          String path = l.get("__alerts_path__");
          targets.add(new Target(l.get("__scheme__") + "://" + l.get("__address__") + (path.startsWith("/") ? "" : "/")
              + path, client, Duration.ofMillis(am.timeout().millis()), am.http()));
        }
      }
    }
    State next = new State(List.copyOf(targets), Relabeler.of(alerting.alertRelabelConfigs()),
        Labels.fromMap(externalLabels));
    return () -> {
      state = next;
      discovered.set(next.targets.size());
    };
  }

  /** The URLs alerts are posted to (for {@code /api/v1/alertmanagers}). */
  public List<String> alertmanagerUrls() {
    List<String> out = new ArrayList<>();
    for (Target t : state.targets) {
      out.add(t.url);
    }
    return out;
  }

  /** Alerts waiting in the queue. */
  public synchronized int queueLength() {
    return queue.size();
  }

  void retryBackoffMillis(long ms) {
    retryBackoffMillis = ms;
  }

  /** Relabels and queues the alerts; never blocks on the network. */
  @Override
  public void send(List<Alert> alerts) {
    State s = state;
    List<Payload> ps = new ArrayList<>(alerts.size());
    for (Alert a : alerts) {
      Labels.Builder b = a.labels().toBuilder();
      s.external.forEach((k, v) -> {
        if (a.labels().get(k).isEmpty()) {
          b.set(k, v);
        }
      });
      if (!s.relabel.process(b)) {
        continue;
      }
      Labels l = b.build();
      if (l.isEmpty()) {
        continue;
      }
      ps.add(new Payload(l, a.annotations(), a.startsAtMillis(), a.endsAtMillis(), a.generatorUrl()));
    }
    total.inc(alerts.size());
    synchronized (this) {
      for (Payload p : ps) {
        if (queue.size() >= capacity) {
          // Prometheus drops the oldest alerts: newer state supersedes them.
          queue.pollFirst();
          dropped.inc();
        }
        queue.addLast(p);
      }
      queueLength.set(queue.size());
      notifyAll();
    }
  }

  private void run() {
    while (true) {
      List<Payload> batch = new ArrayList<>(MAX_BATCH);
      synchronized (this) {
        while (queue.isEmpty() && !closed) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          return;
        }
        while (batch.size() < MAX_BATCH && !queue.isEmpty()) {
          batch.add(queue.pollFirst());
        }
        queueLength.set(queue.size());
      }
      sendAll(batch);
    }
  }

  private void sendAll(List<Payload> batch) {
    List<Target> targets = state.targets;
    if (targets.isEmpty()) {
      return;
    }
    String body = json(batch);
    int ok = 0;
    for (Target t : targets) {
      if (post(t, body)) {
        ok++;
      } else {
        errors.labelValues(t.url).inc(batch.size());
      }
      sent.labelValues(t.url).inc(batch.size());
    }
    if (ok == 0) {
      dropped.inc(batch.size());
    }
  }

  private boolean post(Target t, String body) {
    String last = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      try {
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(t.url)).timeout(t.timeout)
            .header("Content-Type", "application/json").header("User-Agent", "Prometheus/promkit-0.1.0")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        String auth = authorization(t.http);
        if (auth != null) {
          rb.header("Authorization", auth);
        }
        HttpResponse<String> r = t.client.send(rb.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) {
          return true;
        }
        last = "bad response status " + r.statusCode();
      } catch (IOException | IllegalArgumentException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      try {
        Thread.sleep(retryBackoffMillis * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    LOG.log(System.Logger.Level.WARNING, "error sending alerts to " + t.url + " (" + ATTEMPTS + " attempts): " + last);
    return false;
  }

  private static String authorization(HttpClientConfig c) throws IOException {
    if (c.basicAuth() != null) {
      HttpClientConfig.BasicAuth b = c.basicAuth();
      String pw = b.password() != null ? b.password()
          : b.passwordFile() != null ? Files.readString(Path.of(b.passwordFile())).strip() : "";
      return "Basic " + Base64.getEncoder().encodeToString((b.username() + ":" + pw).getBytes(StandardCharsets.UTF_8));
    }
    if (c.authorization() != null) {
      HttpClientConfig.Authorization a = c.authorization();
      String cred = a.credentials() != null ? a.credentials()
          : a.credentialsFile() != null ? Files.readString(Path.of(a.credentialsFile())).strip() : "";
      return a.type() + " " + cred;
    }
    return null;
  }

  /** The API v2 body: a JSON array of {labels, annotations, startsAt, endsAt, generatorURL}. */
  static String json(List<Payload> batch) {
    StringWriter sw = new StringWriter();
    try (JsonWriter w = new JsonWriter(sw)) {
      w.beginArray();
      for (Payload p : batch) {
        w.beginObject();
        w.name("labels");
        labels(w, p.labels);
        w.name("annotations");
        labels(w, p.annotations);
        w.name("startsAt").value(Instant.ofEpochMilli(p.startsAt).toString());
        if (p.endsAt != 0) {
          w.name("endsAt").value(Instant.ofEpochMilli(p.endsAt).toString());
        }
        w.name("generatorURL").value(p.generatorUrl == null ? "" : p.generatorUrl);
        w.endObject();
      }
      w.endArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  private static void labels(JsonWriter w, Labels l) throws IOException {
    w.beginObject();
    IOException[] err = new IOException[1];
    l.forEach((k, v) -> {
      try {
        w.name(k).value(v);
      } catch (IOException e) {
        err[0] = e;
      }
    });
    if (err[0] != null) {
      throw err[0];
    }
    w.endObject();
  }

  /** Stops the sender thread; queued alerts are discarded. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    sender.interrupt();
    try {
      sender.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
