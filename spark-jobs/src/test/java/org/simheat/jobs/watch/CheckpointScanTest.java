package org.simheat.jobs.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a watch covers, and when a checkpoint's state changes. */
class CheckpointScanTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  private static List<String> names(List<CheckpointScan.Checkpoint> found) {
    return found.stream().map(c -> c.uri().substring(c.uri().lastIndexOf('/') + 1)).toList();
  }

  private Path touch(String name, String content) throws IOException {
    Path p = tmp.resolve(name);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, content);
  }

  @Test
  void aDirectoryGivesItsMatrixFilesButNotShardsHiddenFilesOrSubdirectories() throws IOException {
    for (String f :
        List.of(
            "a.npy",
            "b.pt",
            "c.safetensors",
            "d.onnx",
            "e.parquet",
            "vocab.txt",
            "tokenizer.json",
            ".f.npy",
            "sub/g.npy")) {
      touch("ckpt/" + f, "x");
    }
    assertThat(names(new CheckpointScan(tmp.resolve("ckpt").toString(), null, CONF).scan()))
        .containsExactly("a.npy", "b.pt", "c.safetensors", "d.onnx", "e.parquet");
    for (String f :
        List.of(
            "model.safetensors.index.json",
            "model-00001-of-00002.safetensors",
            "model-00002-of-00002.safetensors")) {
      touch("sharded/" + f, "x");
    }
    List<CheckpointScan.Checkpoint> sharded =
        new CheckpointScan(tmp.resolve("sharded").toString(), null, CONF).scan();
    assertThat(names(sharded)).containsExactly("model.safetensors.index.json");
    String before = sharded.get(0).state();
    touch("sharded/model-00002-of-00002.safetensors", "xy");
    assertThat(new CheckpointScan(tmp.resolve("sharded").toString(), null, CONF).scan())
        .singleElement()
        .extracting(CheckpointScan.Checkpoint::state)
        .as("a shard that grows changes the checkpoint")
        .isNotEqualTo(before);
  }

  @Test
  void aGlobGivesTheFilesItMatches() throws IOException {
    touch("runs/step-1/model.npy", "x");
    touch("runs/step-2/model.npy", "x");
    touch("runs/step-2/other.npy", "x");
    touch("runs/step-3/model.npy/inner", "x");
    List<CheckpointScan.Checkpoint> found =
        new CheckpointScan(tmp.resolve("runs").toString() + "/*/model.npy", null, CONF).scan();
    assertThat(found)
        .extracting(CheckpointScan.Checkpoint::uri)
        .containsExactly(
            "file:" + tmp.resolve("runs/step-1/model.npy"),
            "file:" + tmp.resolve("runs/step-2/model.npy"));
    assertThat(new CheckpointScan(tmp + "/nothing/*.npy", null, CONF).scan()).isEmpty();
  }

  @Test
  void theStateFollowsSizeTimeAndTheFileBeside() throws IOException {
    Path m = touch("c/model.npy", "abc");
    CheckpointScan scan = new CheckpointScan(tmp.resolve("c").toString(), "tokenizer.json", CONF);
    String first = scan.scan().get(0).state();
    assertThat(scan.scan().get(0).state()).isEqualTo(first);
    Files.setLastModifiedTime(m, FileTime.from(Instant.now().minusSeconds(100)));
    String older = scan.scan().get(0).state();
    assertThat(older).isNotEqualTo(first);
    touch("c/tokenizer.json", "{}");
    assertThat(scan.scan().get(0).state()).isNotEqualTo(older);
    assertThat(scan.scan().get(0).mtime())
        .isEqualTo(Files.getLastModifiedTime(tmp.resolve("c/tokenizer.json")).toMillis());
  }

  @Test
  void aMissingDirectoryIsOneLine() {
    Path missing = tmp.resolve("missing");
    assertThatThrownBy(() -> new CheckpointScan(missing.toString(), null, CONF).scan())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot watch " + missing + ": no such directory or file");
  }
}
