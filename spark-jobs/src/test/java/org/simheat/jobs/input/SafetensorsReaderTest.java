package org.simheat.jobs.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.simheat.jobs.testing.GoldenMatrix;

class SafetensorsReaderTest {
  private static final Configuration CONF = new Configuration();
  private static final String MODEL = golden("model.safetensors");
  private static final String INDEX = golden("sharded/model.safetensors.index.json");

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource({
    "embed.f32, 5, 3, F32",
    "embed.f16, 4, 6, F16",
    "embed.bf16, 6, 2, BF16",
    "embed.f64, 3, 4, F64"
  })
  void readsEveryValueAndRowRangeOfEveryDtype(String tensor, int rows, int cols, DType dtype)
      throws IOException {
    MatrixSource m = SafetensorsReader.open(MODEL, tensor, CONF);

    assertThat(((StridedMatrixFile) m).dtype()).isEqualTo(dtype);
    assertThat(m.describe()).isEqualTo(MODEL + ", tensor '" + tensor + "'");
    MatrixAssertions.assertGolden(m, rows, cols);
  }

  @Test
  void takesTheOnlyTwoDimensionalFloatingTensorWhenNoneIsNamed() throws IOException {
    MatrixSource m = SafetensorsReader.open(golden("single.safetensors"), null, CONF);

    assertThat(m.describe()).endsWith("tensor 'word_embeddings.weight'");
    MatrixAssertions.assertGolden(m, 7, 4);
  }

  @Test
  void asksForAChoiceWhenSeveralTensorsFit() {
    assertRefused(
        MODEL,
        null,
        "4 2-D tensors fit, choose one with --tensor: embed.f32, embed.f16, embed.bf16, embed.f64",
        MODEL);
  }

  @Test
  void listsTheTensorsWhenTheNamedOneIsUnknown() {
    assertRefused(
        MODEL,
        "embeddings",
        "no tensor 'embeddings' in the file; 2-D tensors: embed.f32, embed.f16, embed.bf16,"
            + " embed.f64",
        MODEL);
  }

  @Test
  void refusesNamedTensorsThatAreNotTwoDimensionalOrNotFloating() {
    assertRefused(
        MODEL, "norm.bias", "tensor 'norm.bias' has shape [3], expected a 2-D matrix", MODEL);
    assertRefused(
        MODEL,
        "position_ids",
        "tensor 'position_ids' has unsupported dtype 'I64', expected F16, BF16, F32 or F64",
        MODEL);
  }

  @Test
  void readsNamedTensorsOfEachShardOfACheckpoint() throws IOException {
    MatrixSource first = SafetensorsReader.open(INDEX, "embeddings.word_embeddings.weight", CONF);
    MatrixSource second = SafetensorsReader.open(INDEX, "lm_head.weight", CONF);

    assertThat(first.describe())
        .isEqualTo(
            golden("sharded/model-00001-of-00002.safetensors")
                + ", tensor 'embeddings.word_embeddings.weight'");
    MatrixAssertions.assertGolden(first, 6, 4);
    assertThat(((StridedMatrixFile) second).dtype()).isEqualTo(DType.F16);
    MatrixAssertions.assertGolden(second, 5, 4);
  }

  @Test
  void choosesAmongTheTensorsOfEveryShard() {
    assertRefused(
        INDEX,
        null,
        "2 2-D tensors fit, choose one with --tensor: embeddings.word_embeddings.weight,"
            + " lm_head.weight",
        INDEX);
    assertRefused(
        INDEX,
        "wte",
        "no tensor 'wte' in the file; 2-D tensors: embeddings.word_embeddings.weight,"
            + " lm_head.weight",
        INDEX);
    assertRefused(
        INDEX,
        "encoder.layer.0.bias",
        "tensor 'encoder.layer.0.bias' has shape [4], expected a 2-D matrix",
        golden("sharded/model-00002-of-00002.safetensors"));
  }

  @Test
  void takesTheOnlyFittingTensorOfACheckpoint() throws IOException {
    Path copy = copySharded();
    Files.writeString(
        copy.resolve("model.safetensors.index.json"),
        "{\"weight_map\": {\"embeddings.word_embeddings.weight\": \"model-00001-of-00002.safetensors\","
            + " \"embeddings.norm.bias\": \"model-00001-of-00002.safetensors\"}}");

    MatrixSource m =
        SafetensorsReader.open(copy.resolve("model.safetensors.index.json").toString(), null, CONF);

    assertThat(m.describe()).endsWith("tensor 'embeddings.word_embeddings.weight'");
    MatrixAssertions.assertGolden(m, 6, 4);
  }

