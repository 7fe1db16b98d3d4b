package dev.promkit.exporter.node;

/**
 * {@code uname}: node_uname_info. The JVM cannot call uname(2); the kernel publishes the same
 * strings under /proc/sys/kernel, and the machine comes from the JVM's architecture name.
 */
final class UnameCollector implements NodeCollector {
  private final HostPaths paths;

  UnameCollector(HostPaths paths) {
    this.paths = paths;
  }

  @Override
  public void update(Families out) throws Exception {
    out.gauge("node_uname_info", "Labeled system information as provided by the uname system call.", 1,
        "sysname", kernel("ostype"), "release", kernel("osrelease"), "version", kernel("version"),
        "machine", machine(System.getProperty("os.arch")), "nodename", kernel("hostname"),
        "domainname", kernel("domainname"));
  }

  private String kernel(String name) throws java.io.IOException {
    return HostPaths.readTrimmed(paths.proc("sys/kernel/" + name));
  }

  // The JVM reports Debian-style architecture names; uname uses the kernel's.
  static String machine(String osArch) {
    switch (osArch) {
      case "amd64":
        return "x86_64";
      case "x86":
        return "i686";
      default:
        return osArch;
    }
  }
}
