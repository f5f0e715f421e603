package org.simheat.jobs.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.simheat.format.Manifest;
import org.simheat.format.RunLayout;
import org.simheat.jobs.cli.Cli;
import org.simheat.jobs.input.ZipFixture;
import org.simheat.jobs.testing.NaiveSimilarity;
import org.simheat.jobs.testing.NpyFiles;
import org.simheat.jobs.testing.TestSpark;

/**
 * Bad inputs through the real command line, in-process: each case builds a broken file, runs {@code
 * compute} into an output that already holds a committed run, and checks that the job refuses it
 * with one line naming the file and the problem, a non-zero exit, and an output left exactly as it
 * was (same files, same bytes, no staging, no lock).
 */
class BadInputsTest {
  private static final int N = 12;
  private static final int D = 4;

  /** An output holding one good committed run; each case works on a copy. */
  @TempDir static Path template;

  @TempDir Path tmp;

  /** Builds a case's files under a directory and returns the compute arguments that use them. */
  @FunctionalInterface
  interface Setup {
    List<String> args(Path dir) throws Exception;
  }

  /**
   * A bad input.
   *
   * @param name what is wrong
   * @param setup builds the files
   * @param file the file name the line must mention
   * @param phrase the problem the line must state
   */
  record Case(String name, Setup setup, String file, String phrase) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** What a command printed and returned. */
  record Outcome(int code, String out, String err) {}

  /**
   * Warnings and errors logged while a case runs: under bin/simheat they go to stderr beside the
   * one line, so a refused input must log none.
   */
  private static final List<String> LOGGED = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void goodRun() throws IOException {
    TestSpark.session();
    captureWarnings();
    Path good = NpyFiles.write(template.resolve("good.npy"), good());
    Outcome o = compute(good.toString(), template.resolve("out"));
    assertThat(o.code()).as(o.err()).isZero();
  }

