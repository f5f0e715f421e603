package org.simheat.jobs.input;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.simheat.jobs.input.RestrictedUnpickler.PickleFunction;

/**
 * The allow-list that gives meaning to the imports of a {@code torch.save} pickle: tensors and
 * parameters become {@link Tensor} descriptors of a storage view, storages become {@link Storage}
 * references to a zip entry, {@code OrderedDict} becomes a map. Any other import is refused before
 * anything is built, so a hostile pickle can never run code.
 */
final class TorchPickle implements RestrictedUnpickler.Resolver {
  /**
   * A storage: the zip entry {@code data/<key>} holding {@code numel} elements of {@code type}.
   *
   * @param key the entry name under {@code data/}
   * @param type the element type
   * @param numel the element count the pickle declares
   */
  record Storage(String key, TorchElement type, long numel) {}

  /**
   * A tensor as a view of a storage: element (i₀, i₁, …) is storage element {@code offset + Σ
   * iₖ·stride[k]}.
   *
   * @param storage where the elements live
   * @param offset the storage offset, in elements
   * @param size the shape
   * @param stride the strides, in elements
   */
  record Tensor(Storage storage, long offset, long[] size, long[] stride) {}

  private final Map<String, Object> allowed = new LinkedHashMap<>();
  private final String uri;

  private TorchPickle(String uri) {
    this.uri = uri;
    allowed.put("collections.OrderedDict", (PickleFunction) this::orderedDict);
    allowed.put("torch._utils._rebuild_tensor_v2", (PickleFunction) this::rebuildTensor);
    allowed.put("torch._utils._rebuild_parameter", (PickleFunction) this::rebuildParameter);
    allowed.put(
        "torch._utils._rebuild_parameter_with_state", (PickleFunction) this::rebuildParameter);
    for (TorchElement e : TorchElement.values()) {
      for (String storage : e.storageClasses()) {
        allowed.put("torch." + storage, e);
      }
      allowed.put("torch." + e.dtypeName(), e);
    }
    allowed.put("torch.storage.UntypedStorage", TorchElement.UINT8);
  }

  /**
   * Interprets a {@code data.pkl}.
   *
   * @return the saved object: a {@link Tensor}, a map, a list or a scalar
   * @throws IllegalArgumentException if the pickle is malformed or imports anything outside the
   *     allow-list (naming the import)
   */
  static Object load(byte[] pickle, String uri) {
    return RestrictedUnpickler.load(pickle, new TorchPickle(uri), uri);
  }

  @Override
  public Object global(String module, String name) {
    String qualified = module + "." + name;
    Object value = allowed.get(qualified);
    if (value == null) {
      throw fail("the pickle imports '" + qualified + "', which is not a tensor");
    }
    return value;
  }

  @Override
  public Object persistent(Object pid) {
    if (pid instanceof List<?> t
        && t.size() == 5
        && "storage".equals(t.get(0))
        && t.get(1) instanceof TorchElement type
        && t.get(2) instanceof String key
        && t.get(4) instanceof Long numel
        && numel >= 0) {
      return new Storage(key, type, numel);
    }
    throw fail("the pickle has a persistent id that is not a torch storage: " + shorten(pid));
  }

  private Object orderedDict(List<Object> args) {
    Map<Object, Object> map = new LinkedHashMap<>();
    if (args.isEmpty()) {
      return map;
    }
    if (args.size() == 1 && args.get(0) instanceof List<?> pairs) {
      for (Object pair : pairs) {
        if (!(pair instanceof List<?> kv) || kv.size() != 2) {
          throw fail("the pickle builds an OrderedDict from something other than pairs");
        }
        map.put(kv.get(0), kv.get(1));
      }
      return map;
    }
    throw fail("the pickle builds an OrderedDict from " + args.size() + " arguments");
  }

  /**
   * {@code _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])}.
   */
  private Object rebuildTensor(List<Object> args) {
    if ((args.size() != 6 && args.size() != 7)
        || !(args.get(0) instanceof Storage storage)
        || !(args.get(1) instanceof Long offset)
        || offset < 0) {
      throw fail("the pickle calls _rebuild_tensor_v2 with unexpected arguments");
    }
    long[] size = longs(args.get(2), "size");
    long[] stride = longs(args.get(3), "stride");
    if (size.length != stride.length) {
      throw fail("a tensor has " + size.length + " sizes but " + stride.length + " strides");
    }
    return new Tensor(storage, offset, size, stride);
  }

  /** {@code _rebuild_parameter(data, requires_grad, hooks[, state])}: the parameter's data. */
  private Object rebuildParameter(List<Object> args) {
    if ((args.size() != 3 && args.size() != 4) || !(args.get(0) instanceof Tensor data)) {
      throw fail("the pickle calls _rebuild_parameter with unexpected arguments");
    }
    return data;
  }

  private long[] longs(Object value, String what) {
    if (!(value instanceof List<?> list)) {
      throw fail("a tensor's " + what + " is not a tuple");
    }
    long[] out = new long[list.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(list.get(i) instanceof Long v) || v < 0) {
        throw fail("a tensor's " + what + " holds " + shorten(list.get(i)));
      }
      out[i] = v;
    }
    return out;
  }

  private static String shorten(Object o) {
    String s = String.valueOf(o);
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException("Cannot read embeddings: " + why + " (" + uri + ")");
  }
}
