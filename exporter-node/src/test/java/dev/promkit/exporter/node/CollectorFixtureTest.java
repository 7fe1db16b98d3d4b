package dev.promkit.exporter.node;

import static dev.promkit.exporter.node.Fixture.run;
import static dev.promkit.exporter.node.Fixture.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each collector on the fixture host tree, checked against values worked out by hand from its files. */
class CollectorFixtureTest {
  private final HostPaths paths = Fixture.paths();

  @Test
  void cpuExposesSecondsPerModeAndGuestTimeDividedByUserHz() throws Exception {
    Map<String, TextFamilies.Family> f = run(new CpuCollector(paths));
    assertEquals("counter", f.get("node_cpu_seconds_total").type);
    assertEquals(16, f.get("node_cpu_seconds_total").samples.size());
    assertEquals(28.35, value(f, "node_cpu_seconds_total", "cpu", "0", "mode", "user"), 1e-9);
    assertEquals(0.12, value(f, "node_cpu_seconds_total", "cpu", "0", "mode", "nice"), 1e-9);
    assertEquals(0.05, value(f, "node_cpu_seconds_total", "cpu", "0", "mode", "steal"), 1e-9);
    assertEquals(0.3, value(f, "node_cpu_guest_seconds_total", "cpu", "0", "mode", "user"), 1e-9);
    assertEquals(0.04, value(f, "node_cpu_guest_seconds_total", "cpu", "0", "mode", "nice"), 1e-9);
    assertEquals(List.of("cpu", "mode"), f.get("node_cpu_seconds_total").labelNames());
    assertEquals(1, f.get("node_cpu_core_throttles_total").samples.size(), "two hyper-threads, one core");
    assertEquals(7, value(f, "node_cpu_core_throttles_total", "core", "0", "package", "0"));
  }

  @Test
  void meminfoAppliesNodeExporterNamingAndKilobyteScaling() throws Exception {
    Map<String, TextFamilies.Family> f = run(new MeminfoCollector(paths));
    assertEquals(24684092.0 * 1024, value(f, "node_memory_MemTotal_bytes"));
    assertEquals(1568.0 * 1024, value(f, "node_memory_Active_anon_bytes"));
    assertEquals(791200.0 * 1024, value(f, "node_memory_Inactive_file_bytes"));
    assertEquals(4, value(f, "node_memory_HugePages_Total"), "no unit: no _bytes, no scaling");
    assertEquals("gauge", f.get("node_memory_MemTotal_bytes").type);
    assertEquals("Memory information field MemTotal_bytes.", f.get("node_memory_MemTotal_bytes").help);
  }

  @Test
  void loadavgReadsThreeAverages() throws Exception {
    Map<String, TextFamilies.Family> f = run(new LoadavgCollector(paths));
    assertEquals(0.03, value(f, "node_load1"));
    assertEquals(0.11, value(f, "node_load5"));
    assertEquals(1.5, value(f, "node_load15"));
  }

  @Test
  void statReadsBootTimeCountersAndProcessStates() throws Exception {
    Map<String, TextFamilies.Family> f = run(new StatCollector(paths));
    assertEquals(1795788477, value(f, "node_boot_time_seconds"));
    assertEquals(296029, value(f, "node_context_switches_total"));
    assertEquals(6967, value(f, "node_forks_total"));
    assertEquals(163612, value(f, "node_intr_total"));
    assertEquals(3, value(f, "node_procs_running"));
    assertEquals(1, value(f, "node_procs_blocked"));
    assertEquals("counter", f.get("node_forks_total").type);
  }

