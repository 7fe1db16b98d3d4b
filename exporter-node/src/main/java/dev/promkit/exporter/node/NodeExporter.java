package dev.promkit.exporter.node;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.registry.Registry;
import dev.promkit.client.snapshot.MetricSnapshots;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The Linux host metrics of Prometheus' node_exporter 1.5, as a {@link Collector}: each scrape reads
 * procfs and sysfs and produces node_exporter's families (same names, types, labels and units), plus
 * {@code node_scrape_collector_duration_seconds} and {@code node_scrape_collector_success} per collector.
 *
 * <pre>{@code
 * NodeExporter.builder().disable("netclass").build().register(registry);
 * }</pre>
 *
 * <p>Thread-safe: concurrent scrapes read the host independently. Collectors of one scrape run
 * concurrently on the exporter's own daemon threads ({@link Builder#threads}).
 */
public final class NodeExporter implements Collector {
  private static final System.Logger LOG = System.getLogger(NodeExporter.class.getName());

  private final Map<String, NodeCollector> collectors;
  private final ExecutorService pool;

  private NodeExporter(Map<String, NodeCollector> collectors, int threads) {
    this.collectors = collectors;
    AtomicInteger n = new AtomicInteger();
    // Daemon threads: an exporter that is simply dropped never keeps the JVM alive.
    ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "node-exporter-collector-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    executor.allowCoreThreadTimeOut(true); // idle between scrapes: no threads kept
    this.pool = executor;
  }

  /** A builder with node_exporter's default collectors and paths. */
  public static Builder builder() {
    return new Builder();
  }

  /** The names of every collector this exporter implements, whether enabled by default or not. */
  public static Set<String> availableCollectors() {
    return new TreeSet<>(Builder.FACTORIES.keySet());
  }

  /** The enabled collectors, in scrape order. */
  public List<String> enabledCollectors() {
    return List.copyOf(collectors.keySet());
  }

  /** Registers this exporter in a registry and returns it. */
  public NodeExporter register(Registry registry) {
    registry.register(this);
    return this;
  }

