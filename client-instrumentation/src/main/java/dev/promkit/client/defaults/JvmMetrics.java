package dev.promkit.client.defaults;

import static dev.promkit.client.defaults.Families.counter;
import static dev.promkit.client.defaults.Families.gauge;

import dev.promkit.client.registry.Collector;
import dev.promkit.client.snapshot.GaugeSnapshot;
import dev.promkit.client.snapshot.GaugeSnapshot.GaugeDataPoint;
import dev.promkit.client.snapshot.InfoSnapshot;
import dev.promkit.client.snapshot.InfoSnapshot.InfoDataPoint;
import dev.promkit.client.snapshot.Labels;
import dev.promkit.client.snapshot.MetricMetadata;
import dev.promkit.client.snapshot.MetricSnapshot;
import dev.promkit.client.snapshot.MetricSnapshots;
import dev.promkit.client.snapshot.SummarySnapshot;
import dev.promkit.client.snapshot.SummarySnapshot.SummaryDataPoint;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * JVM metrics with client_java's names and labels: memory by area and pool, GC time as a
 * quantile-less summary per collector, threads, class loading, JIT time, buffer pools and
 * {@code jvm_runtime_info} (the counterpart of Python's {@code python_info}).
 */
final class JvmMetrics implements Collector {
  private static final List<String> NAMES = List.of("jvm_memory_used_bytes", "jvm_memory_committed_bytes",
      "jvm_memory_max_bytes", "jvm_memory_init_bytes", "jvm_memory_pool_used_bytes",
      "jvm_memory_pool_committed_bytes", "jvm_memory_pool_max_bytes", "jvm_memory_pool_init_bytes",
      "jvm_memory_objects_pending_finalization", "jvm_gc_collection_seconds", "jvm_threads_current",
      "jvm_threads_daemon", "jvm_threads_peak", "jvm_threads_started", "jvm_threads_deadlocked",
      "jvm_threads_deadlocked_monitor", "jvm_threads_state", "jvm_classes_currently_loaded",
      "jvm_classes_loaded", "jvm_classes_unloaded", "jvm_compilation_time_seconds",
      "jvm_buffer_pool_used_bytes", "jvm_buffer_pool_capacity_bytes", "jvm_buffer_pool_used_buffers",
      "jvm_runtime");

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
  private final CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();
  private final InfoSnapshot runtimeInfo = new InfoSnapshot(
      MetricMetadata.of("jvm_runtime", "JVM runtime info"),
      List.of(new InfoDataPoint(Labels.of(
          "runtime", property("java.runtime.name"),
          "vendor", property("java.vm.vendor"),
          "version", property("java.runtime.version")))));

  @Override
  public List<String> metricNames() {
    return NAMES;
  }

  @Override
  public MetricSnapshots collect() {
    List<MetricSnapshot> out = new ArrayList<>();
    memory(out);
    gc(out);
    threads(out);
    out.add(gauge("jvm_classes_currently_loaded", "The number of classes that are currently loaded in the JVM",
        "", classes.getLoadedClassCount()));
    out.add(counter("jvm_classes_loaded", "The total number of classes that have been loaded since the JVM has "
        + "started execution", "", classes.getTotalLoadedClassCount()));
    out.add(counter("jvm_classes_unloaded", "The total number of classes that have been unloaded since the JVM "
        + "has started execution", "", classes.getUnloadedClassCount()));
    if (compilation != null && compilation.isCompilationTimeMonitoringSupported()) {
      out.add(counter("jvm_compilation_time_seconds", "The total time in seconds taken for HotSpot class "
          + "compilation", "seconds", compilation.getTotalCompilationTime() / 1000.0));
    }
    bufferPools(out);
    out.add(runtimeInfo);
    return MetricSnapshots.of(out);
  }

  private void memory(List<MetricSnapshot> out) {
    MemoryUsage heap = memory.getHeapMemoryUsage();
    MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
    out.add(byArea("jvm_memory_used_bytes", "Used bytes of a given JVM memory area.", heap.getUsed(),
        nonHeap.getUsed()));
    out.add(byArea("jvm_memory_committed_bytes", "Committed (bytes) of a given JVM memory area.",
        heap.getCommitted(), nonHeap.getCommitted()));
    out.add(byArea("jvm_memory_max_bytes", "Max (bytes) of a given JVM memory area.", heap.getMax(),
        nonHeap.getMax()));
    out.add(byArea("jvm_memory_init_bytes", "Initial bytes of a given JVM memory area.", heap.getInit(),
        nonHeap.getInit()));
    out.add(gauge("jvm_memory_objects_pending_finalization",
        "The number of objects waiting in the finalizer queue.", "", memory.getObjectPendingFinalizationCount()));
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    out.add(byPool("jvm_memory_pool_used_bytes", "Used bytes of a given JVM memory pool.", pools, MemoryUsage::getUsed));
    out.add(byPool("jvm_memory_pool_committed_bytes", "Committed bytes of a given JVM memory pool.", pools,
        MemoryUsage::getCommitted));
    out.add(byPool("jvm_memory_pool_max_bytes", "Max bytes of a given JVM memory pool.", pools, MemoryUsage::getMax));
    out.add(byPool("jvm_memory_pool_init_bytes", "Initial bytes of a given JVM memory pool.", pools,
        MemoryUsage::getInit));
  }

  private static GaugeSnapshot byArea(String name, String help, long heap, long nonHeap) {
    return new GaugeSnapshot(new MetricMetadata(name, help, "bytes"), List.of(
        new GaugeDataPoint(Labels.of("area", "heap"), heap),
        new GaugeDataPoint(Labels.of("area", "nonheap"), nonHeap)));
  }

  private static GaugeSnapshot byPool(String name, String help, List<MemoryPoolMXBean> pools,
      ToLongFunction<MemoryUsage> f) {
    List<GaugeDataPoint> points = new ArrayList<>();
    for (MemoryPoolMXBean pool : pools) {
      MemoryUsage u = pool.getUsage();
      if (u != null) { // null once a pool has become invalid
        points.add(new GaugeDataPoint(Labels.of("pool", pool.getName()), f.applyAsLong(u)));
      }
    }
    return new GaugeSnapshot(new MetricMetadata(name, help, "bytes"), points);
  }

  private static void gc(List<MetricSnapshot> out) {
    List<SummaryDataPoint> points = new ArrayList<>();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      long count = gc.getCollectionCount();
      long millis = gc.getCollectionTime();
      if (count >= 0 && millis >= 0) { // -1: not supported by this collector
        points.add(new SummaryDataPoint(Labels.of("gc", gc.getName()), count, millis / 1000.0, List.of(), 0, 0));
      }
    }
    out.add(new SummarySnapshot(new MetricMetadata("jvm_gc_collection_seconds",
        "Time spent in a given JVM garbage collector in seconds.", "seconds"), points));
  }

  private void threads(List<MetricSnapshot> out) {
    out.add(gauge("jvm_threads_current", "Current thread count of a JVM", "", threads.getThreadCount()));
    out.add(gauge("jvm_threads_daemon", "Daemon thread count of a JVM", "", threads.getDaemonThreadCount()));
    out.add(gauge("jvm_threads_peak", "Peak thread count of a JVM", "", threads.getPeakThreadCount()));
    out.add(counter("jvm_threads_started", "Started thread count of a JVM", "", threads.getTotalStartedThreadCount()));
    long[] deadlocked = threads.findDeadlockedThreads();
    long[] monitorDeadlocked = threads.findMonitorDeadlockedThreads();
    out.add(gauge("jvm_threads_deadlocked", "Cycles of JVM-threads that are in deadlock waiting to acquire object "
        + "monitors or ownable synchronizers", "", deadlocked == null ? 0 : deadlocked.length));
    out.add(gauge("jvm_threads_deadlocked_monitor", "Cycles of JVM-threads that are in deadlock waiting to acquire "
        + "object monitors", "", monitorDeadlocked == null ? 0 : monitorDeadlocked.length));
    Map<Thread.State, Integer> states = new EnumMap<>(Thread.State.class);
    for (Thread.State s : Thread.State.values()) {
      states.put(s, 0);
    }
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (info != null) { // null: the thread ended meanwhile
        states.merge(info.getThreadState(), 1, Integer::sum);
      }
    }
    List<GaugeDataPoint> points = new ArrayList<>();
    states.forEach((s, n) -> points.add(new GaugeDataPoint(Labels.of("state", s.name()), n)));
    out.add(new GaugeSnapshot(MetricMetadata.of("jvm_threads_state", "Current count of threads by state"), points));
  }

  private static void bufferPools(List<MetricSnapshot> out) {
    List<GaugeDataPoint> used = new ArrayList<>();
    List<GaugeDataPoint> capacity = new ArrayList<>();
    List<GaugeDataPoint> buffers = new ArrayList<>();
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      Labels l = Labels.of("pool", pool.getName());
      used.add(new GaugeDataPoint(l, pool.getMemoryUsed()));
      capacity.add(new GaugeDataPoint(l, pool.getTotalCapacity()));
      buffers.add(new GaugeDataPoint(l, pool.getCount()));
    }
    out.add(new GaugeSnapshot(new MetricMetadata("jvm_buffer_pool_used_bytes",
        "Used bytes of a given JVM buffer pool.", "bytes"), used));
    out.add(new GaugeSnapshot(new MetricMetadata("jvm_buffer_pool_capacity_bytes",
        "Bytes capacity of a given JVM buffer pool.", "bytes"), capacity));
    out.add(new GaugeSnapshot(MetricMetadata.of("jvm_buffer_pool_used_buffers",
        "Used buffers of a given JVM buffer pool."), buffers));
  }

  private static String property(String key) {
    String v = System.getProperty(key);
    return v == null ? "unknown" : v;
  }
}
