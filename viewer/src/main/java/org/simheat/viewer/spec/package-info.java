/**
 * Vega-Lite builders: they turn pooled viewport cells, with their axis tokens and the run's
 * manifest, into self-contained Vega-Lite v6 specs (data inline) that the page renders and drives
 * by matrix positions. Pure functions of their inputs: no I/O.
 */
package org.simheat.viewer.spec;
