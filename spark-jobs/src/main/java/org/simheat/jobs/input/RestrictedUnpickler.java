package org.simheat.jobs.input;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pickle interpreter that builds plain values and never runs Python: it knows the opcodes {@code
 * torch.save} emits (protocol 2, plus FRAME and MEMOIZE from later protocols) and hands every
 * import and persistent id to a {@link Resolver}, which alone decides what a name means.
 *
 * <p>Values: None → null, bool → Boolean, int → Long (or BigInteger past 64 bits), float → Double,
 * str → String, dict → LinkedHashMap, list → ArrayList, tuple → an unmodifiable List. REDUCE calls
 * only {@link PickleFunction}s the resolver returned; BUILD keeps its target and drops the state,
 * since no object here has attributes to set.
 */
final class RestrictedUnpickler {
  /** Something a REDUCE may call: the resolver's stand-in for an allowed Python callable. */
  @FunctionalInterface
  interface PickleFunction {
    Object call(List<Object> args);
  }

  /** Gives meaning to imports and persistent ids; throws to refuse one. */
  interface Resolver {
    Object global(String module, String name);

    Object persistent(Object pid);
  }

  private final ByteBuffer in;
  private final Resolver resolver;
  private final String uri;
  private final List<Object> stack = new ArrayList<>();
  private final Deque<Integer> marks = new ArrayDeque<>();
  private final Map<Long, Object> memo = new HashMap<>();

  private RestrictedUnpickler(byte[] data, Resolver resolver, String uri) {
    this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    this.resolver = resolver;
    this.uri = uri;
  }

  /**
   * Interprets a pickle up to its STOP opcode.
   *
   * @param uri the file, for messages
   * @return the pickled object
   * @throws IllegalArgumentException if the pickle is truncated, malformed, uses an opcode outside
   *     the supported set, or the resolver refuses an import
   */
  static Object load(byte[] data, Resolver resolver, String uri) {
    RestrictedUnpickler u = new RestrictedUnpickler(data, resolver, uri);
    try {
      return u.run();
    } catch (BufferUnderflowException e) {
      throw u.fail("the pickle data.pkl is truncated");
    } catch (ClassCastException | IndexOutOfBoundsException e) {
      throw u.fail("the pickle data.pkl is malformed near byte " + u.in.position());
    }
  }

  private Object run() {
    while (true) {
      int at = in.position();
      int op = in.get() & 0xff;
      if (op == '.') {
        return pop();
      }
      if (!construct(op) && !scalar(op) && !memory(op)) {
        throw fail(
            String.format(
                "the pickle uses opcode 0x%02x at byte %d, which is not supported", op, at));
      }
    }
  }

