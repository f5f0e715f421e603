package org.simheat.jobs.input;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * Reads word2vec and GloVe text embeddings: UTF-8 lines {@code token v1 … vd}, fields separated by
 * spaces or tabs, with word2vec's optional {@code N d} header line.
 *
 * <p>The first line is a header when it holds exactly two non-negative integers; then the file must
 * have N rows of d values. Without one, the first row sets d. Empty lines at the end are ignored,
 * elsewhere they are errors. Values parse as Java's {@link Float#parseFloat} does, plus numpy's
 * {@code nan}, {@code inf} and {@code -inf}; NaN and infinities pass through for the job to judge.
 * Errors name the 1-based line and, for a bad value, the 1-based column counting the token as
 * column 1. The whole matrix is parsed into memory on the driver.
 */
public final class TextEmbeddingReader {
  private static final String PREFIX = "Cannot read embeddings: ";

  private final String uri;
  private final List<String> tokens = new ArrayList<>();
  private MatrixBuilder values;
  private int[] bounds = new int[64];
  private int dim = -1;
  private long headerRows = -1;
  private long firstEmptyLine;

  private TextEmbeddingReader(String uri) {
    this.uri = uri;
  }

  /**
   * Reads a whole text embedding file.
   *
   * @param uri a bare local path or a Hadoop file system URI
   * @return the matrix and its tokens, one per row in file order
   * @throws IllegalArgumentException if the file is missing, empty, not UTF-8, ragged, holds a
   *     value that is not a number, or disagrees with its header (naming the line and the file)
   * @throws UncheckedIOException if the file system fails
   */
  public static LabeledMatrix read(String uri, Configuration conf) {
    try (Utf8LineReader lines = Utf8LineReader.open(uri, conf, PREFIX)) {
      return new TextEmbeddingReader(uri).parse(lines);
    } catch (IOException e) {
      throw new UncheckedIOException(PREFIX + e.getMessage() + " (" + uri + ")", e);
    }
  }

  private LabeledMatrix parse(Utf8LineReader lines) throws IOException {
    String line;
    while ((line = lines.readLine()) != null) {
      long number = lines.lineNumber();
      int fields = split(line);
      if (fields == 0) {
        firstEmptyLine = firstEmptyLine == 0 ? number : firstEmptyLine;
      } else if (firstEmptyLine != 0) {
        throw error("line " + firstEmptyLine + " is empty");
      } else if (number == 1 && isHeader(line, fields)) {
        readHeader(line);
      } else {
        addRow(line, fields, number);
      }
    }
    return finish();
  }

  /** Finds the fields of a line; {@code bounds} holds start and end of each. */
  private int split(String line) {
    int fields = 0;
    int i = 0;
    int n = line.length();
    while (true) {
      while (i < n && isSeparator(line.charAt(i))) {
        i++;
      }
      if (i == n) {
        return fields;
      }
      int start = i;
      while (i < n && !isSeparator(line.charAt(i))) {
        i++;
      }
      if (2 * fields + 2 > bounds.length) {
        bounds = Arrays.copyOf(bounds, 2 * bounds.length);
      }
      bounds[2 * fields] = start;
      bounds[2 * fields + 1] = i;
      fields++;
    }
  }

  private static boolean isSeparator(char c) {
    return c == ' ' || c == '\t';
  }

  private boolean isHeader(String line, int fields) {
    return fields == 2 && isDigits(line, 0) && isDigits(line, 1);
  }

  private boolean isDigits(String line, int field) {
    for (int i = bounds[2 * field]; i < bounds[2 * field + 1]; i++) {
      if (line.charAt(i) < '0' || line.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private void readHeader(String line) {
    long rows = headerNumber(line, 0);
    long columns = headerNumber(line, 1);
    if (columns > Integer.MAX_VALUE) {
      throw error("the header says " + columns + " columns, too many");
    }
    headerRows = rows;
    dim = (int) columns;
    values = new MatrixBuilder(rows * columns, uri);
  }

  private long headerNumber(String line, int field) {
    String text = line.substring(bounds[2 * field], bounds[2 * field + 1]);
    try {
      long value = Long.parseLong(text);
      if (value <= MatrixBuilder.MAX_VALUES) {
        return value;
      }
    } catch (NumberFormatException e) {
      // too long for a long: reported below
    }
    throw error("the header's " + text + " is too large");
  }

  private void addRow(String line, int fields, long number) {
    int count = fields - 1;
    if (count == 0) {
      throw error("line " + number + " has a token but no values");
    }
    if (dim < 0) {
      dim = count;
      values = new MatrixBuilder(0, uri);
    } else if (count != dim) {
      String source = headerRows >= 0 ? " as the header says" : "";
      throw error("line " + number + " has " + count + " values, expected " + dim + source);
    }
    if (headerRows >= 0 && tokens.size() == headerRows) {
      throw error("the header says " + headerRows + " rows but the file has more");
    }
    tokens.add(line.substring(bounds[0], bounds[1]));
    for (int f = 1; f < fields; f++) {
      values.add(parseValue(line, f, number));
    }
  }

  private float parseValue(String line, int field, long number) {
    String text = line.substring(bounds[2 * field], bounds[2 * field + 1]);
    try {
      return FloatText.parse(text);
    } catch (NumberFormatException e) {
      throw error(
          "line " + number + ", column " + (field + 1) + ": '" + text + "' is not a number");
    }
  }

  private LabeledMatrix finish() {
    if (headerRows >= 0 && tokens.size() != headerRows) {
      throw error("the header says " + headerRows + " rows but the file has " + tokens.size());
    }
    if (tokens.isEmpty()) {
      throw error("the matrix is empty");
    }
    DenseMatrix matrix = values.build(tokens.size(), dim, uri);
    return new LabeledMatrix(matrix, tokens);
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(PREFIX + what + " (" + uri + ")");
  }
}
