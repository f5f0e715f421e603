package org.simheat.jobs.pyramid;

import java.io.Serializable;

/**
 * One row of the {@code tiles} table as a Java bean, so that Spark's bean encoder copies each cell
 * array into its columnar form in one piece rather than boxing every float. Property names are the
 * table's column names.
 */
public final class TileRecord implements Serializable {
  private static final long serialVersionUID = 1L;

  private String metric;
  private int level;
  private int tileRow;
  private int tileCol;
  private int rows;
  private int cols;
  private float[] mean;
  private float[] max;
  private float[] min;

  public String getMetric() {
    return metric;
  }

  public void setMetric(String metric) {
    this.metric = metric;
  }

  public int getLevel() {
    return level;
  }

  public void setLevel(int level) {
    this.level = level;
  }

  public int getTile_row() {
    return tileRow;
  }

  public void setTile_row(int tileRow) {
    this.tileRow = tileRow;
  }

  public int getTile_col() {
    return tileCol;
  }

  public void setTile_col(int tileCol) {
    this.tileCol = tileCol;
  }

  public int getRows() {
    return rows;
  }

  public void setRows(int rows) {
    this.rows = rows;
  }

  public int getCols() {
    return cols;
  }

  public void setCols(int cols) {
    this.cols = cols;
  }

  public float[] getMean() {
    return mean;
  }

  public void setMean(float[] mean) {
    this.mean = mean;
  }

  public float[] getMax() {
    return max;
  }

  public void setMax(float[] max) {
    this.max = max;
  }

  public float[] getMin() {
    return min;
  }

  public void setMin(float[] min) {
    this.min = min;
  }
}
