package com.voxroute.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.voxroute.routing.ControlEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A test double of the pipeline for the web tests: an in-memory "journal" (lists), a bounded queue standing
 * for the ring (full -> BACK_PRESSURED), and one named worker thread that "classifies" by keywords and
 * publishes assignments in order. Not a model of the real pipeline's latency; it only honours the
 * {@link IntakePort} contract (accepted = recorded before returning, assignments in index order, cursors
 * never skip or repeat).
 */
final class InMemoryIntakePort implements IntakePort, AutoCloseable {

    static final int MAX_TEXT_BYTES = 64 * 1024;

    private record Journaled(long index, TicketSubmission ticket, long receivedAtEpochMillis) {
    }

    private final int ringSize;
    private final BlockingQueue<Object> ring = new java.util.concurrent.LinkedBlockingQueue<>();
    /** Slots taken: like a Disruptor slot, freed only once the worker has published the item. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final List<Object> intakeJournal = new ArrayList<>();
    private final List<AssignmentView> assignments = new CopyOnWriteArrayList<>();
    private final Map<String, Journaled> tickets = new ConcurrentHashMap<>();
    private final Map<String, AssignmentView> latest = new ConcurrentHashMap<>();
    private final Map<String, List<String>> events = new ConcurrentHashMap<>();
    private final List<AssignmentListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, long[]> departments = new LinkedHashMap<>(); // available, capacity, load
    private final Thread worker;
    private volatile boolean paused;
    private volatile boolean running = true;
    private volatile RulesView rules = new RulesView("test@1", "rules: []\n");

    InMemoryIntakePort(int ringSize) {
        this.ringSize = ringSize;
        for (String d : List.of("cards", "payments", "accounts", "fraud", "triage")) {
            departments.put(d, new long[] {1, 100, 0});
        }
        worker = Thread.ofPlatform().daemon().name("fake-pipeline").start(this::work);
    }

    /**
     * When set, a {@code DUPLICATE_CONFLICT} is answered by the worker after the items ahead of it in the ring, as
     * the real journal stage answers in ring order: an earlier ticket under the same id may be published (and its
     * assignment reach the HTTP listeners) before the conflicting submission hears its answer.
     */
    volatile boolean conflictsAnsweredInRingOrder;
    /** Conflict answers handed to the worker by {@link #submitTicketAsync} and not yet given. */
    final java.util.concurrent.atomic.AtomicInteger deferredAnswers = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void submitTicketAsync(TicketSubmission ticket, SubmitCallback callback) {
        SubmitResult r = submitTicket(ticket);
        if (conflictsAnsweredInRingOrder && "DUPLICATE_CONFLICT".equals(r.code())) {
            deferredAnswers.incrementAndGet();
            ring.add(new Object[] {callback, r});
            return;
        }
        callback.onResult(r);
    }

    /** While paused the worker takes nothing from the ring, so the ring fills up. */
    void pause(boolean pause) {
        this.paused = pause;
    }

    /** @return a copy of the intake journal: {@link TicketSubmission}s and {@link ControlEvent}s */
    synchronized List<Object> journal() {
        return new ArrayList<>(intakeJournal);
    }

    @Override
    public synchronized SubmitResult submitTicket(TicketSubmission ticket) {
        if (ticket.text().isBlank()) {
            return SubmitResult.rejected("TEXT_EMPTY", "text", "text is empty");
        }
        if (ticket.text().getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            return SubmitResult.rejected("TEXT_TOO_LONG", "text", "text is longer than " + MAX_TEXT_BYTES + " bytes");
        }
        Journaled before = tickets.get(ticket.ticketId());
        if (before != null) {
            return before.ticket().equals(ticket) ? SubmitResult.duplicate(before.index())
                    : SubmitResult.duplicateConflict();
        }
        if (inFlight.get() >= ringSize) {
            return SubmitResult.backPressured();
        }
        inFlight.incrementAndGet();
        long index = intakeJournal.size();
        intakeJournal.add(ticket);
        Journaled j = new Journaled(index, ticket, System.currentTimeMillis());
        tickets.put(ticket.ticketId(), j);
        ring.add(new Object[] {j, System.nanoTime()});
        return SubmitResult.accepted(index);
    }

    @Override
    public synchronized SubmitResult submitControl(ControlEvent event) {
        if (event.ticketId() != null && !tickets.containsKey(event.ticketId())) {
            return SubmitResult.rejected("UNKNOWN_TICKET", "ticketId", "no such ticket");
        }
        if (event.department() != null && !departments.containsKey(event.department())) {
            return SubmitResult.rejected("UNKNOWN_DEPARTMENT", "department", "no such department");
        }
        if (inFlight.get() >= ringSize) {
            return SubmitResult.backPressured();
        }
        long index = intakeJournal.size();
        intakeJournal.add(event);
        switch (event.type()) {
            case AVAILABILITY -> departments.get(event.department())[0] = event.value();
            case CAPACITY -> departments.get(event.department())[1] = event.value();
            default -> events.computeIfAbsent(event.ticketId(), k -> new CopyOnWriteArrayList<>())
                    .add(event.type().name().toLowerCase() + (event.department() == null ? "" : ":" + event.department()));
        }
        return SubmitResult.accepted(index);
    }

