package dev.promkit.benchmarks.tsdb;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.function.LongUnaryOperator;

/**
 * Before/after of the XOR decoder in one JVM: two benchmark jars (e.g. one built from main, one from
 * a branch) are loaded in two class loaders, and the same workloads run on both, interleaved round
 * by round (who goes first alternates), timed by thread CPU time. The per-round ratio new/old is
 * what the neighbours' load disturbs least on a shared machine: both sides see the same load.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.promkit.benchmarks.tsdb.XorDecodeAb
 * old.jar new.jar [rounds [kind,kind,...]]} (kinds: counter, prometheus, constant, gauge, random)
 */
public final class XorDecodeAb {
  private XorDecodeAb() {}

  /** Defines {@link XorDecodeAbDriver} itself (child first), everything else from the jar. */
  private static final class DriverLoader extends URLClassLoader {
    DriverLoader(URL jar) {
      super(new URL[] {jar}, ClassLoader.getPlatformClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.equals(XorDecodeAbDriver.class.getName())) {
        synchronized (getClassLoadingLock(name)) {
          Class<?> c = findLoadedClass(name);
          if (c == null) {
            String res = name.replace('.', '/') + ".class";
            try (InputStream in = XorDecodeAb.class.getClassLoader().getResourceAsStream(res)) {
              if (in == null) {
                throw new ClassNotFoundException(name);
              }
              byte[] b = in.readAllBytes();
              c = defineClass(name, b, 0, b.length);
            } catch (IOException e) {
              throw new ClassNotFoundException(name, e);
            }
          }
          return c;
        }
      }
      return super.loadClass(name, resolve);
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: XorDecodeAb old.jar new.jar [rounds [kinds]]");
      System.exit(2);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    URL[] jars = {Paths.get(args[0]).toUri().toURL(), Paths.get(args[1]).toUri().toURL()};
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 40;
    int reps = 5000;
    long sink = 0;
    String[] kinds = args.length > 3 ? args[3].split(",") : new String[] {"counter", "prometheus", "constant", "gauge", "random"};
    for (String kind : kinds) {
      LongUnaryOperator[] d = new LongUnaryOperator[2];
      for (int k = 0; k < 2; k++) {
        d[k] = (LongUnaryOperator) new DriverLoader(jars[k]).loadClass(XorDecodeAbDriver.class.getName())
            .getConstructor(String.class).newInstance(kind);
      }
      double[][][] ns = new double[2][2][rounds]; // [old, new][iterator, decodeAll][round]
      for (int r = 0; r < rounds; r++) {
        for (int mode = 0; mode < 2; mode++) {
          for (int k = 0; k < 2; k++) {
            int side = (r & 1) == 0 ? k : 1 - k;
            long t0 = mx.getCurrentThreadCpuTime();
            sink += d[side].applyAsLong(((long) reps << 1) | mode);
            ns[side][mode][r] = (double) (mx.getCurrentThreadCpuTime() - t0) / reps / XorDecodeAbDriver.N;
          }
        }
      }
      for (int mode = 0; mode < 2; mode++) {
        int skip = rounds / 4; // warm-up rounds
        double[] o = Arrays.copyOfRange(ns[0][mode], skip, rounds);
        double[] n = Arrays.copyOfRange(ns[1][mode], skip, rounds);
        double[] ratio = new double[o.length];
        for (int i = 0; i < o.length; i++) {
          ratio[i] = n[i] / o[i];
        }
        Arrays.sort(o);
        Arrays.sort(n);
        Arrays.sort(ratio);
        System.out.printf("%-10s %-9s old min %.2f median %.2f | new min %.2f median %.2f ns/sample (CPU)"
                + " | new/old per round: median %.2f, quartiles %.2f-%.2f%n",
            kind, mode == 0 ? "iterator" : "decodeAll", o[0], o[o.length / 2], n[0], n[n.length / 2],
            ratio[ratio.length / 2], ratio[ratio.length / 4], ratio[3 * ratio.length / 4]);
      }
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
