package dev.promkit.exporter.node;

import dev.promkit.client.snapshot.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.regex.Pattern;

/** The small collectors, each reading one or two proc files. */
final class SimpleCollectors {
  private SimpleCollectors() {}

  /** node_exporter 1.5's {@code --collector.vmstat.fields} default. */
  static final String DEFAULT_VMSTAT_FIELDS = "^(oom_kill|pgpg|pswp|pg.*fault).*";
  /** node_exporter 1.5's {@code --collector.netstat.fields} default. */
  static final String DEFAULT_NETSTAT_FIELDS = "^(.*_(InErrors|InErrs)|Ip_Forwarding|Ip(6|Ext)_(InOctets|OutOctets)"
      + "|Icmp6?_(InMsgs|OutMsgs)|TcpExt_(Listen.*|Syncookies.*|TCPSynRetrans|TCPTimeouts)"
      + "|Tcp_(ActiveOpens|InSegs|OutSegs|OutRsts|PassiveOpens|RetransSegs|CurrEstab)"
      + "|Udp6?_(InDatagrams|OutDatagrams|NoPorts|RcvbufErrors|SndbufErrors))$";

  /** {@code vmstat}: selected /proc/vmstat fields, untyped. */
  static NodeCollector vmstat(HostPaths paths, Pattern fields) {
    // Field name -> {metric name, help}, or null when the fields pattern does not select it.
    KeyCache<String[]> names = new KeyCache<>(k -> fields.matcher(k).find()
        ? new String[] {"node_vmstat_" + k, "/proc/vmstat information field " + k + "."} : null);
    return out -> {
      try (ProcText t = ProcText.read(paths.proc("vmstat"))) {
        while (t.nextLine()) {
          if (!t.nextField()) {
            continue;
          }
          String[] n = names.get(t.field());
          if (n != null && t.nextField()) {
            out.untyped(n[0], n[1], t.fieldDouble());
          }
        }
      }
    };
  }

  /** {@code filefd}: allocated and maximum file handles from /proc/sys/fs/file-nr. */
  static NodeCollector filefd(HostPaths paths) {
    return out -> {
      String[] f = HostPaths.fields(HostPaths.readTrimmed(paths.proc("sys/fs/file-nr")));
      if (f.length != 3) {
        throw new IllegalStateException("unexpected " + paths.proc("sys/fs/file-nr") + " content");
      }
      out.gauge("node_filefd_allocated", "File descriptor statistics: allocated.", Double.parseDouble(f[0]));
      out.gauge("node_filefd_maximum", "File descriptor statistics: maximum.", Double.parseDouble(f[2]));
    };
  }

  /** {@code entropy}: available bits and pool size. */
  static NodeCollector entropy(HostPaths paths) {
    return out -> {
      out.gauge("node_entropy_available_bits", "Bits of available entropy.",
          Double.parseDouble(HostPaths.readTrimmed(paths.proc("sys/kernel/random/entropy_avail"))));
      out.gauge("node_entropy_pool_size_bits", "Bits of entropy pool.",
          Double.parseDouble(HostPaths.readTrimmed(paths.proc("sys/kernel/random/poolsize"))));
    };
  }

  /** {@code pressure}: PSI stall totals (microseconds in the file, seconds exposed). */
  static NodeCollector pressure(HostPaths paths) {
    return out -> {
      Path dir = paths.proc("pressure");
      if (!Files.isDirectory(dir)) {
        throw new NodeCollector.NoDataException("pressure stall information not available: " + dir);
      }
      double[] cpu = psi(dir.resolve("cpu"));
      out.counter("node_pressure_cpu_waiting_seconds_total",
          "Total time in seconds that processes have waited for CPU time", cpu[0]);
      double[] io = psi(dir.resolve("io"));
      out.counter("node_pressure_io_waiting_seconds_total",
          "Total time in seconds that processes have waited due to IO congestion", io[0]);
      out.counter("node_pressure_io_stalled_seconds_total",
          "Total time in seconds no process could make progress due to IO congestion", io[1]);
      double[] mem = psi(dir.resolve("memory"));
      out.counter("node_pressure_memory_waiting_seconds_total",
          "Total time in seconds that processes have waited for memory", mem[0]);
      out.counter("node_pressure_memory_stalled_seconds_total",
          "Total time in seconds no process could make progress due to memory congestion", mem[1]);
    };
  }

  // {some total, full total} in seconds.
  private static double[] psi(Path file) throws Exception {
    double[] r = new double[2];
    for (String line : HostPaths.lines(file)) {
      String[] f = HostPaths.fields(line);
      int idx = f.length > 0 && f[0].equals("some") ? 0 : f.length > 0 && f[0].equals("full") ? 1 : -1;
      for (int i = 1; idx >= 0 && i < f.length; i++) {
        if (f[i].startsWith("total=")) {
          r[idx] = Long.parseLong(f[i].substring(6)) / 1e6;
        }
      }
    }
    return r;
  }

