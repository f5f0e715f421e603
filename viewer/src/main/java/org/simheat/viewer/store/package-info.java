/**
 * Reading committed runs from a data directory without Spark or Hadoop: the run registry (which
 * runs exist, which is latest, which are refused), Parquet tables read through parquet-java's
 * public API with cached footers and statistics/column-index pruning, and the bounded caches
 * (footers, decoded tiles, tokens) that keep the viewer's heap independent of a run's size. Every
 * class here is thread-safe and blocking; callers run it off the event loop.
 */
package org.simheat.viewer.store;
