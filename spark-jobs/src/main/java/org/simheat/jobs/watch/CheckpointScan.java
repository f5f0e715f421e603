package org.simheat.jobs.watch;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists the checkpoints a watch covers: every matrix file directly in a directory, or every file a
 * Hadoop glob matches ({@code /ckpt/*}{@code /model.safetensors}).
 *
 * <p>In a directory, a file counts when its name ends {@code .npy}, {@code .pt}, {@code
 * .safetensors}, {@code .onnx}, {@code .parquet} or {@code .safetensors.index.json}; the {@code
 * .safetensors} shards beside an index are parts of that index's checkpoint, not checkpoints. Each
 * checkpoint carries a state, the sizes and modification times of all its files (its shards, and
 * the vocabulary beside it when one is named): a state that stays the same over a poll interval
 * means the writer is done.
 */
public final class CheckpointScan {
  private static final String INDEX = ".safetensors.index.json";
  private static final List<String> MATRIX_ENDINGS =
      List.of(".npy", ".pt", ".safetensors", ".onnx", ".parquet", INDEX);
  private static final String GLOB_CHARS = "*?[{";

  private final String input;
  private final String besideName;
  private final Configuration conf;

  /**
   * A checkpoint found by a scan.
   *
   * @param uri the file to compute
   * @param mtime its modification time (the newest of its files), for the order of computing
   * @param state sizes and times of its files; any change to them changes it
   */
  public record Checkpoint(String uri, long mtime, String state) {}

  /**
   * @param input a directory, or a glob of files
   * @param besideName the name of a file in each checkpoint's directory that is part of it (its
   *     vocabulary), or null
   */
  public CheckpointScan(String input, String besideName, Configuration conf) {
    this.input = input;
    this.besideName = besideName;
    this.conf = conf;
  }

  /**
   * The checkpoints there now, by path.
   *
   * @throws UncheckedIOException if the directory or glob cannot be listed
   */
  public List<Checkpoint> scan() {
    try {
      Path path = new Path(input);
      FileSystem fs = path.getFileSystem(conf);
      List<FileStatus> files = isGlob(input) ? glob(fs, path) : directory(fs, path);
      List<Checkpoint> found = new ArrayList<>();
      for (FileStatus f : files) {
        found.add(checkpoint(fs, f));
      }
      found.sort(Comparator.comparing(Checkpoint::uri));
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + input + ": " + e.getMessage(), e);
    }
  }

  private static boolean isGlob(String s) {
    return s.chars().anyMatch(c -> GLOB_CHARS.indexOf(c) >= 0);
  }

  private static List<FileStatus> glob(FileSystem fs, Path pattern) throws IOException {
    FileStatus[] matches = fs.globStatus(pattern);
    if (matches == null) {
      return List.of();
    }
    return Arrays.stream(matches).filter(FileStatus::isFile).toList();
  }

  private static List<FileStatus> directory(FileSystem fs, Path dir) throws IOException {
    FileStatus[] children;
    try {
      children = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("Cannot watch " + dir + ": no such directory or file");
    }
    boolean sharded = Arrays.stream(children).anyMatch(c -> name(c).endsWith(INDEX));
    List<FileStatus> files = new ArrayList<>();
    for (FileStatus c : children) {
      String name = name(c);
      boolean matrix = MATRIX_ENDINGS.stream().anyMatch(name::endsWith);
      boolean shard = sharded && name.endsWith(".safetensors");
      if (c.isFile() && matrix && !shard && !name.startsWith(".")) {
        files.add(c);
      }
    }
    return files;
  }

  private Checkpoint checkpoint(FileSystem fs, FileStatus file) throws IOException {
    List<FileStatus> parts = new ArrayList<>(List.of(file));
    Path dir = file.getPath().getParent();
    if (name(file).endsWith(INDEX)) {
      for (FileStatus c : fs.listStatus(dir)) {
        if (c.isFile() && name(c).endsWith(".safetensors")) {
          parts.add(c);
        }
      }
    }
    if (besideName != null) {
      try {
        parts.add(fs.getFileStatus(new Path(dir, besideName)));
      } catch (FileNotFoundException e) {
        // not there (yet): the compute says so, and its arrival changes the state
      }
    }
    StringBuilder state = new StringBuilder();
    long mtime = 0;
    for (FileStatus p : parts) {
      state.append(
          String.format(Locale.ROOT, "%s:%d:%d;", name(p), p.getLen(), p.getModificationTime()));
      mtime = Math.max(mtime, p.getModificationTime());
    }
    return new Checkpoint(file.getPath().toString(), mtime, state.toString());
  }

  private static String name(FileStatus s) {
    return s.getPath().getName();
  }
}
