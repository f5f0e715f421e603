/**
 * The viewer's HTTP server, and the only package that imports Netty: HTTP/1.1 with keep-alive and
 * gzip, the JSON API of DESIGN.md mapped onto {@link org.simheat.viewer.service.ViewerService}, the
 * page served from a fixed set of classpath resources, and access control (loopback by default, a
 * bearer token otherwise). Service calls run on a bounded executor, never on an event loop; every
 * error reaches the client as {@code {"error": …}} without a stack trace or an internal path.
 */
package org.simheat.viewer.http;
