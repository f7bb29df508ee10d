/**
 * Intake: the {@link com.voxroute.intake.Ticket} value, parsing and validation of raw JSON tickets with stable
 * {@link com.voxroute.intake.RejectCode}s ({@link com.voxroute.intake.TicketParser}), JSONL line splitting on raw
 * bytes ({@link com.voxroute.intake.JsonlLineReader}), and where the shared data sets live
 * ({@link com.voxroute.intake.DataLocator}).
 */
package com.voxroute.intake;