  @Test
  void diskstatsSkipsDefaultIgnoredDevicesAndScalesSectorsAndMillis() throws Exception {
    Map<String, TextFamilies.Family> f = run(new DiskstatsCollector(paths,
        Pattern.compile(DiskstatsCollector.DEFAULT_DEVICE_EXCLUDE)));
    Set<String> devices = new TreeSet<>();
    f.get("node_disk_reads_completed_total").samples.forEach(s -> devices.add(s.labels().get("device")));
    assertEquals(Set.of("sda", "nvme0n1"), devices, "loop0, sda1, nvme0n1p1 and ram0 are ignored");
    assertEquals(1030754.0 * 512, value(f, "node_disk_read_bytes_total", "device", "sda"));
    assertEquals(4.529, value(f, "node_disk_read_time_seconds_total", "device", "sda"), 1e-12);
    assertEquals(2, value(f, "node_disk_io_now", "device", "sda"));
    assertEquals(0.009, value(f, "node_disk_flush_requests_time_seconds_total", "device", "sda"), 1e-12);
    // An old kernel's 11 columns: no discard or flush fields for nvme0n1.
    assertEquals(1, f.get("node_disk_discards_completed_total").samples.size());
    assertEquals(1, value(f, "node_disk_info", "device", "sda", "major", "8", "minor", "0", "model", "Samsung_SSD",
        "serial", "S123", "revision", "1B2Q", "wwn", "0x5002538", "path", "pci-0000:00:1f.2-ata-1"));
    assertEquals(1, value(f, "node_disk_info", "device", "nvme0n1", "major", "259", "minor", "0", "model", "",
        "serial", "", "revision", "", "wwn", "", "path", ""));
  }

  @Test
  void filesystemFiltersMountsUnescapesAndReportsErrors() throws Exception {
    FilesystemCollector c = new FilesystemCollector(paths,
        Pattern.compile(FilesystemCollector.DEFAULT_MOUNT_POINTS_EXCLUDE),
        Pattern.compile(FilesystemCollector.DEFAULT_FS_TYPES_EXCLUDE),
        targets -> {
          // A fake statfs: 4 KiB blocks, inodes by position; paths missing under the rootfs fail.
          Statfs.Stats[] r = new Statfs.Stats[targets.size()];
          for (int i = 0; i < r.length; i++) {
            r[i] = java.nio.file.Files.exists(targets.get(i)) ? new Statfs.Stats(100 + i, 50, 40, 4096, 1000 + i, 500 + i)
                : null;
          }
          return r;
        });
    Map<String, TextFamilies.Family> f = run(c);
    Set<String> mounts = new TreeSet<>();
    f.get("node_filesystem_device_error").samples.forEach(s -> mounts.add(s.labels().get("mountpoint")));
    assertEquals(Set.of("/", "/data dir", "/missing", "/boot"), mounts,
        "proc, overlay, cgroup2 (types) and /run/credentials/... (mount point) are excluded; duplicates once");
    assertEquals(0, value(f, "node_filesystem_device_error", "device", "/dev/sda1", "fstype", "ext4", "mountpoint", "/"));
    assertEquals(1, value(f, "node_filesystem_device_error", "device", "/dev/sdc1", "fstype", "ext4",
        "mountpoint", "/missing"));
    assertFalse(f.get("node_filesystem_size_bytes").byLabels().containsKey(
        dev.promkit.client.snapshot.Labels.of("device", "/dev/sdc1", "fstype", "ext4", "mountpoint", "/missing")));
    assertEquals(1, value(f, "node_filesystem_readonly", "device", "/dev/sdb1", "fstype", "xfs",
        "mountpoint", "/data dir"));
    assertEquals(0, value(f, "node_filesystem_readonly", "device", "/dev/sda1", "fstype", "ext4", "mountpoint", "/"));
    assertEquals(1000, value(f, "node_filesystem_files", "device", "/dev/sda1", "fstype", "ext4", "mountpoint", "/"));
    assertEquals(500, value(f, "node_filesystem_files_free", "device", "/dev/sda1", "fstype", "ext4",
        "mountpoint", "/"));
    assertEquals(100 * 4096, value(f, "node_filesystem_size_bytes", "device", "/dev/sda1", "fstype", "ext4",
        "mountpoint", "/"));
    assertEquals(50 * 4096, value(f, "node_filesystem_free_bytes", "device", "/dev/sda1", "fstype", "ext4",
        "mountpoint", "/"));
    assertEquals(40 * 4096, value(f, "node_filesystem_avail_bytes", "device", "/dev/sda1", "fstype", "ext4",
        "mountpoint", "/"));
  }

