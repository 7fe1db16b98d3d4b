package dev.promkit.exporter.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code filesystem}: size, free and available bytes, inodes and read-only state of each mounted
 * file system listed in /proc/1/mounts (or /proc/mounts), filtered by mount point and type.
 */
final class FilesystemCollector implements NodeCollector {
  /** node_exporter 1.5's {@code --collector.filesystem.mount-points-exclude} default (upstream, not Debian's). */
  static final String DEFAULT_MOUNT_POINTS_EXCLUDE =
      "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)";
  /** node_exporter 1.5's {@code --collector.filesystem.fs-types-exclude} default. */
  static final String DEFAULT_FS_TYPES_EXCLUDE = "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts"
      + "|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs"
      + "|selinuxfs|squashfs|sysfs|tracefs)$";

  private final HostPaths paths;
  private final KeyCache<Boolean> mountPointsExclude;
  private final KeyCache<Boolean> fsTypesExclude;
  private final Statfs.Reader statfs;

  FilesystemCollector(HostPaths paths, Pattern mountPointsExclude, Pattern fsTypesExclude, Statfs.Reader statfs) {
    this.paths = paths;
    this.mountPointsExclude = KeyCache.matches(mountPointsExclude);
    this.fsTypesExclude = KeyCache.matches(fsTypesExclude);
    this.statfs = statfs;
  }

  private record Mount(String device, String mountPoint, String fsType, boolean readOnly) {}

  @Override
  public void update(Families out) throws Exception {
    Path mounts = paths.proc("1/mounts");
    if (!Files.isReadable(mounts)) {
      mounts = paths.proc("mounts");
    }
    List<Mount> selected = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String line : HostPaths.lines(mounts)) {
      String[] f = HostPaths.fields(line);
      if (f.length < 4) {
        continue;
      }
      String mp = paths.stripRoot(unescape(f[1]));
      if (mountPointsExclude.test(mp) || fsTypesExclude.test(f[2])) {
        continue;
      }
      if (!seen.add(f[0] + '\0' + mp + '\0' + f[2])) {
        continue;
      }
      boolean ro = false;
      for (String opt : f[3].split(",")) {
        ro |= opt.equals("ro");
      }
      selected.add(new Mount(unescape(f[0]), mp, f[2], ro));
    }
    List<Path> targets = new ArrayList<>(selected.size());
    for (Mount m : selected) {
      targets.add(paths.root(m.mountPoint));
    }
    Statfs.Stats[] stats = statfs.read(targets);
    String errorHelp = "Whether an error occurred while getting statistics for the given device.";
    for (int i = 0; i < selected.size(); i++) {
      Mount m = selected.get(i);
      String[] labels = {"device", m.device, "fstype", m.fsType, "mountpoint", m.mountPoint};
      Statfs.Stats st = stats[i];
      if (st == null) {
        out.gauge("node_filesystem_device_error", errorHelp, 1, labels);
        continue;
      }
      double unit = st.blockSize();
      out.gauge("node_filesystem_device_error", errorHelp, 0, labels);
      out.gauge("node_filesystem_size_bytes", "Filesystem size in bytes.", st.blocks() * unit, labels);
      out.gauge("node_filesystem_free_bytes", "Filesystem free space in bytes.", st.free() * unit, labels);
      out.gauge("node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes.",
          st.avail() * unit, labels);
      if (st.files() >= 0) {
        out.gauge("node_filesystem_files", "Filesystem total file nodes.", st.files(), labels);
        out.gauge("node_filesystem_files_free", "Filesystem total free file nodes.", st.filesFree(), labels);
      }
      out.gauge("node_filesystem_readonly", "Filesystem read-only status.", m.readOnly ? 1 : 0, labels);
    }
  }

  // /proc/mounts escapes space, tab, newline and backslash as octal (\040, \011, \012, \134).
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
        sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  private static boolean isOctal(String s, int i) {
    return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
  }
}
