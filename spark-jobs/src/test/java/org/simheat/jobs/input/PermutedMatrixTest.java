package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;

/**
 * A permuted view reads every range of positions as the permuted rows, from a file (runs of
 * consecutive rows coalesced) and from memory, before and after serialisation.
 */
class PermutedMatrixTest {
  @TempDir Path tmp;

  /** A permutation with runs of consecutive rows, reversed runs and singletons. */
  private static int[] permutation(int n, long seed) {
    int[] ids = new int[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
    }
    Random r = new Random(seed);
    for (int i = n - 1; i > 0; i -= 1 + r.nextInt(4)) {
      int j = r.nextInt(i + 1);
      int t = ids[i];
      ids[i] = ids[j];
      ids[j] = t;
    }
    return ids;
  }

  @Test
  void everyRangeReadsThePermutedRows() throws Exception {
    float[][] e = NaiveSimilarity.gaussian(37, 5, 1);
    int[] ids = permutation(e.length, 2);
    MatrixSource file =
        NpyReader.open(NpyFiles.write(tmp.resolve("e.npy"), e).toString(), new Configuration());
    MatrixSource memory = new DenseMatrix(NaiveSimilarity.flatten(e), e.length, 5, "memory");
    for (MatrixSource base : new MatrixSource[] {file, memory}) {
      PermutedMatrix view = new PermutedMatrix(base, ids);
      assertRanges(view, e, ids);
      assertRanges(roundTrip(view), e, ids);
      assertThat(view.describe()).isEqualTo(base.describe());
    }
  }

  private static void assertRanges(MatrixSource view, float[][] e, int[] ids) throws IOException {
    int d = e[0].length;
    assertThat(view.rows()).isEqualTo(e.length);
    for (int start = 0; start < e.length; start += 3) {
      for (int count = 0; start + count <= e.length; count += 5) {
        float[] dst = new float[(count + 1) * d];
        view.readRows(start, count, dst, d);
        for (int i = 0; i < count; i++) {
          for (int k = 0; k < d; k++) {
            assertThat(dst[(i + 1) * d + k]).isEqualTo(e[ids[start + i]][k]);
          }
        }
      }
    }
  }

  @Test
  void onlyAPermutationIsAccepted() {
    MatrixSource m = new DenseMatrix(new float[6], 3, 2, "m");
    assertThatThrownBy(() -> new PermutedMatrix(m, new int[] {0, 1}))
        .hasMessage("A permutation of 3 rows cannot have 2 entries");
    assertThatThrownBy(() -> new PermutedMatrix(m, new int[] {0, 2, 2}))
        .hasMessage("Not a permutation: row 2 is out of range or repeated");
  }

  private static MatrixSource roundTrip(MatrixSource m) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(m);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (MatrixSource) in.readObject();
    }
  }
}