  /** Opcodes that build containers and call functions. */
  private boolean construct(int op) {
    switch (op) {
      case '}' -> stack.add(new LinkedHashMap<>());
      case ']' -> stack.add(new ArrayList<>());
      case ')' -> stack.add(List.of());
      case '(' -> marks.push(stack.size());
      case 't' -> stack.add(tuple(popMark()));
      case 0x85 -> stack.add(tuple(popN(1)));
      case 0x86 -> stack.add(tuple(popN(2)));
      case 0x87 -> stack.add(tuple(popN(3)));
      case 'c' -> stack.add(resolver.global(line(), line()));
      case 0x93 -> stackGlobal();
      case 'Q' -> stack.add(resolver.persistent(pop()));
      case 'R' -> reduce();
      case 'b' -> build();
      case 's' -> setItems(popN(2));
      case 'u' -> setItems(popMark());
      case 'a' -> appendItems(popN(1));
      case 'e' -> appendItems(popMark());
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Opcodes that push a scalar, plus PROTO and FRAME. */
  private boolean scalar(int op) {
    switch (op) {
      case 0x80 -> protocol(in.get() & 0xff);
      case 0x95 -> in.getLong();
      case 'X' -> stack.add(string(in.getInt() & 0xffffffffL));
      case 0x8c -> stack.add(string(in.get() & 0xff));
      case 0x8d -> stack.add(string(in.getLong()));
      case 'J' -> stack.add((long) in.getInt());
      case 'K' -> stack.add((long) (in.get() & 0xff));
      case 'M' -> stack.add((long) (in.getShort() & 0xffff));
      case 0x8a -> stack.add(long1(in.get() & 0xff));
      case 'G' -> stack.add(Double.longBitsToDouble(Long.reverseBytes(in.getLong())));
      case 'N' -> stack.add(null);
      case 0x88 -> stack.add(Boolean.TRUE);
      case 0x89 -> stack.add(Boolean.FALSE);
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Memo opcodes. */
  private boolean memory(int op) {
    switch (op) {
      case 'q' -> memo.put((long) (in.get() & 0xff), peek());
      case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek());
      case 0x94 -> memo.put((long) memo.size(), peek());
      case 'h' -> stack.add(recall(in.get() & 0xff));
      case 'j' -> stack.add(recall(in.getInt() & 0xffffffffL));
      default -> {
        return false;
      }
    }
    return true;
  }

  private void protocol(int version) {
    if (version > 5) {
      throw fail("the pickle uses protocol " + version + ", expected 2 to 5");
    }
  }

  private void stackGlobal() {
    Object name = pop();
    Object module = pop();
    if (!(module instanceof String m) || !(name instanceof String n)) {
      throw fail("the pickle's STACK_GLOBAL takes non-string names");
    }
    stack.add(resolver.global(m, n));
  }

  private void reduce() {
    Object args = pop();
    Object callee = pop();
    if (!(callee instanceof PickleFunction f) || !(args instanceof List<?>)) {
      throw fail("the pickle calls " + kind(callee) + ", which may not be called");
    }
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) args;
    stack.add(f.call(list));
  }

  private void build() {
    pop();
    peek();
  }

  private void setItems(List<Object> items) {
    if (!(peek() instanceof Map<?, ?>) || items.size() % 2 != 0) {
      throw fail("the pickle sets items on " + kind(peek()) + ", which is not a dict");
    }
    @SuppressWarnings("unchecked")
    Map<Object, Object> dict = (Map<Object, Object>) peek();
    for (int i = 0; i < items.size(); i += 2) {
      Object key = items.get(i);
      if (key != null
          && !(key instanceof String || key instanceof Number || key instanceof Boolean)) {
        throw fail("the pickle uses " + kind(key) + " as a dict key, expected a string or number");
      }
      dict.put(key, items.get(i + 1));
    }
  }

  private void appendItems(List<Object> items) {
    if (!(peek() instanceof ArrayList<?>)) {
      throw fail("the pickle appends to " + kind(peek()) + ", which is not a list");
    }
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) peek();
    list.addAll(items);
  }

  private String line() {
    int start = in.position();
    int end = start;
    while (end < in.limit() && in.get(end) != '\n') {
      end++;
    }
    if (end == in.limit()) {
      throw new BufferUnderflowException();
    }
    in.position(end + 1);
    return new String(in.array(), start, end - start, StandardCharsets.UTF_8);
  }

  private String string(long len) {
    if (len < 0 || len > in.remaining()) {
      throw new BufferUnderflowException();
    }
    String s = new String(in.array(), in.position(), (int) len, StandardCharsets.UTF_8);
    in.position(in.position() + (int) len);
    return s;
  }

  private Number long1(int n) {
    byte[] le = new byte[n];
    in.get(le);
    byte[] be = new byte[n];
    for (int i = 0; i < n; i++) {
      be[i] = le[n - 1 - i];
    }
    BigInteger v = n == 0 ? BigInteger.ZERO : new BigInteger(be);
    return v.bitLength() < 64 ? (Number) v.longValue() : v;
  }

  private Object recall(long key) {
    if (!memo.containsKey(key)) {
      throw fail("the pickle recalls memo entry " + key + ", which was never stored");
    }
    return memo.get(key);
  }

  private static List<Object> tuple(List<Object> items) {
    return Collections.unmodifiableList(items);
  }

  private Object peek() {
    if (stack.isEmpty() || (!marks.isEmpty() && marks.peek() == stack.size())) {
      throw fail("the pickle is malformed: its stack is empty at byte " + in.position());
    }
    return stack.get(stack.size() - 1);
  }

  private Object pop() {
    Object top = peek();
    stack.remove(stack.size() - 1);
    return top;
  }

  private List<Object> popN(int n) {
    List<Object> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(0, pop());
    }
    return items;
  }

  private List<Object> popMark() {
    if (marks.isEmpty()) {
      throw fail("the pickle is malformed: no MARK before byte " + in.position());
    }
    int mark = marks.pop();
    List<Object> tail = stack.subList(mark, stack.size());
    List<Object> items = new ArrayList<>(tail);
    tail.clear();
    return items;
  }

  private static String kind(Object o) {
    return o == null ? "None" : "a value of type " + o.getClass().getSimpleName();
  }

  private IllegalArgumentException fail(String why) {
    return new IllegalArgumentException("Cannot read embeddings: " + why + " (" + uri + ")");
  }
}
