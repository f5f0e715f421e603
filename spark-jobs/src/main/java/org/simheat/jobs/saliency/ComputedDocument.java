package org.simheat.jobs.saliency;

import java.io.Serializable;

/**
 * What {@code simheat saliency compute} wrote for one document.
 *
 * @param doc the document id
 * @param tokens its tokens, format tokens included
 * @param sparse whether its heat is in the sparse table
 * @param heatRows rows of the sparse heat table (0 when dense)
 */
public record ComputedDocument(String doc, int tokens, boolean sparse, long heatRows)
    implements Serializable {}
