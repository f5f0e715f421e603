/**
 * The viewer's queries as plain Java, with no HTTP and no Netty: runs, manifests, tiles (stored or
 * computed live), viewport specs, token search and neighbours. The HTTP layer maps routes onto
 * {@link org.simheat.viewer.service.ViewerService} and turns {@link
 * org.simheat.viewer.service.ApiException} into 4xx JSON.
 */
package org.simheat.viewer.service;
