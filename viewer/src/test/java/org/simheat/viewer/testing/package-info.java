/**
 * Test fixtures shared by the viewer's tests: the committed fixture run with naive reference
 * similarities, synthetic runs, an in-memory service for the HTTP tests, and a harness that drives
 * Debian's headless Chromium (command line or DevTools protocol) for browser tests.
 */
package org.simheat.viewer.testing;
