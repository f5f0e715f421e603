package org.simheat.jobs.input;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.simheat.jobs.input.TorchPickle.Tensor;

/**
 * The tensors of a loaded {@code .pt} object by dotted name (nested dict keys and list indices
 * joined with '.', a bare tensor under the empty name), and the choice of the one to read.
 */
final class PtTensorIndex {
  private static final int MAX_DEPTH = 64;
  private static final int MAX_LISTED = 20;

  private final Map<String, Tensor> tensors = new LinkedHashMap<>();
  private final Set<Object> visited = Collections.newSetFromMap(new IdentityHashMap<>());
  private final String uri;

  private PtTensorIndex(String uri) {
    this.uri = uri;
  }

  /**
   * Indexes every tensor reachable from the saved object through dicts and lists; a container
   * reached twice (the pickle memo can share or even nest one in itself) is visited once.
   *
   * @throws IllegalArgumentException if the object is neither a tensor nor a container of any
   */
  static PtTensorIndex of(Object root, String uri) {
    PtTensorIndex index = new PtTensorIndex(uri);
    index.collect("", root, 0);
    if (index.tensors.isEmpty()) {
      throw index.fail("the file holds no tensor");
    }
    return index;
  }

  /**
   * The tensor to read: the named one, or the only 2-D floating tensor when {@code name} is null.
   *
   * @return the name (empty for a bare tensor) and the tensor
   * @throws IllegalArgumentException if the name is unknown, several tensors fit without a name,
   *     none fits, or the chosen tensor is not 2-D or not floating
   */
  Map.Entry<String, Tensor> choose(String name) {
    if (name != null) {
      return check(named(name));
    }
    List<String> fits = fits();
    if (fits.size() == 1) {
      return Map.entry(fits.get(0), tensors.get(fits.get(0)));
    }
    if (fits.size() > 1) {
      throw fail(fits.size() + " 2-D tensors fit, choose one with --tensor: " + list(fits));
    }
    if (tensors.size() == 1) {
      return check(tensors.entrySet().iterator().next());
    }
    List<String> all =
        tensors.keySet().stream().map(n -> n + " " + summary(tensors.get(n))).toList();
    throw fail("no 2-D floating tensor in the file; tensors: " + list(all));
  }

  private Map.Entry<String, Tensor> named(String name) {
    Tensor t = tensors.get(name);
    if (t != null) {
      return Map.entry(name, t);
    }
    if (tensors.containsKey("")) {
      throw fail("no tensor '" + name + "' in the file; it holds a single unnamed tensor");
    }
    List<String> fits = fits();
    throw fail(
        "no tensor '"
            + name
            + "' in the file; 2-D tensors: "
            + (fits.isEmpty() ? "none" : list(fits)));
  }

  private Map.Entry<String, Tensor> check(Map.Entry<String, Tensor> e) {
    Tensor t = e.getValue();
    String what = e.getKey().isEmpty() ? "the tensor" : "tensor '" + e.getKey() + "'";
    if (t.size().length != 2) {
      int dims = t.size().length;
      throw fail(
          what
              + " has "
              + dims
              + (dims == 1 ? " dimension " : " dimensions ")
              + Arrays.toString(t.size())
              + ", expected 2");
    }
    if (t.storage().type().dtype() == null) {
      throw fail(
          what
              + " has unsupported dtype '"
              + t.storage().type().dtypeName()
              + "', expected float16, bfloat16, float32 or float64");
    }
    return e;
  }

  private List<String> fits() {
    return tensors.entrySet().stream()
        .filter(
            e -> e.getValue().size().length == 2 && e.getValue().storage().type().dtype() != null)
        .map(Map.Entry::getKey)
        .toList();
  }

  private void collect(String prefix, Object value, int depth) {
    if (value instanceof Tensor t) {
      tensors.put(prefix, t);
      return;
    }
    boolean container = value instanceof Map<?, ?> || value instanceof List<?>;
    if (!container || depth >= MAX_DEPTH || !visited.add(value)) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collect(join(prefix, String.valueOf(k)), v, depth + 1));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collect(join(prefix, Integer.toString(i)), list.get(i), depth + 1);
      }
    }
  }

  private static String join(String prefix, String key) {
    return prefix.isEmpty() ? key : prefix + "." + key;
  }

  private static String summary(Tensor t) {
    return t.storage().type().dtypeName() + " " + Arrays.toString(t.size());
  }

  private static String list(List<String> names) {
    List<String> shown = new ArrayList<>(names.subList(0, Math.min(names.size(), MAX_LISTED)));
    if (names.size() > MAX_LISTED) {
      shown.add("… (" + (names.size() - MAX_LISTED) + " more)");
    }
    return shown.stream().collect(Collectors.joining(", "));
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException("Cannot read embeddings: " + why + " (" + uri + ")");
  }
}
