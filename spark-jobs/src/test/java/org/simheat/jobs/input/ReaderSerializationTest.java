package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.simheat.jobs.testing.GoldenMatrix;

/** The strided matrices the binary readers return travel to executors and read the same rows. */
class ReaderSerializationTest {
  private static final Configuration CONF = new Configuration();

  @Test
  void npyMatricesSurviveSerialisation() throws Exception {
    assertRoundTrip(NpyReader.open(golden("npy/fortran_f2.npy"), CONF), 6, 4);
    assertRoundTrip(NpyReader.open(golden("npy/big_endian_f4.npy"), CONF), 4, 3);
  }

  @Test
  void safetensorsMatricesSurviveSerialisation() throws Exception {
    String index = golden("safetensors/sharded/model.safetensors.index.json");

    assertRoundTrip(SafetensorsReader.open(index, "lm_head.weight", CONF), 5, 4);
    assertRoundTrip(
        SafetensorsReader.open(golden("safetensors/model.safetensors"), "embed.bf16", CONF), 6, 2);
  }

  @Test
  void onnxMatricesSurviveSerialisation() throws Exception {
    assertRoundTrip(OnnxReader.open(golden("onnx/model.onnx"), "float.weight", CONF), 4, 3);
  }

  private static void assertRoundTrip(MatrixSource original, int rows, int cols) throws Exception {
    MatrixSource copy = roundTrip(original);

    assertThat(copy).isInstanceOf(StridedMatrixFile.class).isNotSameAs(original);
    assertThat(copy.describe()).isEqualTo(original.describe());
    assertThat(copy.readRows(1, rows - 2)).containsExactly(GoldenMatrix.rows(1, rows - 2, cols));
    MatrixAssertions.assertGolden(copy, rows, cols);
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

  private static String golden(String relative) {
    return GoldenMatrix.path(relative).toString();
  }
}
