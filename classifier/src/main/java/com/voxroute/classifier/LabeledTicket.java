package com.voxroute.classifier;

/**
 * One labelled ticket of a data set.
 *
 * @param id    unique id within the data set, not blank
 * @param text  the ticket text (may be empty; such tickets are skipped in training)
 * @param label the true category, not blank
 */
public record LabeledTicket(String id, String text, String label) {
}