  @Test
  void mountPointEscapesAreDecoded() {
    assertEquals("/a b\tc\\d", FilesystemCollector.unescape("/a\\040b\\011c\\134d"));
    assertEquals("/plain", FilesystemCollector.unescape("/plain"));
  }

  @Test
  void netdevTakesNetlinkFieldsFromProcNetDevAndSysfsWhereProcSumsThem() throws Exception {
    Map<String, TextFamilies.Family> f = run(new NetdevCollector(paths, null));
    assertEquals(33789635, value(f, "node_network_receive_bytes_total", "device", "eth0"));
    // /proc/net/dev sums drop, frame and carrier with other error counters; netlink (and sysfs) does not.
    assertEquals(2, value(f, "node_network_receive_drop_total", "device", "eth0"), "rx_dropped, not 15");
    assertEquals(4, value(f, "node_network_receive_frame_total", "device", "eth0"), "rx_frame_errors, not 24");
    assertEquals(1658, value(f, "node_network_receive_packets_total", "device", "eth0"));
    assertEquals(12, value(f, "node_network_transmit_compressed_total", "device", "eth0"));
    assertEquals(11, value(f, "node_network_transmit_carrier_total", "device", "eth0"), "not 31");
    assertEquals(0, value(f, "node_network_receive_nohandler_total", "device", "eth0"));
    assertEquals(100, value(f, "node_network_receive_bytes_total", "device", "wlan0"), "from /proc/net/dev");
    assertEquals(63131, value(f, "node_network_receive_bytes_total", "device", "lo"));
    Map<String, TextFamilies.Family> noLo = run(new NetdevCollector(paths, Pattern.compile("^lo$")));
    assertFalse(noLo.get("node_network_receive_bytes_total").byLabels().toString().contains("\"lo\""));
  }

  @Test
  void netclassReadsPropertiesAndSkipsUnreadableOnes() throws Exception {
    Map<String, TextFamilies.Family> f = run(new NetclassCollector(paths, Pattern.compile("^$")));
    assertEquals(1, value(f, "node_network_info", "device", "eth0", "address", "02:fc:00:00:00:01",
        "broadcast", "ff:ff:ff:ff:ff:ff", "duplex", "full", "ifalias", "uplink", "operstate", "up"));
    assertEquals(1, value(f, "node_network_up", "device", "eth0"));
    assertEquals(0, value(f, "node_network_up", "device", "lo"));
    assertEquals(0, value(f, "node_network_up", "device", "wlan0"));
    assertEquals(4099, value(f, "node_network_flags", "device", "eth0"), "hex 0x1003");
    assertEquals(125000000, value(f, "node_network_speed_bytes", "device", "eth0"), "1000 Mbit/s");
    assertEquals("counter", f.get("node_network_carrier_changes_total").type);
    assertEquals(1500, value(f, "node_network_mtu_bytes", "device", "wlan0"));
    assertFalse(f.get("node_network_carrier").byLabels().toString().contains("wlan0"), "no carrier file: absent");
    Map<String, TextFamilies.Family> ignored = run(new NetclassCollector(paths, Pattern.compile("^wlan")));
    assertEquals(2, ignored.get("node_network_up").samples.size());
  }

  @Test
  void unameReadsKernelStrings() throws Exception {
    Map<String, TextFamilies.Family> f = run(new UnameCollector(paths));
    TextFamilies.Sample s = f.get("node_uname_info").samples.get(0);
    assertEquals("Linux", s.labels().get("sysname"));
    assertEquals("6.1.0-test", s.labels().get("release"));
    assertEquals("#1 SMP Debian 6.1", s.labels().get("version"));
    assertEquals("fixture-host", s.labels().get("nodename"));
    assertEquals("(none)", s.labels().get("domainname"));
    assertEquals("x86_64", UnameCollector.machine("amd64"));
    assertEquals("aarch64", UnameCollector.machine("aarch64"));
  }