  /** {@code sockstat}: socket counts per protocol from /proc/net/sockstat and sockstat6. */
  static NodeCollector sockstat(HostPaths paths, long pageSize) {
    return out -> {
      Path v4 = paths.proc("net/sockstat");
      sockstatFile(out, v4, pageSize);
      Path v6 = paths.proc("net/sockstat6");
      if (Files.isReadable(v6)) {
        sockstatFile(out, v6, pageSize);
      }
    };
  }

  private static void sockstatFile(Families out, Path file, long pageSize) throws Exception {
    for (String line : HostPaths.lines(file)) {
      String[] f = HostPaths.fields(line);
      if (f.length < 3 || !f[0].endsWith(":")) {
        continue;
      }
      String proto = f[0].substring(0, f[0].length() - 1);
      if (proto.equals("sockets")) {
        out.gauge("node_sockstat_sockets_used", "Number of IPv4 sockets in use.", Double.parseDouble(f[2]));
        continue;
      }
      for (int i = 1; i + 1 < f.length; i += 2) {
        double v = Double.parseDouble(f[i + 1]);
        stat(out, proto, f[i], v);
        if (f[i].equals("mem")) {
          stat(out, proto, "mem_bytes", v * pageSize);
        }
      }
    }
  }

  private static void stat(Families out, String proto, String state, double v) {
    out.gauge("node_sockstat_" + proto + "_" + state,
        "Number of " + proto + " sockets in state " + state + ".", v);
  }

  /** {@code conntrack}: connection tracking table size and per-CPU statistics, summed. */
  static NodeCollector conntrack(HostPaths paths) {
    return out -> {
      Path count = paths.proc("sys/net/netfilter/nf_conntrack_count");
      Path max = paths.proc("sys/net/netfilter/nf_conntrack_max");
      if (!Files.isReadable(count) || !Files.isReadable(max)) {
        throw new NodeCollector.NoDataException("conntrack not loaded: no " + count);
      }
      out.gauge("node_nf_conntrack_entries", "Number of currently allocated flow entries for connection tracking.",
          Double.parseDouble(HostPaths.readTrimmed(count)));
      out.gauge("node_nf_conntrack_entries_limit", "Maximum size of connection tracking table.",
          Double.parseDouble(HostPaths.readTrimmed(max)));
      Path stat = paths.proc("net/stat/nf_conntrack");
      if (!Files.isReadable(stat)) {
        return;
      }
      List<String> lines = HostPaths.lines(stat);
      if (lines.isEmpty()) {
        return;
      }
      String[] header = HostPaths.fields(lines.get(0));
      Map<String, Double> sums = new HashMap<>();
      for (int l = 1; l < lines.size(); l++) {
        String[] f = HostPaths.fields(lines.get(l));
        for (int i = 0; i < f.length && i < header.length; i++) {
          sums.merge(header[i], (double) Long.parseLong(f[i], 16), Double::sum);
        }
      }
      conntrackStat(out, sums, "found", "Number of searched entries which were successful.");
      conntrackStat(out, sums, "invalid", "Number of packets seen which can not be tracked.");
      conntrackStat(out, sums, "ignore", "Number of packets seen which are already connected to a conntrack entry.");
      conntrackStat(out, sums, "insert", "Number of entries inserted into the list.");
      conntrackStat(out, sums, "insert_failed", "Number of entries for which list insertion was attempted but failed.");
      conntrackStat(out, sums, "drop", "Number of packets dropped due to conntrack failure.");
      conntrackStat(out, sums, "early_drop",
          "Number of dropped conntrack entries to make room for new ones, if maximum table size was reached.");
      conntrackStat(out, sums, "search_restart",
          "Number of conntrack table lookups which had to be restarted due to hashtable resizes.");
    };
  }

  private static void conntrackStat(Families out, Map<String, Double> sums, String field, String help) {
    Double v = sums.get(field);
    if (v != null) {
      out.gauge("node_nf_conntrack_stat_" + field, help, v);
    }
  }