  static Stream<Case> refused() {
    return Stream.of(
        // Truncated files.
        bad(
            "truncated npy",
            d -> input(write(d, "e.npy", cut(npyBytes(good()), 40))),
            "e.npy",
            "truncated"),
        bad(
            "npy cut inside its header",
            d -> input(write(d, "e.npy", cut(npyBytes(good()), npyBytes(good()).length - 30))),
            "e.npy",
            "truncated"),
        bad(
            "truncated pt",
            d -> input(write(d, "e.pt", half(golden("pt/f32.pt")))),
            "e.pt",
            "truncated"),
        bad(
            "truncated safetensors header",
            d ->
                input(
                    write(
                        d,
                        "e.safetensors",
                        Arrays.copyOf(golden("safetensors/single.safetensors"), 5))),
            "e.safetensors",
            "truncated"),
        bad(
            "truncated safetensors data",
            d -> input(write(d, "e.safetensors", cut(golden("safetensors/single.safetensors"), 4))),
            "e.safetensors",
            "past the end of the file"),
        bad(
            "truncated onnx",
            d -> input(write(d, "e.onnx", cut(golden("onnx/single.onnx"), 10))),
            "e.onnx",
            "truncated"),
        bad(
            "truncated parquet",
            d -> input(write(d, "e.parquet", half(parquetBytes(d)))),
            "e.parquet",
            "not a Parquet file"),
        bad(
            "truncated text",
            d -> input(write(d, "e.txt", lastValueCut(textBytes(good())))),
            "e.txt",
            "line " + N),
        // Headers and structure.
        bad(
            "npy wrong magic",
            d -> input(write(d, "e.npy", patch(npyBytes(good()), 1, 'X'))),
            "e.npy",
            "does not start with"),
        bad(
            "pt that is not a zip",
            d -> input(write(d, "e.pt", "these are not embeddings\n".getBytes())),
            "e.pt",
            "not a zip archive"),
        bad(
            "onnx that is not protobuf",
            d -> input(write(d, "e.onnx", npyBytes(good()))),
            "e.onnx",
            "not an ONNX model"),
        bad(
            "parquet wrong magic",
            d -> input(write(d, "e.parquet", patchLast(parquetBytes(d)))),
            "e.parquet",
            "not a Parquet file"),
        bad(
            "npy 2 GB header length",
            d -> input(write(d, "e.npy", npyHugeHeader())),
            "e.npy",
            "header length"),
        bad(
            "safetensors 2 GB header length",
            d -> input(write(d, "e.safetensors", safetensorsHeaderLength(0x80000000L))),
            "e.safetensors",
            "header length 2147483648"),
        bad(
            "npy negative shape",
            d ->
                input(
                    write(
                        d,
                        "e.npy",
                        npy(
                            "{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 3), }",
                            new byte[0]))),
            "e.npy",
            "negative dimension"),
        bad(
            "safetensors negative shape",
            d ->
                input(
                    write(
                        d,
                        "e.safetensors",
                        safetensors(
                            "{\"e\":{\"dtype\":\"F32\",\"shape\":[-2,3],\"data_offsets\":[0,24]}}",
                            24))),
            "e.safetensors",
            "'shape' is not a list of non-negative integers"),
        bad(
            "npy unsupported dtype int32",
            d -> input(write(d, "e.npy", golden("npy/int32.npy"))),
            "e.npy",
            "unsupported dtype '<i4'"),
        bad(
            "npy unsupported dtype complex64",
            d -> input(write(d, "e.npy", golden("npy/complex64.npy"))),
            "e.npy",
            "unsupported dtype '<c8'"),
        bad(
            "pt unsupported dtype int64",
            d -> input(write(d, "e.pt", golden("pt/int64.pt"))),
            "e.pt",
            "unsupported dtype 'int64'"),
        bad(
            "safetensors unsupported dtype I64",
            d ->
                input(
                    write(
                        d,
                        "e.safetensors",
                        safetensors(
                            "{\"e\":{\"dtype\":\"I64\",\"shape\":[2,3],\"data_offsets\":[0,48]}}",
                            48))),
            "e.safetensors",
            "I64"),
        bad(
            "onnx unsupported dtype INT64",
            d -> args("--input", write(d, "e.onnx", golden("onnx/model.onnx")), "--tensor", "ids"),
            "e.onnx",
            "unsupported dtype 'INT64'"),
        bad(
            "npy object dtype",
            d -> input(write(d, "e.npy", golden("npy/object.npy"))),
            "e.npy",
            "unsupported dtype '|O'"),
        bad(
            "pt pickle importing os.system",
            d -> input(write(d, "e.pt", evilPt(globalPickle(d.resolve("pwned"))))),
            "e.pt",
            "imports 'os.system', which is not a tensor"),
        bad(
            "pt pickle importing builtins.exec by STACK_GLOBAL",
            d -> input(write(d, "e.pt", evilPt(stackGlobalPickle(d.resolve("pwned"))))),
            "e.pt",
            "imports 'builtins.exec', which is not a tensor"),
        bad(
            "pt golden pickle importing posix.system",
            d -> input(write(d, "e.pt", golden("pt/evil.pt"))),
            "e.pt",
            "imports 'posix.system'"),
        bad(
            "safetensors overlapping offsets",
            d ->
                args(
                    "--input",
                    write(
                        d,
                        "e.safetensors",
                        safetensors(
                            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},\"b\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[16,40]}}",
                            40)),
                    "--tensor",
                    "a"),
            "e.safetensors",
            "overlap"),
        bad(
            "safetensors offsets past the end",
            d ->
                input(
                    write(
                        d,
                        "e.safetensors",
                        safetensors(
                            "{\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]}}",
                            20))),
            "e.safetensors",
            "run past the end of the file"),
        bad(
            "pt zip bomb declaring 4 GB",
            d -> input(write(d, "e.pt", bomb("f32/data/0", 0xfffffff0L))),
            "e.pt",
            "declares 4294967280 bytes, more than the limit"),
        bad(
            "pt zip bomb inflating past its declared size",
            d -> input(write(d, "e.pt", bomb("f32/data.pkl", 16))),
            "e.pt",
            "inflates to more than its declared 16 bytes"),
        // Values.
        bad(
            "NaN in npy",
            d -> input(NpyFiles.write(d.resolve("e.npy"), with(good(), 5, 1, Float.NaN))),
            "e.npy",
            "NaN or infinite values (row 5"),
        bad(
            "Inf in npy",
            d ->
                input(
                    NpyFiles.write(
                        d.resolve("e.npy"), with(good(), 7, 0, Float.NEGATIVE_INFINITY))),
            "e.npy",
            "NaN or infinite values (row 7"),
        bad(
            "NaN in text",
            d -> input(write(d, "e.txt", textBytes(with(good(), 3, 2, Float.NaN)))),
            "e.txt",
            "NaN or infinite values (row 3"),
        bad(
            "ragged text rows",
            d -> input(write(d, "e.txt", "a 1 2 3\nb 1 2\nc 1 2 3\n".getBytes())),
            "e.txt",
            "line 2"),
        bad(
            "non-numeric text cell",
            d -> input(write(d, "e.txt", "a 1 2 3\nb 1 x 3\nc 1 2 3\n".getBytes())),
            "e.txt",
            "'x'"),
        bad(
            "empty npy matrix",
            d -> input(write(d, "e.npy", golden("npy/empty.npy"))),
            "e.npy",
            "empty"),
        bad("1-D npy", d -> input(write(d, "e.npy", golden("npy/vector.npy"))), "e.npy", "2-D"),
        // Vocabularies.
        bad(
            "vocab length mismatch",
            d -> withVocab(d, "vocab.txt", tokens(N - 1)),
            "vocab.txt",
            "vocab has " + (N - 1) + " tokens but the matrix has " + N + " rows"),
        bad(
            "vocab invalid UTF-8",
            d -> withVocab(d, "vocab.txt", invalidUtf8Vocab()),
            "vocab.txt",
            "UTF-8"),
        bad("empty vocab file", d -> withVocab(d, "vocab.txt", new byte[0]), "vocab.txt", "empty"),
        bad(
            "tokenizer.json of unknown model type",
            d ->
                withVocab(
                    d,
                    "tokenizer.json",
                    "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 0}}}".getBytes()),
            "tokenizer.json",
            "tokenizer model type 'WordLevel' is not supported"),
        bad(
            "malformed vocab.json",
            d -> withVocab(d, "vocab.json", "{\"a\": 0, \"b\": ".getBytes()),
            "vocab.json",
            "JSON"),
        // Runs and outputs.
        bad(
            "missing input file",
            d -> input(d.resolve("missing.npy")),
            "missing.npy",
            "no such file"),
        bad(
            "cross run with NaN columns",
            d ->
                args(
                    "--input",
                    NpyFiles.write(d.resolve("rows.npy"), good()),
                    "--cols-input",
                    NpyFiles.write(
                        d.resolve("cols.npy"), with(good(), 2, 2, Float.POSITIVE_INFINITY))),
            "cols.npy",
            "NaN or infinite values (row 2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void isRefusedWithOneLineAndTheOutputUntouched(Case c) throws Exception {
    Path out = copyOfGoodOutput();
    Map<String, String> before = snapshot(out);
    Path dir = Files.createDirectories(tmp.resolve("in"));

    LOGGED.clear();
    Outcome o = compute(out, c.setup().args(dir));

    assertRefused(o, c.file(), c.phrase());
    assertThat(LOGGED).as("warnings logged to stderr").isEmpty();
    assertUntouched(out, before);
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void anOutputThatIsAFileIsRefused() throws IOException {
    Path file = Files.writeString(tmp.resolve("out"), "not a directory\n");
    Path input = NpyFiles.write(tmp.resolve("e.npy"), good());

    Outcome o = compute(input.toString(), file);

    assertRefused(o, "out", "not a directory");
    assertThat(Files.readString(file)).isEqualTo("not a directory\n");
  }

  @Test
  void anOutputUnderAFileIsRefused() throws IOException {
    Files.writeString(tmp.resolve("file"), "x\n");
    Path input = NpyFiles.write(tmp.resolve("e.npy"), good());

    Outcome o = compute(input.toString(), tmp.resolve("file").resolve("out"));

    assertRefused(o, "file/out", "Cannot");
    assertThat(Files.readString(tmp.resolve("file"))).isEqualTo("x\n");
  }

  /**
   * An output directory the job may not write to: read-only by mode when the tests run as a user;
   * as root, where modes do not bind, a directory of a read-only file system (procfs).
   */
  @Test
  void anUnwritableOutputIsRefusedAndLeftIntact() throws IOException {
    Path input = NpyFiles.write(tmp.resolve("e.npy"), good());
    if (isRoot()) {
      Path proc = Path.of("/proc/simheat-out");
      Outcome o = compute(input.toString(), proc);
      assertRefused(o, "/proc/simheat-out", "Cannot");
      assertThat(proc).doesNotExist();
      return;
    }
    Path out = copyOfGoodOutput();
    Map<String, String> before = snapshot(out);
    try {
      out.toFile().setWritable(false, false);
      Outcome o = compute(input.toString(), out);
      assertRefused(o, out.getFileName().toString(), "Cannot");
    } finally {
      out.toFile().setWritable(true, true);
    }
    assertUntouched(out, before);
  }

  // Inputs that look bad but are allowed: the run is committed beside the previous one.

  @Test
  void anAllZeroMatrixIsAllowedWithCosineZero() throws Exception {
    float[][] zeros = new float[N][D];
    Manifest m = committed(NpyFiles.write(tmp.resolve("e.npy"), zeros), null);

    assertThat(m.n()).isEqualTo(N);
    assertThat(m.zeroRows()).hasSize(N);
  }

  @Test
  void aSingleRowIsAllowed() throws Exception {
    float[][] one = {{1, 2, 3, 4}};
    Manifest m = committed(NpyFiles.write(tmp.resolve("e.npy"), one), null);

    assertThat(m.n()).isEqualTo(1);
    assertThat(m.dim()).isEqualTo(D);
  }

  @Test
  void duplicateTokensAreAllowedAndBothListed() throws Exception {
    List<String> tokens = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      tokens.add(i == 3 || i == 9 ? "same" : "tok" + i);
    }
    Path vocab = NpyFiles.vocab(tmp.resolve("vocab.txt"), tokens);
    float[][] e = good();
    Manifest m = committed(NpyFiles.write(tmp.resolve("e.npy"), e), vocab);

    Path run = tmp.resolve("out").resolve(RunLayout.runDir(m.runId()));
    List<Row> rows =
        TestSpark.session()
            .read()
            .parquet(run.resolve(RunLayout.EMBEDDINGS).toString())
            .orderBy("position")
            .collectAsList();
    assertThat(rows)
        .extracting(r -> r.getString(r.fieldIndex("token")))
        .containsExactlyElementsOf(tokens);
    List<Row> same =
        TestSpark.session()
            .read()
            .parquet(run.resolve(RunLayout.EMBEDDINGS).toString())
            .where("token = 'same'")
            .orderBy("position")
            .collectAsList();
    assertThat(same).extracting(r -> r.getInt(r.fieldIndex("id"))).containsExactly(3, 9);
  }

  @Test
  void aRunWhoseManifestWasDeletedByHandDoesNotStopTheNextCompute() throws Exception {
    Path out = copyOfGoodOutput();
    Path edited = latestRun(out);
    Files.delete(edited.resolve(RunLayout.MANIFEST));
    Map<String, String> before = snapshot(edited);

    Outcome o = compute(NpyFiles.write(tmp.resolve("e.npy"), good()).toString(), out);

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.err()).isEmpty();
    assertThat(latestRun(out)).isNotEqualTo(edited);
    assertThat(latestRun(out).resolve(RunLayout.MANIFEST)).isRegularFile();
    assertThat(snapshot(edited)).isEqualTo(before);
  }

