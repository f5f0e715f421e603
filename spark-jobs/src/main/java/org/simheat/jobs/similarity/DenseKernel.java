package org.simheat.jobs.similarity;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The dense matrix product behind every block: {@code C = A · Bᵀ} for row-major A (p × d) and B (q
 * × d), through dev.ludovic.netlib's BLAS, chosen once per JVM and reported by {@link #describe()}.
 *
 * <p>The choice is deliberate: a native BLAS through JNI (OpenBLAS, MKL) when the system has one,
 * but never Debian's reference {@code libblas3}, which netlib would pick just as readily and which
 * runs an order of magnitude slower than the JDK Vector API; then the Vector API (needs {@code
 * --add-modules jdk.incubator.vector}), then plain Java. The system property {@code simheat.blas}
 * ({@code native} or {@code java}) overrides the choice.
 *
 * <p>OpenBLAS is found where it is, even when {@code libblas.so.3} points elsewhere: netlib's own
 * property {@code dev.ludovic.netlib.blas.nativeLibPath} if set, else the environment variable
 * {@code SIMHEAT_BLAS_LIB}, else Debian's {@code libopenblas0-pthread}/{@code -openmp}/{@code
 * -serial} directories, else {@code ~/.cache/simheat/openblas/libopenblas.so.0} (where {@code
 * bin/simheat fetch-openblas} puts it). Each task calls it from its own thread, so OpenBLAS must
 * run single-threaded ({@code OPENBLAS_NUM_THREADS=1}, which the launcher and {@code
 * conf/spark-defaults.conf} set): {@link #threadWarning()} says when it is not.
 *
 * <p>netlib loads its native library once per JVM, at its first use by anyone: MLlib's level-1
 * calls on long vectors count. Code that runs MLlib before a pass (the cluster order) touches
 * {@link #blas()} first; should the reference BLAS be loaded anyway, the choice sees it (it reads
 * the mapped library) and falls back to the Vector API.
 */
public final class DenseKernel {
  private static final String LIB_PROPERTY = "dev.ludovic.netlib.blas.nativeLibPath";
  private static final BLAS BLAS_INSTANCE = choose(System.getProperty("simheat.blas", "auto"));

  private DenseKernel() {}

  /**
   * Computes {@code c[i·q + j] = Σₖ a[aOff + i·d + k] · b[j·d + k]} for i < p, j < q.
   *
   * <p>Column-major BLAS sees row-major A as Aᵀ (d × p) and B as Bᵀ (d × q), so the row-major
   * product A·Bᵀ is the column-major (B·Aᵀ) = (Bᵀ)ᵀ·Aᵀ: one {@code sgemm("T", "N", q, p, d)}.
   */
  public static void multiplyTransposed(
      float[] a, int aOff, int p, float[] b, int q, int d, float[] c) {
    BLAS_INSTANCE.sgemm("T", "N", q, p, d, 1f, b, 0, d, a, aOff, d, 0f, c, 0, q);
  }

  /** The BLAS instance every product goes through. */
  public static BLAS blas() {
    return BLAS_INSTANCE;
  }

  /** The implementation in use, e.g. {@code VectorBLAS} or {@code JNIBLAS (OpenBLAS: …)}. */
  public static String describe() {
    String name = BLAS_INSTANCE.getClass().getSimpleName();
    return name.contains("JNI") ? name + " (" + nativeLibrary() + ")" : name;
  }

  /** Whether the kernel is the slow reference BLAS that Debian's libblas3 provides. */
  public static boolean isReferenceBlas() {
    return isReference(BLAS_INSTANCE);
  }

  private static boolean isReference(BLAS blas) {
    return blas.getClass().getSimpleName().contains("JNI")
        && nativeLibrary().startsWith("reference");
  }

  private static BLAS choose(String preference) {
    if (preference.equals("java")) {
      return JavaBLAS.getInstance();
    }
    if (System.getProperty(LIB_PROPERTY) == null) {
      String found = findOpenBlas();
      if (found != null) {
        System.setProperty(LIB_PROPERTY, found);
      }
    }
    BLAS any = BLAS.getInstance();
    return isReference(any) && !preference.equals("native") ? JavaBLAS.getInstance() : any;
  }

  /** OpenBLAS's library where it is installed or unpacked, or null. */
  static String findOpenBlas() {
    String env = System.getenv("SIMHEAT_BLAS_LIB");
    if (env != null && !env.isBlank()) {
      return env;
    }
    for (String arch : new String[] {"x86_64-linux-gnu", "aarch64-linux-gnu"}) {
      for (String flavour :
          new String[] {"openblas-pthread", "openblas-openmp", "openblas-serial"}) {
        Path lib = Path.of("/usr/lib", arch, flavour, "libopenblas.so.0");
        if (Files.isReadable(lib)) {
          return lib.toString();
        }
      }
    }
    Path cached =
        Path.of(
            System.getProperty("user.home"), ".cache", "simheat", "openblas", "libopenblas.so.0");
    return Files.isReadable(cached) ? cached.toString() : null;
  }

  /**
   * A warning when OpenBLAS may start its own threads inside tasks that already run one per core
   * ({@code OPENBLAS_NUM_THREADS} unset or above 1), else null.
   */
  public static String threadWarning() {
    if (!describe().contains("OpenBLAS")) {
      return null;
    }
    String threads = System.getenv("OPENBLAS_NUM_THREADS");
    return "1".equals(threads)
        ? null
        : "OpenBLAS runs with OPENBLAS_NUM_THREADS="
            + (threads == null ? "(unset)" : threads)
            + ": every task already has a core, so set it to 1 (the launcher and"
            + " conf/spark-defaults.conf do)";
  }

  /**
   * The native BLAS library netlib loaded. The library this process actually mapped wins (Linux:
   * {@code /proc/self/maps}): netlib loads it once per JVM, so if other code (MLlib's level-1 calls
   * on long vectors) loaded it before this class set its path, the configured path is not what
   * runs.
   */
  private static String nativeLibrary() {
    String mapped = mappedBlas();
    String configured = System.getProperty(LIB_PROPERTY);
    String path = mapped != null ? mapped : configured != null ? configured : resolveSystemBlas();
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.contains("openblas")) {
      return "OpenBLAS: " + path;
    }
    if (lower.contains("mkl")) {
      return "MKL: " + path;
    }
    if (lower.contains("blis")) {
      return "BLIS: " + path;
    }
    return lower.contains("/blas/") ? "reference BLAS: " + path : "native BLAS: " + path;
  }

  /** A BLAS library mapped into this process, or null when there is none or it is unknown. */
  private static String mappedBlas() {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return null;
    }
    try (Stream<String> lines = Files.lines(maps)) {
      return lines
          .map(l -> l.substring(l.lastIndexOf(' ') + 1))
          .filter(f -> f.startsWith("/") && !f.contains("netlib"))
          .filter(f -> f.matches(".*/lib(open)?blas[^/]*\\.so[^/]*|.*/libmkl_rt[^/]*"))
          .findFirst()
          .orElse(null);
    } catch (IOException | UncheckedIOException e) {
      return null;
    }
  }

  private static String resolveSystemBlas() {
    for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"}) {
      Path link = Path.of(dir, "libblas.so.3");
      if (Files.exists(link)) {
        try {
          return link.toRealPath().toString();
        } catch (IOException e) {
          return link.toString();
        }
      }
    }
    return "libblas.so.3";
  }
}
