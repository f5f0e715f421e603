package org.simheat.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The scheduling examples in {@code conf/} stay runnable: the simheat arguments each one passes
 * parse with today's command line, and the Spark settings match the launcher's.
 */
class ConfExamplesTest {
  private static final Path CONF =
      Path.of(System.getProperty("user.dir")).getParent().resolve("conf");
  private static final Path LAUNCHER =
      Path.of(System.getProperty("user.dir")).getParent().resolve("bin/simheat");

  @Test
  void everyCrontabLineRunsAValidSimheatCommand() throws IOException {
    List<String> lines =
        Files.readAllLines(CONF.resolve("crontab")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(lines).hasSize(2);
    for (String line : lines) {
      List<String> words = shellWords(line);
      assertThat(words.subList(0, 5)).allMatch(f -> f.matches("[0-9*/,-]+"));
      assertThat(words.get(5)).endsWith("bin/simheat");
      int redirect = words.indexOf(">>");
      ParseResult parsed = parse(words.subList(6, redirect < 0 ? words.size() : redirect));
      assertThat(parsed.subcommand().commandSpec().name()).isIn("compute", "watch");
    }
  }

  @Test
  void theYarnExampleSubmitsTheJobInClusterMode() throws IOException {
    List<String> words = shellWords(joinContinuations(CONF.resolve("yarn-cluster.sh")));
    assertThat(valueOf(words, "--master")).isEqualTo("yarn");
    assertThat(valueOf(words, "--deploy-mode")).isEqualTo("cluster");
    assertThat(valueOf(words, "--class")).isEqualTo("org.simheat.jobs.Main");
    assertThat(parse(afterJar(words)).subcommand().commandSpec().name()).isEqualTo("compute");
  }

  @Test
  void theStandaloneExampleSubmitsTheJob() throws IOException {
    List<String> words = shellWords(joinContinuations(CONF.resolve("submit-cluster.sh")));
    assertThat(valueOf(words, "--class")).isEqualTo("org.simheat.jobs.Main");
    assertThat(parse(afterJar(words)).subcommand().commandSpec().name()).isEqualTo("compute");
  }

  @Test
  void theKubernetesCronJobSubmitsToAK8sMasterOneAtATime() throws IOException {
    Map<String, Object> cronJob = null;
    for (Object doc :
        new Yaml().loadAll(Files.readString(CONF.resolve("kubernetes/simheat-cronjob.yaml")))) {
      Map<String, Object> m = map(doc);
      if ("CronJob".equals(m.get("kind"))) {
        cronJob = m;
      }
    }
    assertThat(cronJob).isNotNull();
    assertThat(cronJob.get("apiVersion")).isEqualTo("batch/v1");
    Map<String, Object> spec = map(cronJob.get("spec"));
    assertThat(spec.get("concurrencyPolicy")).isEqualTo("Forbid");
    assertThat(((String) spec.get("schedule")).split(" ")).hasSize(5);
    Map<String, Object> pod =
        map(map(map(map(spec.get("jobTemplate")).get("spec")).get("template")).get("spec"));
    Map<String, Object> container = map(((List<?>) pod.get("containers")).get(0));
    assertThat(String.valueOf(container.get("command"))).isEqualTo("[/opt/spark/bin/spark-submit]");
    List<String> args = ((List<?>) container.get("args")).stream().map(String::valueOf).toList();
    assertThat(valueOf(args, "--master")).startsWith("k8s://");
    assertThat(valueOf(args, "--class")).isEqualTo("org.simheat.jobs.Main");
    assertThat(parse(afterJar(args)).subcommand().commandSpec().name()).isEqualTo("compute");
  }

  @Test
  void theAirflowDagPassesValidArgumentsToSparkSubmitOperator() throws IOException {
    String dag = Files.readString(CONF.resolve("airflow/simheat_dag.py"));
    assertThat(dag).contains("SparkSubmitOperator(", "java_class=\"org.simheat.jobs.Main\"");
    Matcher block = Pattern.compile("application_args=\\[(.*?)\\]", Pattern.DOTALL).matcher(dag);
    assertThat(block.find()).isTrue();
    List<String> args = new ArrayList<>();
    Matcher literal = Pattern.compile("\"([^\"]*)\"").matcher(block.group(1));
    while (literal.find()) {
      args.add(literal.group(1));
    }
    assertThat(parse(args).subcommand().commandSpec().name()).isEqualTo("compute");
  }

  @Test
  void sparkDefaultsGiveTheDriverTheLaunchersModuleFlags() throws IOException {
    String launcher = Files.readString(LAUNCHER);
    Matcher flags = Pattern.compile("SPARK_FLAGS=\\((.*?)\\n\\)", Pattern.DOTALL).matcher(launcher);
    assertThat(flags.find()).isTrue();
    List<String> expected = Arrays.asList(flags.group(1).trim().split("\\s+"));
    String driver =
        Files.readAllLines(CONF.resolve("spark-defaults.conf")).stream()
            .filter(l -> l.startsWith("spark.driver.extraJavaOptions"))
            .findFirst()
            .orElseThrow()
            .substring("spark.driver.extraJavaOptions".length())
            .trim();
    assertThat(driver.split("\\s+")).containsExactlyElementsOf(expected);
  }

  /** Parses simheat's arguments as {@code bin/simheat} and spark-submit pass them to Main. */
  private static ParseResult parse(List<String> args) {
    return new CommandLine(new Cli()).parseArgs(args.toArray(String[]::new));
  }

  /** The arguments after the application jar. */
  private static List<String> afterJar(List<String> words) {
    for (int i = 0; i < words.size(); i++) {
      if (words.get(i).endsWith("simheat-spark-jobs.jar")) {
        return words.subList(i + 1, words.size());
      }
    }
    throw new AssertionError("no simheat-spark-jobs.jar in " + words);
  }

  private static String valueOf(List<String> words, String option) {
    int i = words.indexOf(option);
    assertThat(i).as(option).isGreaterThanOrEqualTo(0);
    return words.get(i + 1);
  }

  /** The last command of a script, with its {@code \} line continuations joined. */
  private static String joinContinuations(Path script) throws IOException {
    String text = Files.readString(script).replace("\\\n", " ");
    String[] lines = text.split("\n");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) {
        return lines[i];
      }
    }
    throw new AssertionError("empty script " + script);
  }

  /** Splits a shell line into words: whitespace outside quotes; quotes removed. */
  private static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    char quote = 0;
    boolean inWord = false;
    for (char c : line.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }
}
