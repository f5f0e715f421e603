/**
 * The analyst's half of simheat: a small Netty HTTP server that reads only the Parquet pieces a
 * view needs from a run directory and serves a Vega-Lite heatmap page. It depends on the {@code
 * format} module and never on Spark. This build holds the module's skeleton; the server arrives
 * with the viewer work.
 */
package org.simheat.viewer;
