package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.simheat.jobs.testing.GoldenMatrix;

class OnnxReaderTest {
  private static final Configuration CONF = new Configuration();
  private static final String MODEL = golden("model.onnx");
  private static final int FLOAT = 1;
  private static final int FLOAT16 = 10;

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "raw.weight, 5, 3, F32",
    "float.weight, 4, 3, F32",
    "double.weight, 3, 4, F64",
    "half.raw, 3, 5, F16"
  })
  void readsContiguousInitializersStraightFromTheFile(
      String tensor, int rows, int cols, DType dtype) throws IOException {
    MatrixSource m = OnnxReader.open(MODEL, tensor, CONF);

    assertThat(m).isInstanceOf(StridedMatrixFile.class);
    assertThat(((StridedMatrixFile) m).dtype()).isEqualTo(dtype);
    assertThat(m.describe()).isEqualTo(MODEL + ", tensor '" + tensor + "'");
    MatrixAssertions.assertGolden(m, rows, cols);
  }

  @ParameterizedTest
  @CsvSource({"half.weight, 4, 6", "bf16.weight, 6, 2"})
  void decodesHalfPrecisionInt32Data(String tensor, int rows, int cols) throws IOException {
    MatrixSource m = OnnxReader.open(MODEL, tensor, CONF);

    assertThat(m).isInstanceOf(DenseMatrix.class);
    MatrixAssertions.assertGolden(m, rows, cols);
  }

  @Test
  void choosesTheTensor() throws IOException {
    MatrixSource only = OnnxReader.open(golden("single.onnx"), null, CONF);

    assertThat(only.describe()).endsWith("tensor 'embeddings.weight'");
    MatrixAssertions.assertGolden(only, 7, 3);
    assertRefused(
        MODEL,
        null,
        "6 2-D tensors fit, choose one with --tensor: raw.weight, float.weight, double.weight,"
            + " half.weight, bf16.weight, half.raw",
        MODEL);
    assertRefused(
        MODEL,
        "wte",
        "no tensor 'wte' in the file; 2-D tensors: raw.weight, float.weight, double.weight,"
            + " half.weight, bf16.weight, half.raw",
        MODEL);
    assertRefused(MODEL, "bias", "tensor 'bias' has shape [3], expected a 2-D matrix", MODEL);
    assertRefused(
        MODEL,
        "ids",
        "tensor 'ids' has unsupported dtype 'INT64', expected FLOAT16, BFLOAT16, FLOAT or DOUBLE",
        MODEL);
  }

  @Test
  void refusesExternalData() {
    String file = golden("external.onnx");

    assertRefused(
        file,
        null,
        "initializer 'external.weight' keeps its data in an external file (data_location"
            + " EXTERNAL), which is not supported",
        file);
  }

  @Test
  void refusesTruncatedModelsAndFilesThatAreNotModels() throws IOException {
    byte[] bytes = Files.readAllBytes(Path.of(MODEL));

    assertRefused(
        write(Arrays.copyOf(bytes, bytes.length - 10)),
        "the file is truncated, it has " + (bytes.length - 10) + " bytes but needs ");
    assertRefused(
        write(Files.readAllBytes(GoldenMatrix.path("npy/c_f4.npy"))),
        "not an ONNX model, its protobuf encoding is broken: wire type 3 of field 1250 at byte 0");
    assertRefused(write(new byte[0]), "not an ONNX model, it has no graph");
    assertRefused(
        write(new ProtoWriter().varint(7, 1).toByteArray()),
        "not an ONNX model, its protobuf encoding is broken: graph field with wire type 0 at"
            + " byte 2");
    assertRefused(
        write(
            new ProtoWriter()
                .verbatim(0x08, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1)
                .toByteArray()),
        "not an ONNX model, its protobuf encoding is broken: a varint longer than 10 bytes at byte"
            + " 1");
    assertRefused(
        write(model(new ProtoWriter().verbatim(0x42, 0x10, 'w'))),
        "not an ONNX model, its protobuf encoding is broken: field 8 of 16 bytes crosses its"
            + " message's end");
  }

  @Test
  void decodesFloatDataThatIsNotOnePackedRun() throws IOException {
    float[] values = GoldenMatrix.rows(0, 2, 3);
    ProtoWriter unpacked = tensor("w", FLOAT, 2, 3);
    for (float v : values) {
      unpacked.fixed32(4, v);
    }
    ProtoWriter split =
        tensor("w", FLOAT, 2, 3)
            .bytes(4, ProtoWriter.floats(Arrays.copyOf(values, 2)))
            .bytes(4, ProtoWriter.floats(Arrays.copyOfRange(values, 2, 6)));

    MatrixAssertions.assertGolden(open(model(unpacked)), 2, 3);
    MatrixAssertions.assertGolden(open(model(split)), 2, 3);
  }

  @Test
  void readsPackedDimsAndUnpackedInt32Data() throws IOException {
    ProtoWriter t =
        new ProtoWriter().bytes(1, ProtoWriter.varints(2, 3)).varint(2, FLOAT16).string(8, "w");
    for (float v : GoldenMatrix.rows(0, 2, 3)) {
      t.varint(5, GoldenMatrix.halfBits(v));
    }

    MatrixAssertions.assertGolden(open(model(t)), 2, 3);
  }

  @Test
  void refusesDataThatDisagreesWithTheShape() throws IOException {
    float[] five = Arrays.copyOf(GoldenMatrix.rows(0, 2, 3), 5);
    assertRefused(
        model(tensor("w", FLOAT, 2, 3).bytes(9, ProtoWriter.floats(five))),
        "initializer 'w' has 20 bytes of raw_data but its shape [2,3] of FLOAT needs 24");
    assertRefused(
        model(tensor("w", FLOAT, 2, 3).bytes(4, ProtoWriter.floats(five))),
        "initializer 'w' has 20 bytes of float_data but its shape [2,3] of FLOAT needs 24");
    assertRefused(
        model(tensor("w", FLOAT16, 2, 3).bytes(5, ProtoWriter.varints(1, 2, 3, 4, 5))),
        "initializer 'w' holds 5 values in int32_data but its shape [2,3] needs 6");
    assertRefused(
        model(tensor("w", FLOAT16, 2, 3).bytes(5, ProtoWriter.varints(1, 2, 3, 4, 5, 6, 7))),
        "initializer 'w' holds more than 6 values in int32_data but its shape [2,3] needs 6");
    assertRefused(model(tensor("w", FLOAT, 2, 3)), "initializer 'w' holds no data");
  }

  @Test
  void refusesEmptyAndNegativeShapes() throws IOException {
    Path empty = write(model(tensor("w", FLOAT, 0, 3).bytes(9, new byte[0])));
    Path negative = write(model(tensor("w", FLOAT, -1, 3).bytes(9, new byte[0])));

    assertRefused(empty.toString(), null, "the matrix is empty (0 × 3)", empty + ", tensor 'w'");
    assertRefused(
        negative.toString(),
        null,
        "the shape [-1,3] has a negative dimension",
        negative + ", tensor 'w'");
  }

  @Test
  void refusesCraftedExternalData() throws IOException {
    ProtoWriter t =
        tensor("w", FLOAT, 2, 3)
            .message(13, new ProtoWriter().string(1, "location").string(2, "w.bin"))
            .varint(14, 1);

    assertRefused(model(t), "initializer 'w' keeps its data in an external file");
  }

  @Test
  void refusesTwoInitializersOfOneName() throws IOException {
    // Found by OnnxFuzzTest: a scalar and a 2 × 3 matrix both named 'w'; the reader chose the
    // matrix by its shape, then looked it up by name and got the scalar.
    ProtoWriter scalar = tensor("w", FLOAT).bytes(9, new byte[4]);
    ProtoWriter matrix = tensor("w", FLOAT, 2, 3).bytes(9, new byte[24]);
    ProtoWriter graph = new ProtoWriter().string(2, "g").message(5, scalar).message(5, matrix);

    assertRefused(
        new ProtoWriter().varint(1, 8).message(7, graph).toByteArray(),
        "two initializers are named 'w' (names must be unique)");
  }

  private static ProtoWriter tensor(String name, int dataType, long... dims) {
    ProtoWriter t = new ProtoWriter();
    for (long d : dims) {
      t.varint(1, d);
    }
    return t.varint(2, dataType).string(8, name);
  }

  /** A ModelProto with one initializer in its graph. */
  private static byte[] model(ProtoWriter initializer) {
    ProtoWriter graph = new ProtoWriter().string(2, "g").message(5, initializer);
    return new ProtoWriter().varint(1, 8).message(7, graph).toByteArray();
  }

  private MatrixSource open(byte[] model) throws IOException {
    return OnnxReader.open(write(model).toString(), null, CONF);
  }

  private void assertRefused(byte[] model, String why) throws IOException {
    assertRefused(write(model), why);
  }

  private static void assertRefused(Path file, String why) {
    assertRefused(file.toString(), null, why, file.toString());
  }

  private static void assertRefused(String uri, String tensor, String why, String file) {
    assertThatThrownBy(() -> OnnxReader.open(uri, tensor, CONF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read embeddings: " + why)
        .hasMessageEndingWith(" (" + file + ")")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  private Path write(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(dir, "m", ".onnx"), bytes);
  }

  private static String golden(String name) {
    return GoldenMatrix.path("onnx/" + name).toString();
  }
}
