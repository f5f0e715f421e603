package org.simheat.viewer.store;

import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.Type;

/**
 * A converter tree of a schema that drops every value: parquet-java's column readers need one, but
 * {@link ParquetTable#scanColumns} pulls values from the readers instead of pushing them into
 * converters.
 */
final class IgnoringConverter extends GroupConverter {
  private static final PrimitiveConverter DROP = new PrimitiveConverter() {};

  private final Converter[] children;

  private IgnoringConverter(GroupType group) {
    children = new Converter[group.getFieldCount()];
    for (int f = 0; f < children.length; f++) {
      Type t = group.getType(f);
      children[f] = t.isPrimitive() ? DROP : new IgnoringConverter(t.asGroupType());
    }
  }

  /** The converter tree of {@code schema}. */
  static IgnoringConverter of(GroupType schema) {
    return new IgnoringConverter(schema);
  }

  @Override
  public Converter getConverter(int fieldIndex) {
    return children[fieldIndex];
  }

  @Override
  public void start() {
    // Nothing is assembled.
  }

  @Override
  public void end() {
    // Nothing is assembled.
  }
}
