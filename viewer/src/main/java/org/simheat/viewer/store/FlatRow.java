package org.simheat.viewer.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * One row of a flat table, reused from row to row: each requested top-level column is a scalar
 * (boolean, int, long, float, double, string; possibly null) or a list of numbers or strings,
 * whatever the list's nesting in the file (Spark's three-level lists included). Parquet's record
 * assembly pushes values into it through converters; readers then take what they need by the
 * column's index in their request. Not thread-safe: one instance per scan.
 */
public final class FlatRow extends RecordMaterializer<FlatRow> {
  private final long[] scalars;
  private final Binary[] binaries;
  private final float[][] floats;
  private final int[][] ints;
  private final Binary[][] strings;
  private final int[] sizes;
  private final boolean[] present;
  private final Root root;

  /**
   * A row of the requested columns, read through the projected schema.
   *
   * @param projection the file schema narrowed to the requested columns
   * @param columns requested top-level column names; indexes used by the accessors
   */
  FlatRow(MessageType projection, List<String> columns) {
    int n = columns.size();
    scalars = new long[n];
    binaries = new Binary[n];
    floats = new float[n][];
    ints = new int[n][];
    strings = new Binary[n][];
    sizes = new int[n];
    present = new boolean[n];
    Converter[] converters = new Converter[projection.getFieldCount()];
    for (int f = 0; f < converters.length; f++) {
      Type type = projection.getType(f);
      int slot = columns.indexOf(type.getName());
      converters[f] = type.isPrimitive() ? new Scalar(slot) : new Nested(type.asGroupType(), slot);
    }
    root = new Root(converters);
  }

  @Override
  public FlatRow getCurrentRecord() {
    return this;
  }

  @Override
  public GroupConverter getRootConverter() {
    return root;
  }

  /** An int column's value. */
  public int intValue(int column) {
    return (int) scalars[column];
  }

  /** A long (or int) column's value. */
  public long longValue(int column) {
    return scalars[column];
  }

  /** A boolean column's value. */
  public boolean booleanValue(int column) {
    return scalars[column] != 0;
  }

  /** Whether a scalar column is null in this row. */
  public boolean isNull(int column) {
    return !present[column];
  }

  /** A float column's value. */
  public float floatValue(int column) {
    return (float) Double.longBitsToDouble(scalars[column]);
  }

  /** A string column's raw UTF-8 bytes (valid until the next row). */
  public Binary binary(int column) {
    return binaries[column];
  }

  /** A string column's value. */
  public String string(int column) {
    return binaries[column].toStringUsingUTF8();
  }

  /** Elements in a list column. */
  public int listSize(int column) {
    return sizes[column];
  }

  /** A copy of a float list column. */
  public float[] floatList(int column) {
    return Arrays.copyOf(floats[column], sizes[column]);
  }

  /** Copies a float list column into {@code dst} at {@code offset}. */
  public void copyFloats(int column, float[] dst, int offset) {
    System.arraycopy(floats[column], 0, dst, offset, sizes[column]);
  }

  /** A copy of an int list column. */
  public int[] intList(int column) {
    return Arrays.copyOf(ints[column], sizes[column]);
  }

  /** A copy of a string list column. */
  public List<String> stringList(int column) {
    List<String> out = new ArrayList<>(sizes[column]);
    for (int k = 0; k < sizes[column]; k++) {
      out.add(strings[column][k].toStringUsingUTF8());
    }
    return out;
  }

  private void addListString(int slot, Binary v) {
    Binary[] a = strings[slot];
    if (a == null || sizes[slot] == a.length) {
      a =
          strings[slot] =
              Arrays.copyOf(a == null ? new Binary[0] : a, Math.max(4, 2 * sizes[slot]));
    }
    a[sizes[slot]++] = v.copy();
  }

  private void addListFloat(int slot, float v) {
    float[] a = floats[slot];
    if (a == null || sizes[slot] == a.length) {
      a = floats[slot] = Arrays.copyOf(a == null ? new float[0] : a, Math.max(16, 2 * sizes[slot]));
    }
    a[sizes[slot]++] = v;
  }

  private void addListInt(int slot, int v) {
    int[] a = ints[slot];
    if (a == null || sizes[slot] == a.length) {
      a = ints[slot] = Arrays.copyOf(a == null ? new int[0] : a, Math.max(16, 2 * sizes[slot]));
    }
    a[sizes[slot]++] = v;
  }

  /** The record: resets list sizes at the start of every row. */
  private final class Root extends GroupConverter {
    private final Converter[] children;

    Root(Converter[] children) {
      this.children = children;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return children[fieldIndex];
    }

    @Override
    public void start() {
      Arrays.fill(sizes, 0);
      Arrays.fill(present, false);
    }

    @Override
    public void end() {
      // The row is complete; readers take it from getCurrentRecord().
    }
  }

  /** A top-level primitive column. */
  private final class Scalar extends PrimitiveConverter {
    private final int slot;

    Scalar(int slot) {
      this.slot = slot;
    }

    @Override
    public void addBoolean(boolean value) {
      set(value ? 1 : 0);
    }

    @Override
    public void addInt(int value) {
      set(value);
    }

    @Override
    public void addLong(long value) {
      set(value);
    }

    @Override
    public void addFloat(float value) {
      set(Double.doubleToRawLongBits(value));
    }

    @Override
    public void addDouble(double value) {
      set(Double.doubleToRawLongBits(value));
    }

    @Override
    public void addBinary(Binary value) {
      binaries[slot] = value;
      present[slot] = true;
    }

    private void set(long bits) {
      scalars[slot] = bits;
      present[slot] = true;
    }
  }

  /** Any group under a top-level column: every primitive inside lands in that column's list. */
  private final class Nested extends GroupConverter {
    private final Converter[] children;

    Nested(GroupType group, int slot) {
      children = new Converter[group.getFieldCount()];
      for (int f = 0; f < children.length; f++) {
        Type t = group.getType(f);
        children[f] = t.isPrimitive() ? new Element(slot) : new Nested(t.asGroupType(), slot);
      }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return children[fieldIndex];
    }

    @Override
    public void start() {
      // Lists accumulate across their repeated groups.
    }

    @Override
    public void end() {
      // Nothing to finish.
    }
  }

  /** A list element. */
  private final class Element extends PrimitiveConverter {
    private final int slot;

    Element(int slot) {
      this.slot = slot;
    }

    @Override
    public void addInt(int value) {
      addListInt(slot, value);
    }

    @Override
    public void addFloat(float value) {
      addListFloat(slot, value);
    }

    @Override
    public void addDouble(double value) {
      addListFloat(slot, (float) value);
    }

    @Override
    public void addBinary(Binary value) {
      addListString(slot, value);
    }
  }
}
