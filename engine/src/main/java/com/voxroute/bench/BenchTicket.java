package com.voxroute.bench;

/**
 * One real ticket used as benchmark input.
 *
 * @param id    the data set's ticket id (not unique across submissions: the harness makes ids unique)
 * @param text  the ticket text, never {@code null}
 * @param lang  the data set's language tag ({@code en}, {@code zh-Hans}, {@code zh-Hant})
 * @param label the true label, or {@code null} when unlabelled
 * @param shape which input shape it stands for
 */
public record BenchTicket(String id, String text, String lang, String label, TicketShape shape) {
}