    private void work() {
        while (running) {
            try {
                if (paused) {
                    Thread.sleep(1);
                    continue;
                }
                Object[] item = (Object[]) ring.poll(10, TimeUnit.MILLISECONDS);
                if (item == null) {
                    continue;
                }
                while (paused && running) {
                    Thread.sleep(1); // paused while this item was being taken: hold it until resumed
                }
                if (item[0] instanceof SubmitCallback deferred) {
                    deferred.onResult((SubmitResult) item[1]);
                    deferredAnswers.decrementAndGet();
                    continue;
                }
                Journaled j = (Journaled) item[0];
                long received = (long) item[1];
                long journaled = System.nanoTime();
                String text = j.ticket().text().toLowerCase();
                String dept = text.contains("card") ? "cards" : text.contains("pay") || text.contains("转账")
                        ? "payments" : text.contains("fraud") ? "fraud" : "triage";
                double confidence = dept.equals("triage") ? 0.3 : 0.9;
                long classified = System.nanoTime();
                AssignmentView a = new AssignmentView(assignments.size(), j.index(), j.ticket().ticketId(), dept,
                        dept + "-q1", dept.equals("fraud") ? "P1" : "P3", j.receivedAtEpochMillis() + 3_600_000,
                        dept + "_issue", confidence, List.of(), "rule-" + dept, rules.version(), "fake@1",
                        "keyword " + dept, dept.equals("triage"), false, false,
                        new AssignmentView.Explanation(List.of(dept), List.of()), j.receivedAtEpochMillis(),
                        stages(received, journaled, classified, System.nanoTime()));
                synchronized (this) {
                    assignments.add(a);
                    latest.put(a.ticketId(), a);
                    departments.get(dept)[2]++;
                }
                inFlight.decrementAndGet();
                for (AssignmentListener l : listeners) {
                    l.onAssignment(a);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Map<String, Long> stages(long received, long journaled, long classified, long published) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("received", received);
        m.put("journaled", journaled);
        m.put("classified", classified);
        m.put("published", published);
        return m;
    }

    /**
     * While set, this port acts as a real one still reading its journal's history at start: the listeners are not
     * live yet ({@link #assignmentListenersLive}) and {@link #findTicket} shows no assignment for any ticket.
     */
    volatile boolean readingHistory;

    @Override
    public boolean assignmentListenersLive() {
        return !readingHistory;
    }

    @Override
    public TicketView findTicket(String ticketId) {
        Journaled j = tickets.get(ticketId);
        return j == null ? null : new TicketView(j.ticket(), j.index(), j.receivedAtEpochMillis(),
                readingHistory ? null : latest.get(ticketId),
                List.copyOf(events.getOrDefault(ticketId, List.of())));
    }

    @Override
    public AssignmentCursor openAssignments(long afterAssignmentIndex) {
        return new AssignmentCursor() {
            long next = afterAssignmentIndex + 1;

            @Override
            public AssignmentView next() {
                if (next < assignments.size()) {
                    return assignments.get((int) next++);
                }
                return null;
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public long lastAssignmentIndex() {
        return assignments.size() - 1;
    }

    @Override
    public void addAssignmentListener(AssignmentListener listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized List<DepartmentView> departments() {
        List<DepartmentView> list = new ArrayList<>();
        departments.forEach((id, v) -> list.add(new DepartmentView(id, id, v[0] == 1, v[1], v[2], 0, 0, List.of(id))));
        return list;
    }

    @Override
    public RulesView rules() {
        return rules;
    }

    @Override
    public synchronized RulesUpdateResult replaceRules(String yaml) {
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            if (node == null || !node.has("rules")) {
                return RulesUpdateResult.refused(1, "missing key 'rules'");
            }
        } catch (JsonProcessingException e) {
            return RulesUpdateResult.refused(e.getLocation() == null ? -1 : e.getLocation().getLineNr(),
                    e.getOriginalMessage());
        }
        rules = new RulesView("test@" + (Math.abs(yaml.hashCode())), yaml);
        long index = intakeJournal.size();
        intakeJournal.add(new ControlEvent(ControlEvent.Type.RULES_RELOADED, null, null, null, 0, yaml, 0));
        return RulesUpdateResult.accepted(rules.version(), index);
    }

    @Override
    public ModelView model() {
        return new ModelView(modelVersion, List.of("cards_issue", "payments_issue", "fraud_issue", "triage_issue"));
    }

    private volatile String modelVersion = "fake@1";

    /** Fake swap: a directory holding {@code model.json} becomes version {@code fake@N}; else MODEL_NOT_FOUND. */
    @Override
    public synchronized ModelUpdateResult replaceModel(java.nio.file.Path modelDir) {
        if (!java.nio.file.Files.isRegularFile(modelDir.resolve("model.json"))) {
            return ModelUpdateResult.refused("MODEL_NOT_FOUND", "no model directory at " + modelDir);
        }
        String previous = modelVersion;
        modelVersion = "fake@" + (Integer.parseInt(previous.substring(5)) + 1);
        return ModelUpdateResult.accepted(modelVersion, previous, "0".repeat(64), 0);
    }

    @Override
    public long ringRemainingCapacity() {
        return ringSize - inFlight.get();
    }

    @Override
    public long ringBufferSize() {
        return ringSize;
    }

    @Override
    public long journalSizeBytes(String queue) {
        return queue.equals("intake") ? intakeJournal.size() * 100L : assignments.size() * 100L;
    }

    @Override
    public boolean isReady() {
        return running;
    }

    @Override
    public void close() {
        running = false;
        worker.interrupt();
    }
}