  @Test
  void timeReportsClockZoneOffsetAndClockSources() throws Exception {
    Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000, 500_000_000), ZoneId.of("Europe/Berlin"));
    Map<String, TextFamilies.Family> f = run(new TimeCollector(paths, clock));
    assertEquals(1_700_000_000.5, value(f, "node_time_seconds"));
    assertEquals(3600, value(f, "node_time_zone_offset_seconds", "time_zone", "CET"));
    assertEquals(3, f.get("node_time_clocksource_available_info").samples.size());
    assertEquals(1, value(f, "node_time_clocksource_current_info", "clocksource", "tsc", "device", "0"));
    Map<String, TextFamilies.Family> utc = run(new TimeCollector(paths, Clock.fixed(Instant.EPOCH, ZoneId.of("UTC"))));
    assertEquals(0, value(utc, "node_time_zone_offset_seconds", "time_zone", "UTC"));
  }

  @Test
  void vmstatKeepsOnlyDefaultFieldsAsUntyped() throws Exception {
    Map<String, TextFamilies.Family> f = run(SimpleCollectors.vmstat(paths,
        Pattern.compile(SimpleCollectors.DEFAULT_VMSTAT_FIELDS)));
    assertEquals(Set.of("node_vmstat_pgpgin", "node_vmstat_pgpgout", "node_vmstat_pswpin", "node_vmstat_pswpout",
        "node_vmstat_pgfault", "node_vmstat_pgmajfault", "node_vmstat_oom_kill"), f.keySet());
    assertEquals("untyped", f.get("node_vmstat_pgfault").type);
    assertEquals(2, value(f, "node_vmstat_oom_kill"));
  }

  @Test
  void osReadsOsReleaseWithMajorMinorVersion() throws Exception {
    Map<String, TextFamilies.Family> f = run(SimpleCollectors.os(paths));
    TextFamilies.Sample s = f.get("node_os_info").samples.get(0);
    assertEquals("ubuntu", s.labels().get("id"));
    assertEquals("Ubuntu 22.04.3 LTS", s.labels().get("pretty_name"));
    assertEquals("", s.labels().get("build_id"));
    assertEquals(12, s.labels().size());
    assertEquals(22.04, value(f, "node_os_version", "id", "ubuntu", "id_like", "debian", "name", "Ubuntu"));
    assertEquals(12, SimpleCollectors.majorMinor("12"));
    assertEquals(22.04, SimpleCollectors.majorMinor("22.04.1"));
    assertTrue(Double.isNaN(SimpleCollectors.majorMinor("rolling")));
  }

  @Test
  void filefdEntropyAndPressure() throws Exception {
    Map<String, TextFamilies.Family> fd = run(SimpleCollectors.filefd(paths));
    assertEquals(384, value(fd, "node_filefd_allocated"));
    assertEquals(2466177, value(fd, "node_filefd_maximum"));
    Map<String, TextFamilies.Family> e = run(SimpleCollectors.entropy(paths));
    assertEquals(256, value(e, "node_entropy_available_bits"));
    assertEquals(4096, value(e, "node_entropy_pool_size_bits"));
    Map<String, TextFamilies.Family> p = run(SimpleCollectors.pressure(paths));
    assertEquals(7.590974, value(p, "node_pressure_cpu_waiting_seconds_total"), 1e-12);
    assertEquals(0.924891, value(p, "node_pressure_io_stalled_seconds_total"), 1e-12);
    assertEquals(1.5, value(p, "node_pressure_memory_waiting_seconds_total"), 1e-12);
    assertEquals(0.5, value(p, "node_pressure_memory_stalled_seconds_total"), 1e-12);
    assertEquals(5, p.size(), "cpu 'full' is not exposed by node_exporter 1.5");
  }

  @Test
  void pressureWithoutProcPressureIsNoData() {
    HostPaths none = new HostPaths(paths.sysfs(), paths.sysfs(), paths.rootfs(), paths.udevData());
    assertThrows(NodeCollector.NoDataException.class, () -> run(SimpleCollectors.pressure(none)));
    assertThrows(NodeCollector.NoDataException.class, () -> run(SimpleCollectors.conntrack(none)));
  }

  @Test
  void sockstatNamesProtocolStatesAndMemoryInBytes() throws Exception {
    Map<String, TextFamilies.Family> f = run(SimpleCollectors.sockstat(paths, 4096));
    assertEquals(16, value(f, "node_sockstat_sockets_used"));
    assertEquals(3, value(f, "node_sockstat_TCP_mem"));
    assertEquals(3 * 4096, value(f, "node_sockstat_TCP_mem_bytes"));
    assertEquals(2 * 4096, value(f, "node_sockstat_UDP_mem_bytes"));
    assertEquals(5, value(f, "node_sockstat_TCP6_inuse"));
    assertEquals(0, value(f, "node_sockstat_FRAG6_memory"));
    assertEquals("Number of TCP sockets in state tw.", f.get("node_sockstat_TCP_tw").help);
  }

  @Test
  void conntrackSumsPerCpuHexStatistics() throws Exception {
    Map<String, TextFamilies.Family> f = run(SimpleCollectors.conntrack(paths));
    assertEquals(17, value(f, "node_nf_conntrack_entries"));
    assertEquals(262144, value(f, "node_nf_conntrack_entries_limit"));
    assertEquals(3, value(f, "node_nf_conntrack_stat_found"));
    assertEquals(11, value(f, "node_nf_conntrack_stat_invalid"));
    assertEquals(1, value(f, "node_nf_conntrack_stat_insert_failed"));
    assertEquals(4, value(f, "node_nf_conntrack_stat_search_restart"));
  }

  @Test
  void arpSoftnetAndUdpQueues() throws Exception {
    Map<String, TextFamilies.Family> a = run(SimpleCollectors.arp(paths));
    assertEquals(2, value(a, "node_arp_entries", "device", "eth0"));
    assertEquals(1, value(a, "node_arp_entries", "device", "wlan0"));
    Map<String, TextFamilies.Family> s = run(SimpleCollectors.softnet(paths));
    assertEquals(0x68d, value(s, "node_softnet_processed_total", "cpu", "1"));
    assertEquals(2, value(s, "node_softnet_dropped_total", "cpu", "1"));
    assertEquals(1, value(s, "node_softnet_times_squeezed_total", "cpu", "1"));
    Map<String, TextFamilies.Family> u = run(SimpleCollectors.udpQueues(paths));
    assertEquals(0x11, value(u, "node_udp_queues", "ip", "v4", "queue", "tx"));
    assertEquals(0x100, value(u, "node_udp_queues", "ip", "v4", "queue", "rx"));
    assertEquals(0, value(u, "node_udp_queues", "ip", "v6", "queue", "rx"));
  }

  @Test
  void netstatKeepsDefaultFieldsFromNetstatSnmpAndSnmp6() throws Exception {
    Map<String, TextFamilies.Family> f = run(SimpleCollectors.netstat(paths,
        Pattern.compile(SimpleCollectors.DEFAULT_NETSTAT_FIELDS)));
    assertEquals(4, value(f, "node_netstat_TcpExt_ListenDrops"));
    assertEquals(2, value(f, "node_netstat_Ip_Forwarding"));
    assertEquals(3, value(f, "node_netstat_Tcp_CurrEstab"));
    assertEquals(880, value(f, "node_netstat_Ip6_OutOctets"));
    assertEquals(0, value(f, "node_netstat_UdpLite6_InErrors"));
    assertFalse(f.containsKey("node_netstat_TcpExt_PruneCalled"));
    assertFalse(f.containsKey("node_netstat_Ip_DefaultTTL"));
    assertEquals("Statistic TcpExtListenDrops.", f.get("node_netstat_TcpExt_ListenDrops").help);
  }

  @Test
  void selinuxDisabledWithoutSelinuxfs() throws Exception {
    Map<String, TextFamilies.Family> f = run(SimpleCollectors.selinux(paths));
    assertEquals(0, value(f, "node_selinux_enabled"));
    assertEquals(1, f.size());
  }
}
