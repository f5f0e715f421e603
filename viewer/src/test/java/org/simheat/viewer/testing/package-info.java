/**
 * Test fixtures shared by the viewer's tests: the committed fixture's matrix with naive reference
 * similarities, a canned stand-in for the JSON API served by the JDK's HTTP server, and a harness
 * that drives Debian's headless Chromium (command line or DevTools protocol) for browser tests.
 */
package org.simheat.viewer.testing;