  /** {@code os}: /etc/os-release (or /usr/lib/os-release) of the root file system. */
  static NodeCollector os(HostPaths paths) {
    // Parsed once and kept while the file's mtime and size stay the same, as node_exporter does.
    AtomicReference<OsRelease> cache = new AtomicReference<>();
    return out -> {
      Path file = paths.root("/etc/os-release");
      BasicFileAttributes attrs = attributes(file);
      if (attrs == null) {
        file = paths.root("/usr/lib/os-release");
        attrs = attributes(file);
      }
      if (attrs == null) {
        throw new NodeCollector.NoDataException("no os-release under " + paths.rootfs());
      }
      OsRelease r = cache.get();
      if (r == null || !r.file.equals(file) || !r.mtime.equals(attrs.lastModifiedTime()) || r.size != attrs.size()) {
        r = OsRelease.parse(file, attrs);
        cache.set(r);
      }
      out.add(Families.Type.GAUGE, "node_os_info", "A metric with a constant '1' value labeled by build_id, id, "
          + "id_like, image_id, image_version, name, pretty_name, variant, variant_id, version, version_codename, "
          + "version_id.", 1, r.info);
      if (!Double.isNaN(r.version)) {
        out.add(Families.Type.GAUGE, "node_os_version", "Metric containing the major.minor part of the OS version.",
            r.version, r.versionLabels);
      }
    };
  }