  @Test
  void aRunWhoseManifestLiesAboutNDoesNotStopTheNextCompute() throws Exception {
    Path out = copyOfGoodOutput();
    Path edited = latestRun(out);
    Path manifest = edited.resolve(RunLayout.MANIFEST);
    Files.writeString(
        manifest,
        Files.readString(manifest).replace("\"n\" : " + N + ",", "\"n\" : " + 5 * N + ","));
    assertThat(Files.readString(manifest)).contains("\"n\" : " + 5 * N + ",");
    Map<String, String> before = snapshot(edited);
    float[][] other = NaiveSimilarity.gaussian(N + 3, D, 8);

    Outcome o = compute(NpyFiles.write(tmp.resolve("e.npy"), other).toString(), out);

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.err()).isEmpty();
    Path run = latestRun(out);
    assertThat(run).isNotEqualTo(edited);
    assertThat(Manifest.fromJson(Files.readString(run.resolve(RunLayout.MANIFEST))).n())
        .isEqualTo(N + 3);
    assertThat(snapshot(edited)).isEqualTo(before);
  }

  private static Path latestRun(Path out) throws IOException {
    return out.resolve(RunLayout.runDir(Files.readString(out.resolve(RunLayout.LATEST)).trim()));
  }

  /** Computes into a copy of the good output; checks the new run and the old one's bytes. */
  private Manifest committed(Path input, Path vocab) throws IOException {
    Path out = copyOfGoodOutput();
    Map<String, String> before = snapshot(out);
    String previous = Files.readString(out.resolve(RunLayout.LATEST)).trim();
    Outcome o =
        vocab == null
            ? compute(input.toString(), out)
            : compute(input.toString(), out, "--vocab", vocab.toString());

    assertThat(o.code()).as(o.err()).isZero();
    assertThat(o.err()).isEmpty();
    String latest = Files.readString(out.resolve(RunLayout.LATEST)).trim();
    assertThat(latest).isNotEqualTo(previous);
    Map<String, String> after = snapshot(out);
    before.forEach(
        (file, hash) -> {
          if (!file.endsWith(RunLayout.LATEST) && !file.endsWith(RunLayout.LATEST + ".crc")) {
            assertThat(after).as(file).containsEntry(file, hash);
          }
        });
    assertThat(out.resolve(RunLayout.LOCK)).doesNotExist();
    assertThat(out.resolve(RunLayout.STAGING)).isEmptyDirectory();
    return Manifest.fromJson(
        Files.readString(out.resolve(RunLayout.runDir(latest)).resolve(RunLayout.MANIFEST)));
  }

  // ---------------------------------------------------------------------------------------------

  private static void captureWarnings() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    AbstractAppender appender =
        new AbstractAppender("bad-inputs", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent e) {
            LOGGED.add(
                e.getLevel()
                    + " "
                    + e.getLoggerName()
                    + ": "
                    + e.getMessage().getFormattedMessage()
                    + (e.getThrown() == null ? "" : " " + e.getThrown()));
          }
        };
    appender.start();
    ctx.getConfiguration().getRootLogger().addAppender(appender, Level.WARN, null);
    ctx.updateLoggers();
  }

  private static Case bad(String name, Setup setup, String file, String phrase) {
    return new Case(name, setup, file, phrase);
  }

  private static void assertRefused(Outcome o, String file, String phrase) {
    assertThat(o.code()).as(o.err()).isNotZero();
    assertThat(o.out()).isEmpty();
    assertThat(o.err()).endsWith(System.lineSeparator());
    String[] lines = o.err().split("\\R", -1);
    assertThat(lines).as(o.err()).hasSize(2);
    assertThat(lines[0])
        .startsWith("simheat: ")
        .contains(file)
        .contains(phrase)
        .doesNotContain("Exception")
        .doesNotContain("--verbose");
    assertThat(o.code()).as(o.err()).isEqualTo(2);
  }

  /** Same files with the same bytes, no staging left, no lock. */
  static void assertUntouched(Path out, Map<String, String> before) throws IOException {
    Path staging = out.resolve(RunLayout.STAGING);
    if (Files.exists(staging)) {
      assertThat(staging).isEmptyDirectory();
    }
    assertThat(out.resolve(RunLayout.LOCK)).doesNotExist();
    Map<String, String> after = snapshot(out);
    after.remove(RunLayout.STAGING + "/");
    Map<String, String> expected = new TreeMap<>(before);
    expected.remove(RunLayout.STAGING + "/");
    assertThat(after).isEqualTo(expected);
  }

  /** Every file's SHA-256 and every directory (as {@code name/}) under a directory. */
  static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(p -> !p.equals(root)).toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isDirectory(p)) {
          m.put(rel + "/", "");
        } else {
          m.put(rel, HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
        }
      }
    }
    return m;
  }

  private Path copyOfGoodOutput() throws IOException {
    return copy(template.resolve("out"), tmp.resolve("out"));
  }

  /** A copy of the directory {@code from} at {@code to}. */
  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
    return to;
  }

  private static Outcome compute(Path out, List<String> args) {
    List<String> all = new ArrayList<>(List.of("compute", "--out", out.toString()));
    all.addAll(args);
    return run(all.toArray(String[]::new));
  }

  static Outcome compute(String input, Path out, String... more) {
    List<String> all = new ArrayList<>(List.of("--input", input));
    all.addAll(List.of(more));
    return compute(out, all);
  }

  static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Cli.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private static boolean isRoot() {
    try {
      return "0"
          .equals(
              new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes())
                  .trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Inputs ---------------------------------------------------------------------------------------

  static float[][] good() {
    return NaiveSimilarity.gaussian(N, D, 7);
  }

  private static float[][] with(float[][] e, int r, int c, float v) {
    e[r][c] = v;
    return e;
  }

  private static List<String> args(Object... args) {
    return Arrays.stream(args).map(Object::toString).toList();
  }

  private static List<String> input(Path file) {
    return args("--input", file);
  }

  private static List<String> withVocab(Path d, String name, byte[] vocab) throws IOException {
    Path e = NpyFiles.write(d.resolve("e.npy"), good());
    return args("--input", e, "--vocab", write(d, name, vocab));
  }

  private static byte[] tokens(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append("tok").append(i).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] invalidUtf8Vocab() {
    byte[] t = tokens(N);
    t[3] = (byte) 0xff;
    return t;
  }

  static Path write(Path dir, String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static byte[] cut(byte[] b, int less) {
    return Arrays.copyOf(b, b.length - less);
  }

  /** Text cut just before its last value, as a copy interrupted mid-line leaves it. */
  private static byte[] lastValueCut(byte[] b) {
    String s = new String(b, StandardCharsets.UTF_8);
    return s.substring(0, s.lastIndexOf(' ')).getBytes(StandardCharsets.UTF_8);
  }

  /** The same bytes with the last one changed: a Parquet file's trailing magic broken. */
  private static byte[] patchLast(byte[] b) {
    b[b.length - 1] = 'X';
    return b;
  }

  private static byte[] half(byte[] b) {
    return Arrays.copyOf(b, b.length / 2);
  }

  private static byte[] patch(byte[] b, int at, char c) {
    b[at] = (byte) c;
    return b;
  }

  static byte[] golden(String relative) {
    try {
      return Files.readAllBytes(
          Path.of(BadInputsTest.class.getResource("/golden/" + relative).toURI()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] npyBytes(float[][] e) throws IOException {
    Path f = Files.createTempFile("simheat-bad", ".npy");
    try {
      return Files.readAllBytes(NpyFiles.write(f, e));
    } finally {
      Files.delete(f);
    }
  }

  /** A version 1.0 npy of the given header (padded) and data. */
  private static byte[] npy(String header, byte[] data) {
    int pad = (64 - (10 + header.length() + 1) % 64) % 64;
    byte[] h = (header + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) h.length).put(h).put(data);
    return b.array();
  }

  /** A version 2.0 npy whose header length field says 2 GB. */
  private static byte[] npyHugeHeader() {
    ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put((byte) 0);
    b.putInt(0x80000000);
    b.put("{'descr': '<f4', ".getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  /** A safetensors file of a JSON header and {@code dataBytes} bytes of data. */
  private static byte[] safetensors(String json, int dataBytes) {
    byte[] h = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    return b.array();
  }

  private static byte[] safetensorsHeaderLength(long length) {
    byte[] b = golden("safetensors/single.safetensors");
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length);
    return b;
  }

  /** The golden f32.pt, deflated, with an entry's declared size overwritten. */
  private static byte[] bomb(String entry, long declared) throws IOException {
    Path f = Files.createTempFile("simheat-bad", ".pt");
    try {
      Files.write(f, golden("pt/f32.pt"));
      byte[] zip = ZipFixture.deflate(f);
      ZipFixture.declareSize(zip, entry, declared);
      return zip;
    } finally {
      Files.delete(f);
    }
  }

  /** A torch.save-like zip whose pickle is the given one. */
  private static byte[] evilPt(byte[] pickle) throws IOException {
    return ZipFixture.zip(
        ZipFixture.entry("archive/data.pkl", pickle, false),
        ZipFixture.entry("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII), false));
  }

  /** Protocol 2: {@code os.system("touch marker")} by GLOBAL and REDUCE. */
  private static byte[] globalPickle(Path marker) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x80, 2});
    b.writeBytes("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
    binUnicode(b, "touch " + marker);
    b.writeBytes(new byte[] {(byte) 0x85, 'R', '.'});
    return b.toByteArray();
  }

  /** Protocol 4: {@code builtins.exec("open(marker, 'w')")} by STACK_GLOBAL and REDUCE. */
  private static byte[] stackGlobalPickle(Path marker) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(new byte[] {(byte) 0x80, 4});
    shortBinUnicode(b, "builtins");
    shortBinUnicode(b, "exec");
    b.write(0x93);
    shortBinUnicode(b, "open('" + marker + "', 'w')");
    b.writeBytes(new byte[] {(byte) 0x85, 'R', '.'});
    return b.toByteArray();
  }

  private static void binUnicode(ByteArrayOutputStream b, String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    b.write('X');
    b.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(u.length).array());
    b.writeBytes(u);
  }

  private static void shortBinUnicode(ByteArrayOutputStream b, String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    b.write(0x8c);
    b.write(u.length);
    b.writeBytes(u);
  }

  /** word2vec text of a matrix, tokens tok0…, no header. */
  static byte[] textBytes(float[][] e) {
    StringBuilder b = new StringBuilder();
    for (int r = 0; r < e.length; r++) {
      b.append("tok").append(r);
      for (float v : e[r]) {
        b.append(' ').append(v);
      }
      b.append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** A one-file Parquet table of the good matrix (token, vector array<float>). */
  private static byte[] parquetBytes(Path d) throws IOException {
    float[][] e = good();
    List<Row> rows = new ArrayList<>();
    for (int r = 0; r < e.length; r++) {
      List<Float> v = new ArrayList<>();
      for (float x : e[r]) {
        v.add(x);
      }
      rows.add(RowFactory.create("tok" + r, v));
    }
    StructType schema =
        new StructType()
            .add("token", DataTypes.StringType)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false));
    Path dir = d.resolve("parquet-table");
    TestSpark.session().createDataFrame(rows, schema).coalesce(1).write().parquet(dir.toString());
    try (Stream<Path> s = Files.list(dir)) {
      Path part =
          s.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      return Files.readAllBytes(part);
    }
  }
}