  @Test
  void refusesBrokenCheckpointIndexes() throws IOException {
    Path copy = copySharded();
    Path index = copy.resolve("model.safetensors.index.json");
    String text = Files.readString(index);

    Files.writeString(index, text.replace("weight_map", "weights"));
    assertRefused(
        index.toString(),
        null,
        "the index has no 'weight_map' object mapping tensor names to shard files",
        index.toString());
    Files.writeString(index, text.substring(0, 40));
    assertRefused(index.toString(), null, "the index is not valid JSON: ", index.toString());
    Files.writeString(index, text.replace("\"model-00001-of-00002.safetensors\",", "7,"));
    assertRefused(
        index.toString(),
        null,
        "the index maps tensor 'embeddings.word_embeddings.weight' to 7, not a file name",
        index.toString());
    Files.writeString(
        index,
        text.replace("\"lm_head.weight\": \"model-00002", "\"lm_head.weight\": \"model-00001"));
    assertRefused(
        index.toString(),
        "lm_head.weight",
        "the index maps tensor 'lm_head.weight' to "
            + copy.resolve("model-00001-of-00002.safetensors")
            + ", which has no such tensor",
        index.toString());
    Files.delete(copy.resolve("model-00002-of-00002.safetensors"));
    Files.writeString(index, text);
    assertThatThrownBy(() -> SafetensorsReader.open(index.toString(), null, CONF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Cannot read " + copy.resolve("model-00002-of-00002.safetensors") + ": no such file");
  }

  @Test
  void refusesAbsurdHeaderLengths() throws IOException {
    byte[] bytes = goldenBytes("model.safetensors");
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 100_000_001);
    assertRefused(
        write(bytes), "the safetensors header length 100000001 is absurd, at most 100000000 bytes");
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1);
    assertRefused(write(bytes), "the safetensors header length 18446744073709551615 is absurd");
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, bytes.length - 7);
    assertRefused(
        write(bytes),
        "the safetensors header length 729 runs past the end of the file (736 bytes)");
    assertRefused(
        write(Arrays.copyOf(bytes, 5)), "the file is truncated, it has 5 bytes but needs 8");
  }

  @Test
  void refusesMalformedJson() throws IOException {
    assertRefused(
        withHeader(header().substring(0, 50)), "the safetensors header is not valid JSON: ");
    assertRefused(withHeader("[1, 2]"), "the safetensors header is not a JSON object");
    assertRefused(
        withHeader(header().replace("\"embed.f16\"", "\"embed.f32\"")),
        "the safetensors header is not valid JSON: Duplicate field 'embed.f32'");
    assertRefused(
        withHeader(header().replace("\"shape\":[5,3]", "\"shape\":[-5,3]")),
        "the safetensors header entry of tensor 'embed.f32' is malformed, 'shape' is not a list of"
            + " non-negative integers");
    assertRefused(
        withHeader(header().replace("\"dtype\":\"F32\",", "")),
        "the safetensors header entry of tensor 'embed.f32' is malformed, 'dtype' is not a string");
    assertRefused(
        withHeader(header().replace("[0,60]", "[60,0]")),
        "the safetensors header entry of tensor 'embed.f32' is malformed, 'data_offsets' is not"
            + " [begin, end] with 0 <= begin <= end");
  }

  @Test
  void refusesOffsetsThatDisagreeWithTheShapeOverlapOrRunPastTheEnd() throws IOException {
    assertRefused(
        withHeader(header().replace("\"shape\":[5,3]", "\"shape\":[5,4]")),
        "tensor 'embed.f32' has data_offsets [0, 60] (60 bytes) but shape [5,4] of F32 needs 80"
            + " bytes");
    assertRefused(
        withHeader(header().replace("[60,108]", "[40,88]")),
        "tensors 'embed.f32' and 'embed.f16' overlap: data_offsets [0, 60] and [40, 88]");
    byte[] bytes = goldenBytes("model.safetensors");
    assertRefused(
        write(Arrays.copyOf(bytes, bytes.length - 1)),
        "tensor 'position_ids' has data_offsets [240, 288] that run past the end of the file (the"
            + " data section holds 287 bytes)");
  }

  @Test
  void refusesEmptyMatrices() throws IOException {
    Path file =
        withHeader(
            header()
                .replace(
                    "\"shape\":[5,3],\"data_offsets\":[0,60]",
                    "\"shape\":[0,3],\"data_offsets\":[0,0]"));

    assertRefused(
        file.toString(), "embed.f32", "the matrix is empty (0 × 3)", file + ", tensor 'embed.f32'");
  }

  private void assertRefused(Path file, String why) {
    assertRefused(file.toString(), "embed.f32", why, file.toString());
  }

  private static void assertRefused(String uri, String tensor, String why, String file) {
    assertThatThrownBy(() -> SafetensorsReader.open(uri, tensor, CONF))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot read embeddings: " + why)
        .hasMessageEndingWith(" (" + file + ")")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  /** The golden model's JSON header. */
  private static String header() throws IOException {
    byte[] bytes = goldenBytes("model.safetensors");
    int n = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    return new String(bytes, 8, n, StandardCharsets.UTF_8);
  }

  /** The golden model with its header replaced, data section unchanged. */
  private Path withHeader(String json) throws IOException {
    byte[] bytes = goldenBytes("model.safetensors");
    int n = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
    byte[] header = json.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
    out.writeBytes(header);
    out.write(bytes, 8 + n, bytes.length - 8 - n);
    return write(out.toByteArray());
  }

  private Path write(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(dir, "m", ".safetensors"), bytes);
  }

  private Path copySharded() throws IOException {
    Path copy = Files.createDirectories(dir.resolve("sharded"));
    for (String name :
        new String[] {
          "model.safetensors.index.json",
          "model-00001-of-00002.safetensors",
          "model-00002-of-00002.safetensors"
        }) {
      Files.copy(GoldenMatrix.path("safetensors/sharded/" + name), copy.resolve(name));
    }
    return copy;
  }

  private static String golden(String name) {
    return GoldenMatrix.path("safetensors/" + name).toString();
  }

  private static byte[] goldenBytes(String name) throws IOException {
    return Files.readAllBytes(GoldenMatrix.path("safetensors/" + name));
  }
}
