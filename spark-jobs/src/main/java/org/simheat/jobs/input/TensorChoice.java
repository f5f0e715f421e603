package org.simheat.jobs.input;

import java.util.Arrays;
import java.util.List;

/**
 * Picks the tensor to read from a file that holds several (safetensors, ONNX): the named one, or
 * the only 2-D floating one when no name is given, failing with the candidates listed otherwise.
 */
final class TensorChoice {
  /**
   * A tensor as a file's header describes it.
   *
   * @param name the tensor's name in the file
   * @param shape its dimensions
   * @param dtype its element type as the format spells it
   * @param floating whether that element type is one the readers decode
   */
  record Candidate(String name, long[] shape, String dtype, boolean floating) {
    boolean fits() {
      return shape.length == 2 && floating;
    }

    String shapeText() {
      return Arrays.toString(shape).replace(" ", "");
    }
  }

  private TensorChoice() {}

  /**
   * Chooses a tensor.
   *
   * @param all every tensor in the file, in file order
   * @param requested the name asked for, or null to take the only one that fits
   * @param expected the supported element types, for messages (e.g. "F16, BF16, F32 or F64")
   * @param file the file, for messages
   * @return the chosen candidate, which is 2-D and floating
   * @throws IllegalArgumentException if the name is unknown, the named tensor is not a 2-D floating
   *     tensor, or no name is given and not exactly one tensor fits
   */
  static Candidate choose(List<Candidate> all, String requested, String expected, String file) {
    return requested == null ? only(all, file) : named(all, requested, expected, file);
  }

  private static Candidate named(
      List<Candidate> all, String requested, String expected, String file) {
    Candidate c =
        all.stream()
            .filter(t -> t.name().equals(requested))
            .findFirst()
            .orElseThrow(
                () ->
                    error(
                        "no tensor '" + requested + "' in the file; 2-D tensors: " + fitting(all),
                        file));
    if (c.shape().length != 2) {
      throw error(
          "tensor '" + c.name() + "' has shape " + c.shapeText() + ", expected a 2-D matrix", file);
    }
    if (!c.floating()) {
      throw error(
          "tensor '"
              + c.name()
              + "' has unsupported dtype '"
              + c.dtype()
              + "', expected "
              + expected,
          file);
    }
    return c;
  }

  private static Candidate only(List<Candidate> all, String file) {
    List<Candidate> fit = all.stream().filter(Candidate::fits).toList();
    if (fit.size() == 1) {
      return fit.get(0);
    }
    if (fit.isEmpty()) {
      throw error("no 2-D floating tensor in the file; tensors: " + described(all), file);
    }
    throw error(fit.size() + " 2-D tensors fit, choose one with --tensor: " + fitting(all), file);
  }

  private static String fitting(List<Candidate> all) {
    return listed(all.stream().filter(Candidate::fits).map(Candidate::name).toList());
  }

  private static String described(List<Candidate> all) {
    return listed(all.stream().map(t -> t.name() + " " + t.shapeText() + " " + t.dtype()).toList());
  }

  private static String listed(List<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  static IllegalArgumentException error(String why, String file) {
    return new IllegalArgumentException("Cannot read embeddings: " + why + " (" + file + ")");
  }
}
