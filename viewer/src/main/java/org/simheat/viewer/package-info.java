/**
 * The analyst's half of simheat: a small Netty HTTP server that reads only the Parquet pieces a
 * view needs from a run directory and serves a Vega-Lite heatmap page. It depends on the {@code
 * format} module and never on Spark. {@link org.simheat.viewer.Main} is its command line ({@code
 * view --data DIR}); the server lives in {@code http}, the queries in {@code service}.
 */
package org.simheat.viewer;
