package com.voxroute.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.voxroute.journal.AssignmentDecoder;
import com.voxroute.journal.ControlEventDecoder;
import com.voxroute.journal.Journal;
import com.voxroute.journal.RecordType;
import com.voxroute.journal.TicketReceived;
import com.voxroute.journal.TicketReceivedDecoder;
import com.voxroute.outbound.Assignment;
import com.voxroute.routing.ControlEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code voxroute journal dump}: prints every record of one queue, one JSON object a line, in journal order.
 * Every object has {@code index} (the Chronicle index), {@code type} and {@code version}, then the record's fields
 * (times also as ISO-8601 UTC).
 */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Prints a journal queue as JSON lines (one record a line).")
public final class JournalDumpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "journal directory")
    Path dataDir;

    @Option(names = "--queue", required = true, paramLabel = "intake|assignments|engine", description = "which queue")
    String queue;

    @Override
    public Integer call() throws IOException {
        if (!Journal.INTAKE.equals(queue) && !Journal.ASSIGNMENTS.equals(queue) && !Journal.ENGINE.equals(queue)) {
            throw new UsageException("--queue must be intake, assignments or engine: " + queue);
        }
        if (!Files.isDirectory(dataDir.resolve(queue))) {
            throw new UsageException("no " + queue + " journal in " + dataDir);
        }
        ObjectMapper json = new ObjectMapper();
        PrintWriter out = spec.commandLine().getOut();
        try (Journal journal = Journal.openReadOnly(dataDir)) { // a reader creates and writes nothing
            if (Journal.ENGINE.equals(queue)) {
                for (var e : journal.engineStarts()) {
                    out.println(json.writeValueAsString(e));
                }
                out.flush();
                return ExitCodes.OK;
            }
            Journal.read(journal.queue(queue), -1, (index, type, buffer, length) -> {
                Map<String, Object> m = toMap(index, type, buffer, length);
                try {
                    out.println(json.writeValueAsString(m));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return true;
            });
        }
        out.flush();
        return ExitCodes.OK;
    }

    /**
     * One journal record as {@code journal dump} prints it (also used by tests). Any thread.
     *
     * @param index  the record's journal index
     * @param type   its type
     * @param buffer the record bytes from offset 0
     * @param length the record length
     * @return the record as an ordered map for JSON
     * @throws com.voxroute.journal.JournalFormatException for an unreadable record
     */
    public static Map<String, Object> toMap(long index, RecordType type, byte[] buffer, int length) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("type", type.name());
        m.put("version", buffer[1] & 0xff);
        switch (type) {
            case TICKET_RECEIVED -> {
                TicketReceived r = TicketReceivedDecoder.decode(buffer, 0, length);
                var t = r.ticket();
                m.put("ticketId", t.ticketId());
                m.put("receivedAt", Instant.ofEpochMilli(r.receivedAtEpochMillis()).toString());
                m.put("receivedAtEpochMillis", r.receivedAtEpochMillis());
                m.put("contentHash", String.format("%016x", r.contentHash()));
                m.put("text", t.text());
                m.put("channel", t.channel());
                m.put("customerTier", t.customerTier());
                m.put("region", t.region());
                m.put("lang", t.language());
                m.put("label", t.label());
                m.put("ts", t.ts());
                m.put("customerId", t.customerId());
                m.put("attributes", t.attributes());
            }
            case CONTROL_EVENT -> {
                ControlEvent e = ControlEventDecoder.decode(buffer, 0, length);
                m.put("event", e.type().name());
                m.put("at", Instant.ofEpochMilli(e.atEpochMillis()).toString());
                m.put("atEpochMillis", e.atEpochMillis());
                m.put("ticketId", e.ticketId());
                m.put("department", e.department());
                m.put("queue", e.queue());
                m.put("value", e.value());
                m.put("payload", e.payload());
            }
            case ASSIGNMENT -> {
                Assignment a = AssignmentDecoder.decode(buffer, 0, length);
                m.put("kind", a.kind().name());
                m.put("ticketId", a.ticketId());
                m.put("intakeIndex", a.intakeIndex());
                m.put("department", a.department());
                m.put("queue", a.queue());
                m.put("priority", a.priority());
                m.put("category", a.category());
                m.put("confidence", Double.isNaN(a.confidence()) ? null : a.confidence());
                m.put("flags", a.flags());
                m.put("triaged", a.triaged());
                m.put("escalated", a.escalated());
                m.put("failed", a.failed());
                m.put("abstained", a.abstained());
                m.put("ruleId", a.ruleId());
                m.put("rulesVersion", a.rulesVersion());
                m.put("modelVersion", a.modelVersion());
                m.put("slaDueAt", Instant.ofEpochMilli(a.slaDueAtEpochMillis()).toString());
                m.put("slaDueAtEpochMillis", a.slaDueAtEpochMillis());
                m.put("reason", a.reason());
                m.put("evidence", a.evidence());
                m.put("nearestTicketIds", a.nearestTicketIds());
                m.put("receivedAt", Instant.ofEpochMilli(a.receivedAtEpochMillis()).toString());
                Map<String, Object> stages = new LinkedHashMap<>();
                stages.put("receivedNanos", a.receivedNanos());
                stages.put("journaledNanos", a.journaledNanos());
                stages.put("classifiedNanos", a.classifiedNanos());
                stages.put("routedNanos", a.routedNanos());
                stages.put("publishedNanos", a.publishedNanos());
                m.put("stageNanos", stages);
                m.put("language", a.language());
            }
        }
        return m;
    }
}
