package org.simheat.viewer.service;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The single-precision product behind live tiles, {@code C = A · Bᵀ} for row-major A (p × d) and B
 * (q × d), through dev.ludovic.netlib's BLAS chosen once per JVM.
 *
 * <p>netlib picks a native BLAS through JNI first, and on Debian that may be the reference {@code
 * libblas3} (the system {@code libblas.so.3} resolving into a {@code /blas/} directory), an order
 * of magnitude slower than the JDK Vector API; then this uses {@link JavaBLAS} (VectorBLAS with
 * {@code --add-modules jdk.incubator.vector}). The system property {@code simheat.blas} ({@code
 * native}, {@code java}) overrides the choice.
 */
final class DenseProduct {
  private static final BLAS BLAS_INSTANCE = choose(System.getProperty("simheat.blas", "auto"));

  private DenseProduct() {}

  /**
   * Computes {@code c[x·q + y] = Σₖ a[x·d + k] · b[y·d + k]} for x < p, y < q.
   *
   * <p>Column-major BLAS sees row-major A as Aᵀ (d × p), so the row-major A·Bᵀ is the column-major
   * (Bᵀ)ᵀ·Aᵀ: one {@code sgemm("T", "N", q, p, d)}.
   */
  static void multiplyTransposed(float[] a, int p, float[] b, int q, int d, float[] c) {
    BLAS_INSTANCE.sgemm("T", "N", q, p, d, 1f, b, 0, d, a, 0, d, 0f, c, 0, q);
  }

  /** The implementation in use, e.g. {@code VectorBLAS}. */
  static String describe() {
    return BLAS_INSTANCE.getClass().getSimpleName();
  }

  private static BLAS choose(String preference) {
    if (preference.equals("java")) {
      return JavaBLAS.getInstance();
    }
    BLAS any = BLAS.getInstance();
    boolean jni = any.getClass().getSimpleName().contains("JNI");
    if (jni && !preference.equals("native") && isReferenceLibrary()) {
      return JavaBLAS.getInstance();
    }
    return any;
  }

  private static boolean isReferenceLibrary() {
    String configured = System.getProperty("dev.ludovic.netlib.blas.nativeLibPath");
    if (configured != null) {
      return configured.toLowerCase(Locale.ROOT).contains("/blas/");
    }
    for (String dir : new String[] {"/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"}) {
      Path link = Path.of(dir, "libblas.so.3");
      if (Files.exists(link)) {
        try {
          return link.toRealPath().toString().contains("/blas/");
        } catch (IOException e) {
          return false;
        }
      }
    }
    return false;
  }
}