  @Override
  public MetricSnapshots collect() {
    // Collectors run concurrently, as node_exporter's goroutines do: the filesystem collector may
    // wait on a slow mount, and the others need not wait behind it.
    List<Map.Entry<String, NodeCollector>> list = new ArrayList<>(collectors.entrySet());
    List<Future<Result>> futures = new ArrayList<>(list.size());
    for (Map.Entry<String, NodeCollector> e : list) {
      futures.add(pool.submit(() -> run(e.getKey(), e.getValue())));
    }
    Families out = new Families();
    List<Result> results = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      Result r;
      try {
        r = futures.get(i).get();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        futures.forEach(f -> f.cancel(true));
        throw new IllegalStateException("node exporter scrape interrupted", ex);
      } catch (ExecutionException ex) {
        r = new Result(list.get(i).getKey(), new Families(), 0, false);
      }
      results.add(r);
      List<String> dropped = out.addAll(r.families);
      if (!dropped.isEmpty()) {
        LOG.log(System.Logger.Level.ERROR, "collector {0}: dropped families already collected elsewhere: {1}",
            r.name, dropped);
        r = new Result(r.name, r.families, r.seconds, false);
        results.set(i, r);
      }
    }
    for (Result r : results) {
      out.gauge("node_scrape_collector_duration_seconds", "node_exporter: Duration of a collector scrape.",
          r.seconds, "collector", r.name);
    }
    for (Result r : results) {
      out.gauge("node_scrape_collector_success", "node_exporter: Whether a collector succeeded.",
          r.ok ? 1 : 0, "collector", r.name);
    }
    return MetricSnapshots.of(out.toSnapshots());
  }

  private record Result(String name, Families families, double seconds, boolean ok) {}

  private static Result run(String name, NodeCollector c) {
    Families f = new Families();
    long start = System.nanoTime();
    boolean ok;
    try {
      c.update(f);
      ok = true;
    } catch (NodeCollector.NoDataException ex) {
      LOG.log(System.Logger.Level.DEBUG, "collector {0} returned no data: {1}", name, ex.getMessage());
      ok = false;
    } catch (Exception | LinkageError ex) {
      LOG.log(System.Logger.Level.ERROR, "collector " + name + " failed", ex);
      ok = false;
    }
    return new Result(name, f, (System.nanoTime() - start) / 1e9, ok);
  }

  /** Settles which collectors run and where they read the host. */
  public static final class Builder {
    private static final Map<String, Function<Builder, NodeCollector>> FACTORIES = new TreeMap<>();
    private static final Set<String> DEFAULT_ENABLED = new TreeSet<>();

    static {
      def("arp", b -> SimpleCollectors.arp(b.paths()));
      def("conntrack", b -> SimpleCollectors.conntrack(b.paths()));
      def("cpu", b -> new CpuCollector(b.paths()));
      def("diskstats", b -> new DiskstatsCollector(b.paths(), b.pattern("diskstats.device-exclude")));
      def("entropy", b -> SimpleCollectors.entropy(b.paths()));
      def("filefd", b -> SimpleCollectors.filefd(b.paths()));
      def("filesystem", b -> new FilesystemCollector(b.paths(), b.pattern("filesystem.mount-points-exclude"),
          b.pattern("filesystem.fs-types-exclude"), Statfs.best(5000)));
      def("loadavg", b -> new LoadavgCollector(b.paths()));
      def("meminfo", b -> new MeminfoCollector(b.paths()));
      def("netclass", b -> new NetclassCollector(b.paths(), b.pattern("netclass.ignored-devices")));
      def("netdev", b -> new NetdevCollector(b.paths(), b.optionalPattern("netdev.device-exclude")));
      def("netstat", b -> SimpleCollectors.netstat(b.paths(), b.pattern("netstat.fields")));
      def("os", b -> SimpleCollectors.os(b.paths()));
      def("pressure", b -> SimpleCollectors.pressure(b.paths()));
      def("selinux", b -> SimpleCollectors.selinux(b.paths()));
      def("sockstat", b -> SimpleCollectors.sockstat(b.paths(), PageSize.get()));
      def("softnet", b -> SimpleCollectors.softnet(b.paths()));
      def("stat", b -> new StatCollector(b.paths()));
      def("textfile", b -> new TextfileCollector(b.options.get("textfile.directory")));
      def("time", b -> new TimeCollector(b.paths(), b.clock));
      def("udp_queues", b -> SimpleCollectors.udpQueues(b.paths()));
      def("uname", b -> new UnameCollector(b.paths()));
      def("vmstat", b -> SimpleCollectors.vmstat(b.paths(), b.pattern("vmstat.fields")));
    }

    private static void def(String name, Function<Builder, NodeCollector> factory) {
      FACTORIES.put(name, factory);
      DEFAULT_ENABLED.add(name);
    }

    private static final Map<String, String> DEFAULT_OPTIONS = Map.of(
        "diskstats.device-exclude", DiskstatsCollector.DEFAULT_DEVICE_EXCLUDE,
        "filesystem.mount-points-exclude", FilesystemCollector.DEFAULT_MOUNT_POINTS_EXCLUDE,
        "filesystem.fs-types-exclude", FilesystemCollector.DEFAULT_FS_TYPES_EXCLUDE,
        "netclass.ignored-devices", NetclassCollector.DEFAULT_IGNORED_DEVICES,
        "netdev.device-exclude", "",
        "netstat.fields", SimpleCollectors.DEFAULT_NETSTAT_FIELDS,
        "textfile.directory", "",
        "vmstat.fields", SimpleCollectors.DEFAULT_VMSTAT_FIELDS);

    private Path procfs = Path.of("/proc");
    private Path sysfs = Path.of("/sys");
    private Path rootfs = Path.of("/");
    private Path udevData = Path.of("/run/udev/data");
    private Clock clock = Clock.systemDefaultZone();
    private int threads = 4;
    private final Set<String> enabled = new TreeSet<>(DEFAULT_ENABLED);
    private final Map<String, String> options = new LinkedHashMap<>(DEFAULT_OPTIONS);

    private Builder() {}

    /** procfs mount point ({@code --path.procfs}, default /proc). */
    public Builder procfs(Path path) {
      this.procfs = Objects.requireNonNull(path, "procfs");
      return this;
    }

    /** sysfs mount point ({@code --path.sysfs}, default /sys). */
    public Builder sysfs(Path path) {
      this.sysfs = Objects.requireNonNull(path, "sysfs");
      return this;
    }

    /** Root file system ({@code --path.rootfs}, default /): where mount points and /etc/os-release are read. */
    public Builder rootfs(Path path) {
      this.rootfs = Objects.requireNonNull(path, "rootfs");
      return this;
    }

    /** udev database ({@code --path.udev.data}, default /run/udev/data). */
    public Builder udevData(Path path) {
      this.udevData = Objects.requireNonNull(path, "udevData");
      return this;
    }

    /** The clock of the {@code time} collector (its zone gives the time zone offset). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Enables a collector ({@code --collector.NAME}).
     *
     * @throws IllegalArgumentException for a name not in {@link #availableCollectors()}
     */
    public Builder enable(String collector) {
      enabled.add(known(collector));
      return this;
    }

    /** Disables a collector ({@code --no-collector.NAME}). */
    public Builder disable(String collector) {
      enabled.remove(known(collector));
      return this;
    }

    /** Disables every collector, so that only those enabled afterwards run ({@code --collector.disable-defaults}). */
    public Builder disableDefaults() {
      enabled.clear();
      return this;
    }

    /**
     * Sets a collector option by its node_exporter flag name without the {@code collector.} prefix,
     * e.g. {@code option("filesystem.mount-points-exclude", "^/boot")}. The known options are
     * {@code diskstats.device-exclude}, {@code filesystem.mount-points-exclude},
     * {@code filesystem.fs-types-exclude}, {@code netclass.ignored-devices}, {@code netdev.device-exclude},
     * {@code netstat.fields} and {@code vmstat.fields}, all regular expressions, and
     * {@code textfile.directory} (a directory of {@code *.prom} files; empty: none).
     *
     * @throws IllegalArgumentException for an unknown option or an invalid regular expression
     */
    public Builder option(String name, String value) {
      if (!DEFAULT_OPTIONS.containsKey(name)) {
        throw new IllegalArgumentException("unknown node exporter option '" + name + "', known: "
            + new TreeSet<>(DEFAULT_OPTIONS.keySet()));
      }
      try {
        if (!name.equals("textfile.directory")) {
          Pattern.compile(value);
        }
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("option collector." + name + ": invalid regular expression: "
            + e.getMessage(), e);
      }
      options.put(name, value);
      return this;
    }

    /** The known option names. */
    public static Set<String> optionNames() {
      return new TreeSet<>(DEFAULT_OPTIONS.keySet());
    }

    /** How many collectors run at once during a scrape (default 4; 1 runs them one after another). */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("threads must be at least 1, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    /** Builds the exporter. */
    public NodeExporter build() {
      Map<String, NodeCollector> built = new LinkedHashMap<>();
      for (String name : enabled) {
        built.put(name, FACTORIES.get(name).apply(this));
      }
      return new NodeExporter(built, Math.min(threads, Math.max(1, built.size())));
    }

    private static String known(String collector) {
      if (!FACTORIES.containsKey(collector)) {
        throw new IllegalArgumentException("unknown node exporter collector '" + collector + "', known: "
            + FACTORIES.keySet());
      }
      return collector;
    }

    HostPaths paths() {
      return new HostPaths(procfs, sysfs, rootfs, udevData);
    }

    Pattern pattern(String option) {
      return Pattern.compile(options.get(option));
    }

    Pattern optionalPattern(String option) {
      String v = options.get(option);
      return v == null || v.isEmpty() ? null : Pattern.compile(v);
    }
  }
}