  private static BasicFileAttributes attributes(Path file) {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class);
    } catch (IOException e) {
      return null;
    }
  }

  /** One parse of an os-release file, and the file state it was parsed from. */
  private static final class OsRelease {
    private static final String[] KEYS = {"BUILD_ID", "ID", "ID_LIKE", "IMAGE_ID", "IMAGE_VERSION", "NAME",
        "PRETTY_NAME", "VARIANT", "VARIANT_ID", "VERSION", "VERSION_CODENAME", "VERSION_ID"};

    final Path file;
    final FileTime mtime;
    final long size;
    final Labels info;
    final Labels versionLabels;
    final double version;

    private OsRelease(Path file, BasicFileAttributes attrs, Labels info, Labels versionLabels, double version) {
      this.file = file;
      this.mtime = attrs.lastModifiedTime();
      this.size = attrs.size();
      this.info = info;
      this.versionLabels = versionLabels;
      this.version = version;
    }

    static OsRelease parse(Path file, BasicFileAttributes attrs) throws IOException {
      Map<String, String> kv = new TreeMap<>();
      for (String line : HostPaths.lines(file)) {
        int eq = line.indexOf('=');
        if (eq <= 0 || line.startsWith("#")) {
          continue;
        }
        String v = line.substring(eq + 1).trim();
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
          v = v.substring(1, v.length() - 1);
        }
        kv.put(line.substring(0, eq).trim(), v);
      }
      String[] labels = new String[KEYS.length * 2];
      for (int i = 0; i < KEYS.length; i++) {
        labels[2 * i] = KEYS[i].toLowerCase(java.util.Locale.ROOT);
        labels[2 * i + 1] = kv.getOrDefault(KEYS[i], "");
      }
      return new OsRelease(file, attrs, Labels.of(labels), Labels.of("id", kv.getOrDefault("ID", ""),
          "id_like", kv.getOrDefault("ID_LIKE", ""), "name", kv.getOrDefault("NAME", "")),
          majorMinor(kv.getOrDefault("VERSION_ID", "")));
    }
  }

  // "22.04.1" -> 22.04, "12" -> 12; NaN when it does not start with a number.
  static double majorMinor(String versionId) {
    java.util.regex.Matcher m = Pattern.compile("^([0-9]+)(\\.[0-9]+)?").matcher(versionId);
    if (!m.find()) {
      return Double.NaN;
    }
    return Double.parseDouble(m.group(1) + (m.group(2) == null ? "" : m.group(2)));
  }

  /** {@code arp}: ARP table entries per device from /proc/net/arp. */
  static NodeCollector arp(HostPaths paths) {
    return out -> {
      Map<String, Integer> counts = new TreeMap<>();
      List<String> lines = HostPaths.lines(paths.proc("net/arp"));
      for (int i = 1; i < lines.size(); i++) {
        String[] f = HostPaths.fields(lines.get(i));
        if (f.length >= 6) {
          counts.merge(f[5], 1, Integer::sum);
        }
      }
      counts.forEach((dev, n) -> out.gauge("node_arp_entries", "ARP entries by device", n, "device", dev));
    };
  }

  /** {@code softnet}: per-CPU packet processing statistics from /proc/net/softnet_stat (hex). */
  static NodeCollector softnet(HostPaths paths) {
    return out -> {
      List<String> lines = HostPaths.lines(paths.proc("net/softnet_stat"));
      for (int cpu = 0; cpu < lines.size(); cpu++) {
        String[] f = HostPaths.fields(lines.get(cpu));
        if (f.length < 3) {
          continue;
        }
        String c = Integer.toString(cpu);
        out.counter("node_softnet_processed_total", "Number of processed packets", Long.parseLong(f[0], 16), "cpu", c);
        out.counter("node_softnet_dropped_total", "Number of dropped packets", Long.parseLong(f[1], 16), "cpu", c);
        out.counter("node_softnet_times_squeezed_total", "Number of times processing packets ran out of quota",
            Long.parseLong(f[2], 16), "cpu", c);
      }
    };
  }

  /** {@code udp_queues}: bytes queued in UDP sockets, summed per direction from /proc/net/udp and udp6. */
  static NodeCollector udpQueues(HostPaths paths) {
    return out -> {
      udpFile(out, paths.proc("net/udp"), "v4");
      Path v6 = paths.proc("net/udp6");
      if (Files.isReadable(v6)) {
        udpFile(out, v6, "v6");
      }
    };
  }

  private static void udpFile(Families out, Path file, String ip) throws Exception {
    long tx = 0;
    long rx = 0;
    List<String> lines = HostPaths.lines(file);
    for (int i = 1; i < lines.size(); i++) {
      String[] f = HostPaths.fields(lines.get(i));
      if (f.length < 5) {
        continue;
      }
      int colon = f[4].indexOf(':');
      tx += Long.parseLong(f[4].substring(0, colon), 16);
      rx += Long.parseLong(f[4].substring(colon + 1), 16);
    }
    String help = "Number of allocated memory in the kernel for UDP datagrams in bytes.";
    out.gauge("node_udp_queues", help, tx, "ip", ip, "queue", "tx");
    out.gauge("node_udp_queues", help, rx, "ip", ip, "queue", "rx");
  }

  /** {@code selinux}: whether SELinux is enabled (only the flag; the mode needs libselinux). */
  static NodeCollector selinux(HostPaths paths) {
    return out -> {
      boolean enabled = Files.isDirectory(paths.sys("fs/selinux")) && Files.exists(paths.sys("fs/selinux/enforce"));
      out.gauge("node_selinux_enabled", "SELinux is enabled, 1 is true, 0 is false", enabled ? 1 : 0);
      if (enabled) {
        double enforce = Double.parseDouble(HostPaths.readTrimmed(paths.sys("fs/selinux/enforce")));
        out.gauge("node_selinux_current_mode", "SELinux current mode (1 is enforcing, 0 is permissive)", enforce);
      }
    };
  }

  /** {@code netstat}: selected counters of /proc/net/netstat, /proc/net/snmp and /proc/net/snmp6, untyped. */
  static NodeCollector netstat(HostPaths paths, Pattern fields) {
    // "Proto_Field" -> {metric name, help}, or null when the fields pattern does not select it.
    Function<String, String[]> select = k -> fields.matcher(k).find()
        ? new String[] {"node_netstat_" + k, "Statistic " + k.replace("_", "") + "."} : null;
    // A header line "TcpExt: A B C" -> per column its names (null: not selected).
    KeyCache<String[][]> headers = new KeyCache<>(line -> {
      String[] h = HostPaths.fields(line);
      String[][] cols = new String[h.length][];
      String proto = h.length == 0 ? "" : h[0].substring(0, h[0].length() - 1);
      for (int k = 1; k < h.length; k++) {
        cols[k] = select.apply(proto + "_" + h[k]);
      }
      return cols;
    });
    // "Ip6InOctets" -> names of "Ip6_InOctets", or null.
    KeyCache<String[]> snmp6Names = new KeyCache<>(k -> {
      int split = snmp6Split(k);
      return split > 0 ? select.apply(k.substring(0, split) + "_" + k.substring(split)) : null;
    });
    return out -> {
      pairedTable(out, paths.proc("net/netstat"), headers);
      pairedTable(out, paths.proc("net/snmp"), headers);
      Path snmp6 = paths.proc("net/snmp6");
      if (Files.isReadable(snmp6)) {
        try (ProcText t = ProcText.read(snmp6)) {
          while (t.nextLine()) {
            if (t.nextField()) {
              String[] n = snmp6Names.get(t.field());
              if (n != null && t.nextField()) {
                out.untyped(n[0], n[1], t.fieldDouble());
              }
            }
          }
        }
      }
    };
  }

  // snmp6 names are "<Proto><Field>" with Proto one of Ip6, Icmp6, Udp6, UdpLite6.
  static int snmp6Split(String name) {
    for (String proto : new String[] {"UdpLite6", "Icmp6", "Udp6", "Ip6"}) {
      if (name.startsWith(proto)) {
        return proto.length();
      }
    }
    return -1;
  }

  // Header line "TcpExt: A B C" followed by value line "TcpExt: 1 2 3".
  private static void pairedTable(Families out, Path file, KeyCache<String[][]> headers) throws Exception {
    try (ProcText t = ProcText.read(file)) {
      while (t.nextLine()) {
        String[][] cols = headers.get(t.line());
        if (!t.nextLine()) {
          break;
        }
        // Column k of the value line belongs to header column k; a short line stops early.
        for (int k = 0; k < cols.length && t.nextField(); k++) {
          if (k > 0 && cols[k] != null) {
            out.untyped(cols[k][0], cols[k][1], t.fieldDouble());
          }
        }
      }
    }
  }
}
