/**
 * Cluster order: an axis's rows clustered with Spark MLlib (bisecting k-means by default, or
 * k-means) on their L2-normalised vectors, and laid out leaf by leaf through the cluster tree, each
 * leaf by similarity to its centroid. {@link org.simheat.jobs.cluster.AxisClustering} turns one
 * axis (a matrix, its norms and tokens) into a {@link org.simheat.jobs.cluster.ClusterOrder}: the
 * permutation the blocked pass reads positions through, each position's leaf, and the tree's nodes
 * with their ranges, labels, mean similarity and radius. {@link
 * org.simheat.jobs.cluster.ClusterTables} writes the {@code clusters} table and the K × K {@code
 * cluster_tiles}, whose means follow from the leaves' sums and whose extremes the pass pools.
 *
 * <p>An axis can also take the order of another run ({@code compute --order-from}): {@link
 * org.simheat.jobs.cluster.ReferenceRun} reads that run's tokens, leaves and tree, and {@link
 * org.simheat.jobs.cluster.ReferenceOrder} matches the new rows to its positions by token and, in
 * cluster order, keeps its tree with statistics from the new data.
 */
package org.simheat.jobs.cluster;
