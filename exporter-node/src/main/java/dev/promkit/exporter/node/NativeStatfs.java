package dev.promkit.exporter.node;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Path;

/**
 * statvfs(3) of the C library, called through JNA: block and inode counts of one mount point
 * without a child process. Only the leading fields are read, whose layout is the same in glibc and
 * musl: two {@code unsigned long} (f_bsize, f_frsize) then 64-bit counts (f_blocks, f_bfree,
 * f_bavail, f_files, f_ffree). On 32-bit hosts glibc's 64-bit counts are {@code statvfs64}.
 */
final class NativeStatfs implements GuardedStatfs.Single {
  // Larger than any libc's struct statvfs (112 bytes on 64-bit glibc).
  private static final int BUFFER_BYTES = 256;

  private final Function statvfs;
  private final int countsOffset;
  // One buffer per thread: the walker threads are pooled, so each allocates once.
  private final ThreadLocal<Memory> buffers = ThreadLocal.withInitial(() -> new Memory(BUFFER_BYTES));

  private NativeStatfs(Function statvfs) {
    this.statvfs = statvfs;
    this.countsOffset = 2 * Native.LONG_SIZE;
  }

  /**
   * Looks up statvfs in the C library.
   *
   * @throws LinkageError when JNA or its native part cannot be loaded
   * @throws UnsatisfiedLinkError when the C library has no statvfs
   */
  static NativeStatfs load() {
    NativeLibrary libc = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME);
    Function f;
    if (Native.LONG_SIZE == 8) {
      f = libc.getFunction("statvfs");
    } else {
      try {
        f = libc.getFunction("statvfs64");
      } catch (UnsatisfiedLinkError e) {
        f = libc.getFunction("statvfs"); // musl: 64-bit counts under the plain name
      }
    }
    return new NativeStatfs(f);
  }

  @Override
  public Statfs.Stats stat(Path path) throws IOException {
    Memory buf = buffers.get();
    int rc = statvfs.invokeInt(new Object[] {path.toString(), buf});
    if (rc != 0) {
      int errno = Native.getLastError();
      throw new IOException("statvfs " + path + ": errno " + errno);
    }
    long bsize = Native.LONG_SIZE == 8 ? buf.getLong(0) : buf.getInt(0) & 0xffffffffL;
    int o = countsOffset;
    return new Statfs.Stats(buf.getLong(o), buf.getLong(o + 8), buf.getLong(o + 16), bsize,
        buf.getLong(o + 24), buf.getLong(o + 32));
  }
}
