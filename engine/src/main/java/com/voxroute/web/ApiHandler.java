package com.voxroute.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.voxroute.routing.ControlEvent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The HTTP API v1, the dashboard files, {@code /metrics} and health, on Jetty's core handler API.
 *
 * <p>Order of checks for every API request: route (404/405), bearer token (401) and role (403), content
 * type (415), body size (413), charset decoding (400), JSON syntax (400 with position), fields (422), then
 * the pipeline's answer (202/200, 409, 422, 503 with {@code Retry-After}). Every 4xx/5xx body is JSON
 * {@code {code, message, field?}}. Ticket text is never logged: errors are logged by exception class only,
 * each distinct one once with a count.
 *
 * <p>Threading: {@link #handle} runs on Jetty's worker threads (it may block while reading a small body);
 * {@code POST /v1/tickets} releases its thread once the ticket is offered and is answered exactly once by whichever
 * comes first: the journal stage's answer ({@link IntakePort#submitTicketAsync}: a rejection, or {@code 202} without
 * a wait; written on a worker), the assignment ({@code 200}, written by {@link #onAssignment} on the port's listener
 * thread, which follows the assignments journal anyway; only while that thread still reads the journal's history at
 * start does the publish stage hand the assignment to a worker instead), or the deadline sweep on {@code scheduler}
 * ({@code 202} after the wait, {@code 503} when the journal never answered).
 */
public final class ApiHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final Set<String> JSON_TYPES = Set.of("application/json");
    private static final Set<String> BATCH_TYPES = Set.of("application/json", "application/x-ndjson",
            "application/jsonl", "application/ndjson");
    private static final Set<String> YAML_TYPES = Set.of("application/yaml", "application/x-yaml", "text/yaml",
            "text/plain");

    /** Request attribute set once the body has been read in full. */
    private static final String BODY_READ = "voxroute.bodyRead";
    /** Request attribute: reading the body failed (early end, idle timeout); the connection is not reusable. */
    private static final String BODY_READ_FAILED = "voxroute.bodyReadFailed";

    private final ServeConfig config;
    private final IntakePort port;
    private final AccessTokens tokens;
    private final ServeMetrics metrics;
    private final DashboardStats stats;
    private final TicketJsonParser parser;
    private final JsonResponses json;
    private final StaticResources statics = new StaticResources();
    private final AssignmentStreams streams;
    private final Scheduler scheduler;
    private final java.util.concurrent.Executor replies;
    private final ConcurrentHashMap<String, List<Waiter>> waiters = new ConcurrentHashMap<>();
    /**
     * Every unanswered submission, in arrival order, for the deadline sweep ({@link #sweep}): one periodic task on
     * the scheduler while any is pending, instead of a timer task scheduled and cancelled per request (which woke the
     * scheduler thread whenever its queue had been empty: 0.18 wake-ups per request at 2,000 req/s, 0.06 now).
     */
    private final ConcurrentLinkedQueue<Waiter> deadlines = new ConcurrentLinkedQueue<>();
    /**
     * Experiment switch ({@code -Dvoxroute.web.replyOnPublish=true}, default off): the publish stage writes a waiting
     * submission's {@code 200} itself instead of the view thread (BENCHMARKS.md, HTTP session 6).
     */
    static final boolean REPLY_ON_PUBLISH = Boolean.getBoolean("voxroute.web.replyOnPublish");

    /** Whether a sweep is scheduled or running. */
    private final AtomicBoolean sweepArmed = new AtomicBoolean();
    private final ConcurrentHashMap<String, LongAdder> distinctErrors = new ConcurrentHashMap<>();

    /**
     * @param config    the validated config
     * @param port      the pipeline
     * @param tokens    the bearer tokens
     * @param metrics   the metrics
     * @param stats     the dashboard figures
     * @param scheduler times out waiting requests (Jetty's scheduler)
     * @param replies   writes the replies the pipeline's threads complete (Jetty's thread pool), so that the
     *                  pipeline's single-writer threads only hand the answer over and go on with the next ticket
     */
    public ApiHandler(ServeConfig config, IntakePort port, AccessTokens tokens, ServeMetrics metrics,
                      DashboardStats stats, Scheduler scheduler, java.util.concurrent.Executor replies) {
        this.config = config;
        this.port = port;
        this.tokens = tokens;
        this.metrics = metrics;
        this.stats = stats;
        this.parser = new TicketJsonParser(config.maxJsonDepth(), config.maxBodyBytes());
        this.json = new JsonResponses(parser.mapper());
        this.streams = new AssignmentStreams(port, json, config, metrics);
        this.scheduler = scheduler;
        this.replies = replies;
    }

    /** @return the JSON writer shared with the error handler */
    JsonResponses json() {
        return json;
    }

    /**
     * Told of every published assignment (register it with {@link IntakePort#addAssignmentListener}).
     * Called on the port's listener thread; never blocks: completes waiting requests (serialises the reply and
     * starts Jetty's non-blocking write), wakes streams, records figures.
     *
     * @param a the assignment
     */
    public void onAssignment(AssignmentView a) {
        if (!waiters.isEmpty()) {
            Waiter[] ready = takeAnswered(a);
            if (ready != null) {
                // The one writer of every 200 while the port's listeners are live: this thread follows the
                // journal and is woken per assignment anyway, and Jetty's write is non-blocking, so no other
                // thread is woken for the reply. Waiters first, figures after: the reply does not wait for them.
                for (Waiter w : ready) {
                    w.complete(a);
                }
            }
        }
        metrics.count(a.failed() ? ServeMetrics.Outcome.FAILED
                : a.triaged() ? ServeMetrics.Outcome.TRIAGED : ServeMetrics.Outcome.ASSIGNED);
        metrics.recordStages(a);
        stats.record(a);
        streams.wakeAll();
    }

    /**
     * Takes from {@link #waiters} the submissions of {@code a}'s ticket id whose journal answer has come (accepted,
     * or a duplicate of the journaled ticket): only those may be answered with this assignment. One still
     * waiting for its answer stays registered: it may be a different ticket under the same id, which the journal
     * will refuse (409 {@code DUPLICATE_CONFLICT}), so the assignment of the ticket that holds the id is not its
     * result; a duplicate's answer looks the assignment up itself ({@link Waiter#result}), and an accepted one
     * whose own assignment came first (the pipeline's journal stage answers before classification, so only another
     * {@link IntakePort} does that) finds it in {@link Waiter#early}.
     *
     * @param a the assignment just published
     * @return the answered waiters of its ticket id, or {@code null} when none
     */
    private Waiter[] takeAnswered(AssignmentView a) {
        Waiter[][] taken = {null};
        waiters.computeIfPresent(a.ticketId(), (k, list) -> {
            int n = 0;
            for (Waiter w : list) {
                w.early = a; // before reading answered: an answer that comes now finds it (Waiter#onResult)
                if (w.answered) {
                    n++;
                }
            }
            if (n == 0) {
                return list;
            }
            Waiter[] ready = new Waiter[n];
            int i = 0;
            for (java.util.Iterator<Waiter> it = list.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.answered) {
                    ready[i++] = w;
                    it.remove();
                }
            }
            taken[0] = ready;
            return list.isEmpty() ? null : list;
        });
        return taken[0];
    }

    /** Period of the deadline sweep while submissions are pending, ms: how late a time-out may answer, at most. */
    static final long SWEEP_PERIOD_MILLIS = 10;

    private void armSweep() {
        if (sweepArmed.compareAndSet(false, true)) {
            scheduler.schedule(this::sweep, SWEEP_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * On the scheduler's thread: drops the answered submissions from {@link #deadlines}, times out those past their
     * deadline ({@link Waiter#timeout}), and schedules itself again while any is left. A submission queued while
     * this runs is seen by this sweep or the next (the flag is cleared before the queue is looked at again).
     */
    private void sweep() {
        try {
            long now = System.nanoTime();
            for (java.util.Iterator<Waiter> it = deadlines.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (!w.done.get() && now - w.deadlineNanos >= 0) {
                    w.timeout(); // answers, or moves the deadline (still waiting for the journal)
                }
                if (w.done.get()) {
                    it.remove();
                }
            }
        } catch (RuntimeException e) {
            logOnce(e);
        } finally {
            sweepArmed.set(false);
            if (!deadlines.isEmpty()) {
                armSweep();
            }
        }
    }

    /** Ends every open stream; called when the server stops. */
    void closeStreams() {
        streams.close();
    }

    /**
     * Handles one request (Jetty worker thread). Never throws: every failure becomes a JSON error reply.
     *
     * @param request  the request
     * @param response the response
     * @param callback completed when the response is written (later, for waits and streams)
     * @return always {@code true}: every path is answered here (404 when unknown)
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        String[] route = {"other"};
        Request.addCompletionListener(request, failure -> metrics.recordHttp(route[0], method,
                failure == null ? response.getStatus() : 599, System.nanoTime() - request.getHeadersNanoTime()));
        try {
            dispatch(request, response, callback, path, method, route);
        } catch (ApiException e) {
            if (route[0].equals("/v1/tickets") && isTicketRefusal(e.status())
                    && !HttpHeader.AUTHORIZATION.asString().equals(e.field())) {
                // a single ticket refused before the journal (body, JSON, fields, parameters): counted like a
                // batch item's error and intake's own refusals (TEXT_TOO_LONG), so outcomes.rejected counts tickets;
                // two Authorization headers are the caller's fault, like a 401, not the ticket's
                metrics.count(ServeMetrics.Outcome.REJECTED);
            }
            if (e.status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"voxroute\"");
            } else if (e.status() == 405 && e.extra().get("allow") instanceof List<?> allow) {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allow.stream().map(String::valueOf).toList()));
            }
            discardUnreadBody(request, response);
            json.error(response, callback, e);
        } catch (RuntimeException | IOException e) {
            logOnce(e);
            discardUnreadBody(request, response);
            json.error(response, callback, 500, "INTERNAL", "internal error (" + e.getClass().getSimpleName()
                    + "); see the server log", null, Map.of());
        }
        return true;
    }

    /** @return whether a status refuses the ticket itself (400, 413, 415, 422), not the caller (401, 403, 405) */
    private static boolean isTicketRefusal(int status) {
        return status == 400 || status == 413 || status == 415 || status == 422;
    }

    private void dispatch(Request request, Response response, Callback callback, String path, String method,
                          String[] route) throws IOException {
        if (path.startsWith("/v1/")) {
            api(request, response, callback, path, method, route);
            return;
        }
        switch (path) {
            case "/health/live" -> {
                route[0] = path;
                requireMethod(method, "GET", "HEAD"); // HEAD: load balancers' probes; Jetty sends no body for it
                noParameters(request, "GET " + path);
                json.write(response, callback, 200, Map.of("status", "UP"));
            }
            case "/health/ready" -> {
                route[0] = path;
                requireMethod(method, "GET", "HEAD");
                noParameters(request, "GET " + path);
                if (port.isReady()) {
                    json.write(response, callback, 200, Map.of("status", "READY"));
                } else {
                    json.error(response, callback, 503, "NOT_READY", "the pipeline is not ready", null, Map.of());
                }
            }
            case "/metrics" -> {
                route[0] = path;
                requireMethod(method, "GET", "HEAD");
                authorize(request, Role.VIEWER);
                noParameters(request, "GET /metrics");
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                response.write(true, ByteBuffer.wrap(metrics.scrape().getBytes(StandardCharsets.UTF_8)), callback);
            }
            default -> {
                route[0] = "static";
                if ((method.equals("GET") || method.equals("HEAD")) && statics.serve(path, response, callback)) {
                    return;
                }
                throw new ApiException(404, "NOT_FOUND", "no such resource", null);
            }
        }
    }

    /**
     * The API. Every resource read with {@code GET} also answers {@code HEAD} (RFC 9110 section 9.3.2: the same
     * status and headers, no body; Jetty sends none), which was a {@code 405}; the assignment stream, which never
     * ends, takes {@code GET} only.
     */
    private void api(Request request, Response response, Callback callback, String path, String method,
                     String[] route) throws IOException {
        if (path.equals("/v1/tickets")) {
            route[0] = "/v1/tickets";
            requireMethod(method, "POST");
            authorize(request, Role.INTAKE);
            submitOne(request, response, callback);
        } else if (path.equals("/v1/tickets:batch")) {
            route[0] = "/v1/tickets:batch";
            requireMethod(method, "POST");
            authorize(request, Role.INTAKE);
            submitBatch(request, response, callback);
        } else if (path.startsWith("/v1/tickets/") && path.endsWith("/events")
                && path.length() >= "/v1/tickets/".length() + "/events".length()) {
            // the length check: in "/v1/tickets/events" prefix and suffix overlap (no id): that is the ticket path
            // of a ticket named "events" below, not an events path with a negative-length id (a 500)
            route[0] = "/v1/tickets/{id}/events";
            requireMethod(method, "POST");
            authorize(request, Role.INTAKE);
            ticketEvent(request, response, callback,
                    path.substring("/v1/tickets/".length(), path.length() - "/events".length()));
        } else if (path.startsWith("/v1/tickets/")) {
            route[0] = "/v1/tickets/{id}";
            requireMethod(method, "GET", "HEAD");
            authorize(request, Role.VIEWER);
            noParameters(request, "GET /v1/tickets/{id}");
            String id = path.substring("/v1/tickets/".length());
            TicketView v = id.isEmpty() || id.contains("/") ? null : port.findTicket(id);
            if (v == null) {
                throw new ApiException(404, "UNKNOWN_TICKET", "no ticket with this ticketId was accepted", null);
            }
            json.write(response, callback, 200, v);
        } else if (path.equals("/v1/departments")) {
            route[0] = path;
            requireMethod(method, "GET", "HEAD", "PUT");
            if (!method.equals("PUT")) {
                authorize(request, Role.VIEWER);
                noParameters(request, "GET /v1/departments");
                json.write(response, callback, 200, Map.of("departments", port.departments()));
            } else {
                authorize(request, Role.ADMIN);
                putDepartments(request, response, callback);
            }
        } else if (path.equals("/v1/rules")) {
            route[0] = path;
            requireMethod(method, "GET", "HEAD", "PUT");
            if (!method.equals("PUT")) {
                authorize(request, Role.VIEWER);
                noParameters(request, "GET /v1/rules");
                json.write(response, callback, 200, port.rules());
            } else {
                authorize(request, Role.ADMIN);
                putRules(request, response, callback);
            }
        } else if (path.equals("/v1/model")) {
            route[0] = path;
            requireMethod(method, "GET", "HEAD", "PUT");
            if (!method.equals("PUT")) {
                authorize(request, Role.VIEWER);
                noParameters(request, "GET /v1/model");
                json.write(response, callback, 200, port.model());
            } else {
                authorize(request, Role.ADMIN);
                putModel(request, response, callback);
            }
        } else if (path.equals("/v1/stats")) {
            route[0] = path;
            requireMethod(method, "GET", "HEAD");
            authorize(request, Role.VIEWER);
            noParameters(request, "GET /v1/stats");
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("outcomes", metrics.outcomeCounts());
            body.put("departments", port.departments());
            body.put("ringRemainingCapacity", port.ringRemainingCapacity());
            body.put("ringSize", port.ringBufferSize());
            body.put("streamClients", metrics.streamClients().get());
            body.putAll(stats.snapshot());
            json.write(response, callback, 200, body);
        } else if (path.equals("/v1/assignments/stream")) {
            route[0] = path;
            requireMethod(method, "GET");
            authorize(request, Role.VIEWER);
            long after = streamStart(request);
            if (!streams.open(response, callback, after)) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
                json.error(response, callback, 503, "TOO_MANY_STREAMS", "at most " + config.maxStreamClients()
                        + " streams may be open at once", null, Map.of());
            }
        } else {
            route[0] = "other";
            throw new ApiException(404, "NOT_FOUND", "no such resource", null);
        }
    }

    // ---------------------------------------------------------------- tickets

    private void submitOne(Request request, Response response, Callback callback) {
        RequestBodyDecoder.ContentType ct = RequestBodyDecoder.contentType(
                singleHeader(request, HttpHeader.CONTENT_TYPE), JSON_TYPES);
        String text = RequestBodyDecoder.decode(readBody(request), ct.charset());
        TicketSubmission ticket = parser.parseTicket(text);
        long waitMillis = waitMillis(request, response);
        Waiter waiter = new Waiter(ticket.ticketId(), response, callback, waitMillis);
        if (waitMillis > 0) {
            // registered before submitting, so the assignment of a duplicate's original cannot be missed
            waiters.compute(ticket.ticketId(), (k, list) -> {
                List<Waiter> l = list == null ? new ArrayList<>(1) : list;
                l.add(waiter);
                return l;
            });
        }
        // The request thread only offers the ticket; the pipeline's threads answer (journaled -> 202, or with a
        // wait the assignment -> 200) through the waiter, so no thread parks for the journal and no hand-off
        // thread sits between the publish stage and the reply. A timer answers if the pipeline does not.
        waiter.arm(Math.max(1, waitMillis > 0 ? waitMillis : PipelineIntakePort.ACCEPT_TIMEOUT_MILLIS));
        port.submitTicketAsync(ticket, waiter);
    }

    private void removeWaiter(Waiter w) {
        waiters.computeIfPresent(w.ticketId, (k, list) -> {
            list.remove(w);
            return list.isEmpty() ? null : list;
        });
    }

    /**
     * One submission's reply: answered exactly once, by whichever comes first of the journal's answer (a
     * rejection, or {@code 202} without a wait), the ticket's assignment ({@code 200}), or the timer ({@code 202}
     * when journaled but not yet assigned; {@code 503 UNAVAILABLE} when the journal never answered within
     * {@link PipelineIntakePort#ACCEPT_TIMEOUT_MILLIS}). Called from the request thread, pipeline threads, the view
     * thread and the scheduler: {@link #done} decides.
     */
    private final class Waiter implements IntakePort.SubmitCallback {
        final String ticketId;
        final Response response;
        final Callback callback;
        final long waitMillis;
        final long createdNanos = System.nanoTime();
        final AtomicBoolean done = new AtomicBoolean();
        volatile long journalIndex = -1;
        volatile boolean answered;
        volatile boolean duplicate;
        /**
         * The latest assignment of this ticket id seen while this submission still waited for its journal answer
         * ({@link #takeAnswered} sets it before looking at {@link #answered}); once accepted, it is this
         * submission's own result if it is of the journal index the answer names.
         */
        volatile AssignmentView early;
        /** When {@link #sweep} times this submission out, {@link System#nanoTime} scale. */
        volatile long deadlineNanos;
        private boolean queued;

        Waiter(String ticketId, Response response, Callback callback, long waitMillis) {
            this.ticketId = ticketId;
            this.response = response;
            this.callback = callback;
            this.waitMillis = waitMillis;
        }

        /** Sets the deadline {@code delayMillis} from now; the first call queues this for the sweep. */
        void arm(long delayMillis) {
            deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
            if (!queued) {
                queued = true; // arm is first called on the request thread, later only by the sweep itself
                deadlines.add(this);
                armSweep();
            }
        }

        private boolean finish() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            if (waitMillis > 0) {
                removeWaiter(this);
            }
            if (duplicate) {
                response.getHeaders().put("Idempotent-Replayed", "true");
            }
            return true;
        }

        @Override
        public void onResult(SubmitResult r) {
            if (r.status() == SubmitResult.Status.ACCEPTED && waitMillis > 0) {
                journalIndex = r.journalIndex(); // nothing to write yet: no hand-off
                answered = true;
                countOutcome(r);
                AssignmentView e = early; // read after answered is set: see takeAnswered
                if (e != null && e.intakeIndex() == r.journalIndex()) {
                    // its own assignment came first (a port may publish before it answers; the pipeline does not)
                    replies.execute(() -> complete(e));
                }
                return;
            }
            replies.execute(() -> result(r));
        }

        private void result(SubmitResult r) {
            countOutcome(r);
            if (r.status() != SubmitResult.Status.ACCEPTED && r.status() != SubmitResult.Status.DUPLICATE) {
                if (finish()) {
                    writeRejection(response, callback, r, "");
                }
                return;
            }
            duplicate = r.status() == SubmitResult.Status.DUPLICATE;
            journalIndex = r.journalIndex();
            answered = true;
            if (waitMillis <= 0) {
                if (finish()) {
                    json.accepted(response, callback, ticketId, r.journalIndex());
                }
            } else if (duplicate) {
                completeFromView();
            }
        }

        /**
         * A duplicate's answer is its original's assignment, read from the port's view. At start the view first reads
         * the journal's history and the listeners hear only assignments published after it, so an original assigned
         * before the start that the view has not read yet never reached this waiter, which answered {@code 202} when
         * its wait ended instead of the original result the README promises. So while the listeners are not live this
         * looks again every {@link #SWEEP_PERIOD_MILLIS} until the view has it or the wait ends; once they are live,
         * an original not yet assigned reaches {@link #onAssignment}. Runs on a server or scheduler thread.
         */
        void completeFromView() {
            if (done.get()) {
                return;
            }
            boolean live = port.assignmentListenersLive(); // before the look-up: live first, then the view has it
            TicketView v = port.findTicket(ticketId);
            if (v != null && v.assignment() != null) {
                complete(v.assignment());
            } else if (!live) {
                scheduler.schedule(this::completeFromView, SWEEP_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
            }
        }

        /**
         * Asked by the publish stage per assignment: only while the port's listeners are not live yet (the view
         * still reads the journal's history at start) does the publish stage hand this reply its assignment;
         * otherwise {@link #onAssignment} on the view thread is its one writer, and the publish stage neither
         * builds the view nor wakes a thread for it.
         */
        @Override
        public boolean wantsAssignment() {
            return waitMillis > 0 && !done.get() && (REPLY_ON_PUBLISH || !port.assignmentListenersLive());
        }

        @Override
        public void onAssigned(AssignmentView a) {
            if (waitMillis > 0 && !done.get()) {
                if (REPLY_ON_PUBLISH && port.assignmentListenersLive()) {
                    complete(a); // experiment: the publish thread writes the reply, no wake-up of the view thread
                } else {
                    // only at start (see wantsAssignment): the JSON and the socket write run on a server thread,
                    // in parallel with the pipeline's next ticket
                    replies.execute(() -> complete(a));
                }
            }
        }

        void complete(AssignmentView a) {
            if (finish()) {
                json.assigned(response, callback, ticketId, a);
            }
        }

        void timeout() {
            if (done.get()) {
                return;
            }
            if (answered) {
                if (finish()) {
                    json.accepted(response, callback, ticketId, journalIndex);
                }
                return;
            }
            long waitedMillis = (System.nanoTime() - createdNanos) / 1_000_000;
            if (waitedMillis < PipelineIntakePort.ACCEPT_TIMEOUT_MILLIS) {
                arm(PipelineIntakePort.ACCEPT_TIMEOUT_MILLIS - waitedMillis);
                return;
            }
            if (finish()) {
                json.error(response, callback, 503, "UNAVAILABLE", "the journal did not confirm within "
                        + PipelineIntakePort.ACCEPT_TIMEOUT_MILLIS + " ms; retry (the same ticket is idempotent)",
                        null, Map.of());
            }
        }
    }

    /**
     * @return the wait in ms: {@code ?wait=true} gives {@code defaultWaitMillis}, {@code Prefer: wait=N}
     *         (RFC 7240, seconds) gives N s capped at {@code maxWaitMillis}; 0 for no wait
     */
    private long waitMillis(Request request, Response response) {
        String rawQuery = request.getHttpURI().getQuery();
        String wait;
        if (rawQuery == null) {
            wait = null;
        } else if (rawQuery.equals("wait=true")) {
            wait = "true"; // the common case, without building the parameter map
        } else {
            wait = onlyParameter(request, "wait", "POST /v1/tickets takes only ?wait=true|false");
        }
        if (wait != null) {
            if (wait.equals("true")) {
                return config.defaultWaitMillis();
            }
            if (wait.equals("false")) {
                return 0;
            }
            throw new ApiException(400, "INVALID_PARAMETER", "wait must be true or false", "wait");
        }
        for (String prefer : request.getHeaders().getValuesList("Prefer")) {
            for (String pref : prefer.split(",")) {
                long seconds = preferWaitSeconds(pref);
                if (seconds >= 0) {
                    long millis = Math.min(config.maxWaitMillis(), seconds >= Long.MAX_VALUE / 1000
                            ? Long.MAX_VALUE : seconds * 1000);
                    response.getHeaders().put("Preference-Applied", "wait=" + millis / 1000);
                    return millis;
                }
            }
        }
        return 0;
    }

    /**
     * Reads one preference of a {@code Prefer} header (RFC 7240 section 2: optional whitespace around {@code =};
     * a value may be quoted; parameters after {@code ;} are ignored).
     *
     * @param pref one comma-separated element, e.g. {@code " wait = 5"}
     * @return N of {@code wait=N} in seconds (a number too large for a {@code long} gives {@link Long#MAX_VALUE}, as
     *         it is capped anyway), or {@code -1} when the element is another preference
     * @throws ApiException 400 {@code INVALID_PARAMETER} when it is {@code wait} but N is not whole seconds >= 0
     */
    static long preferWaitSeconds(String pref) {
        int semi = pref.indexOf(';');
        String p = (semi < 0 ? pref : pref.substring(0, semi)).strip();
        int eq = p.indexOf('=');
        String name = (eq < 0 ? p : p.substring(0, eq)).strip();
        if (!name.equalsIgnoreCase("wait")) {
            return -1;
        }
        String value = eq < 0 ? "" : p.substring(eq + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        if (value.isEmpty() || value.length() > 1000) {
            throw new ApiException(400, "INVALID_PARAMETER", "Prefer: wait=N needs N as whole seconds >= 0", "Prefer");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new ApiException(400, "INVALID_PARAMETER", "Prefer: wait=N needs N as whole seconds >= 0",
                        "Prefer");
            }
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // only digits, but more than a long holds: capped at maxWaitMillis by the caller
        }
    }

    private void submitBatch(Request request, Response response, Callback callback) {
        RequestBodyDecoder.ContentType ct = RequestBodyDecoder.contentType(
                singleHeader(request, HttpHeader.CONTENT_TYPE), BATCH_TYPES);
        boolean ndjson = !ct.mimeType().equals("application/json");
        if (request.getHttpURI().getQuery() != null) {
            // a batch is answered once every item has its journal answer; it never waits for assignments, so a
            // ?wait=true is refused rather than silently ignored (read results with GET /v1/tickets/{id} or the stream)
            onlyParameter(request, null, "POST /v1/tickets:batch takes no query parameters (a batch never waits for "
                    + "assignments: follow GET /v1/assignments/stream or read GET /v1/tickets/{id})");
        }
        byte[] bytes = readBody(request);
        // NDJSON is decoded line by line: a line in a bad encoding is that line's error, not the whole batch's
        List<TicketJsonParser.BatchItem> items = ndjson ? parser.parseNdjson(bytes, ct.charset(), config.maxBatchItems())
                : parser.parseBatch(RequestBodyDecoder.decode(bytes, ct.charset()), config.maxBatchItems());
        List<Map<String, Object>> results = new ArrayList<>(items.size());
        int accepted = 0;
        int rejected = 0;
        int backPressured = 0;
        boolean full = false;
        for (TicketJsonParser.BatchItem item : items) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put(ndjson ? "line" : "index", item.position());
            if (item.error() != null) {
                ApiException e = item.error();
                r.put("status", e.status());
                r.put("code", e.code());
                r.put("message", e.getMessage());
                if (e.field() != null) {
                    r.put("field", e.field());
                }
                metrics.count(ServeMetrics.Outcome.REJECTED);
                rejected++;
            } else {
                r.put("ticketId", item.ticket().ticketId());
                // once the ring is full, the rest of the batch is answered at once, not tried one by one
                SubmitResult s = full ? SubmitResult.backPressured() : port.submitTicket(item.ticket());
                countOutcome(s);
                switch (s.status()) {
                    case ACCEPTED, DUPLICATE -> {
                        r.put("status", 202);
                        r.put("journalIndex", s.journalIndex());
                        if (s.status() == SubmitResult.Status.DUPLICATE) {
                            r.put("duplicate", true);
                        }
                        accepted++;
                    }
                    default -> {
                        int status = statusOf(s);
                        r.put("status", status);
                        r.put("code", s.code());
                        r.put("message", s.message());
                        if (s.field() != null) {
                            // the form of the parse errors: "[3].ticketId" in an array; NDJSON names the line
                            r.put("field", ndjson ? s.field() : "[" + item.position() + "]." + s.field());
                        }
                        if (status == 503) {
                            full = true;
                            backPressured++;
                        } else {
                            rejected++;
                        }
                    }
                }
            }
            results.add(r);
        }
        if (backPressured > 0) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("accepted", accepted);
        body.put("rejected", rejected);
        body.put("backPressured", backPressured);
        body.put("results", results);
        json.write(response, callback, 200, body);
    }

    private void countOutcome(SubmitResult r) {
        metrics.count(switch (r.status()) {
            case ACCEPTED -> ServeMetrics.Outcome.ACCEPTED;
            case DUPLICATE -> ServeMetrics.Outcome.DUPLICATE;
            case DUPLICATE_CONFLICT -> ServeMetrics.Outcome.DUPLICATE_CONFLICT;
            case REJECTED -> ServeMetrics.Outcome.REJECTED;
            case BACK_PRESSURED -> ServeMetrics.Outcome.BACK_PRESSURED;
            case UNAVAILABLE -> ServeMetrics.Outcome.UNAVAILABLE;
        });
    }

    private static int statusOf(SubmitResult r) {
        return switch (r.status()) {
            case ACCEPTED -> 202;
            case DUPLICATE -> 202;
            case DUPLICATE_CONFLICT -> 409;
            case BACK_PRESSURED, UNAVAILABLE -> 503;
            case REJECTED -> switch (r.code()) {
                case "TEXT_TOO_LONG" -> 413;
                case "UNKNOWN_TICKET" -> 404;
                case "INVALID_TRANSITION" -> 409;
                default -> 422;
            };
        };
    }

    private void writeRejection(Response response, Callback callback, SubmitResult r, String fieldPrefix) {
        int status = statusOf(r);
        if (status == 503) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
        }
        json.error(response, callback, status, r.code(), r.message(),
                r.field() == null ? null : fieldPrefix + r.field(), Map.of());
    }

    // ---------------------------------------------------------------- events, departments, rules

    private void ticketEvent(Request request, Response response, Callback callback, String ticketId) {
        noParameters(request, "POST /v1/tickets/{id}/events");
        RequestBodyDecoder.ContentType ct = RequestBodyDecoder.contentType(
                singleHeader(request, HttpHeader.CONTENT_TYPE), JSON_TYPES);
        JsonNode node = parser.readTree(RequestBodyDecoder.decode(readBody(request), ct.charset()));
        if (!node.isObject()) {
            throw new ApiException(422, "WRONG_TYPE", "an event must be a JSON object", null);
        }
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("type") && !name.equals("department")) {
                throw new ApiException(422, "UNKNOWN_FIELD", "unknown field; known: type, department",
                        RequestBodyDecoder.printable(name).replace("'", ""));
            }
        }
        String type = TicketJsonParser.requiredString(node, "type", "", 32);
        String department = TicketJsonParser.optionalString(node, "department", "", 64);
        ControlEvent.Type eventType = switch (type) {
            case "resolved" -> ControlEvent.Type.RESOLVED;
            case "transferred" -> ControlEvent.Type.TRANSFERRED;
            case "reopened" -> ControlEvent.Type.REOPENED;
            default -> throw new ApiException(422, "INVALID_VALUE",
                    "type must be one of resolved, transferred, reopened", "type");
        };
        if (eventType == ControlEvent.Type.TRANSFERRED && department == null) {
            throw new ApiException(422, "MISSING_FIELD", "a transfer needs the target department", "department");
        }
        if (eventType != ControlEvent.Type.TRANSFERRED && department != null) {
            throw new ApiException(422, "INVALID_VALUE", "only a transfer names a department", "department");
        }
        if (port.findTicket(ticketId) == null) {
            throw new ApiException(404, "UNKNOWN_TICKET", "no ticket with this ticketId was accepted", null);
        }
        SubmitResult r = port.submitControl(new ControlEvent(eventType, ticketId, department, null, 0, null, 0));
        if (r.status() != SubmitResult.Status.ACCEPTED) {
            writeRejection(response, callback, r, "");
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ticketId", ticketId);
        body.put("type", type);
        body.put("journalIndex", r.journalIndex());
        putControlOutcome(body, r);
        json.write(response, callback, 202, body);
    }

    /**
     * {@code status: "accepted"}, or for an event journaled and then refused by the router (rare: see
     * {@link PipelineIntakePort#submitControl}) {@code status: "refused"} with its {@code code} and {@code message}.
     */
    private static void putControlOutcome(Map<String, Object> body, SubmitResult r) {
        if (r.code() == null) {
            body.put("status", "accepted");
        } else {
            body.put("status", "refused");
            body.put("code", r.code());
            body.put("message", r.message());
        }
    }

    /** A capacity of {@code -1} in {@code PUT}/{@code GET /v1/departments}: unlimited. */
    private static final long UNLIMITED = -1;

    private void putDepartments(Request request, Response response, Callback callback) {
        noParameters(request, "PUT /v1/departments");
        RequestBodyDecoder.ContentType ct = RequestBodyDecoder.contentType(
                singleHeader(request, HttpHeader.CONTENT_TYPE), JSON_TYPES);
        JsonNode root = parser.readTree(RequestBodyDecoder.decode(readBody(request), ct.charset()));
        JsonNode list = root;
        String listField = null;
        if (root.isObject() && root.has("departments")) {
            for (java.util.Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!name.equals("departments")) {
                    throw new ApiException(422, "UNKNOWN_FIELD", "unknown field beside departments",
                            RequestBodyDecoder.printable(name).replace("'", ""));
                }
            }
            list = root.get("departments");
            listField = "departments";
            if (!list.isArray()) {
                throw new ApiException(422, "WRONG_TYPE", "departments must be an array of department updates",
                        listField);
            }
        } else if (!root.isObject() && !root.isArray()) {
            throw new ApiException(422, "WRONG_TYPE", "the body must be a department update object, an array of "
                    + "them, or {\"departments\": [...]}", null);
        }
        List<JsonNode> updates = new ArrayList<>();
        if (list.isArray()) {
            list.forEach(updates::add);
            if (updates.isEmpty()) {
                throw new ApiException(422, "INVALID_VALUE", "give at least one department update", listField);
            }
        } else {
            updates.add(list);
        }
        Map<String, List<String>> known = new java.util.HashMap<>();
        for (DepartmentView d : port.departments()) {
            known.put(d.id(), d.queues());
        }
        List<ControlEvent> events = new ArrayList<>();
        // department -> its updates so far in this body (queue, null for the whole department, and position); each
        // update is checked before anything is journaled, so a body naming a department twice is refused whole
        Map<String, List<NamedUpdate>> named = new java.util.HashMap<>();
        for (int i = 0; i < updates.size(); i++) {
            JsonNode u = updates.get(i);
            String p = updates.size() == 1 && !list.isArray() ? "" : "[" + i + "].";
            if (!u.isObject()) {
                throw new ApiException(422, "WRONG_TYPE", "a department update must be an object",
                        list.isArray() ? "[" + i + "]" : null);
            }
            for (java.util.Iterator<String> it = u.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!Set.of("id", "available", "capacity", "queue").contains(name)) {
                    throw new ApiException(422, "UNKNOWN_FIELD", "unknown field; known: id, available, capacity, queue",
                            p + RequestBodyDecoder.printable(name).replace("'", ""));
                }
            }
            String id = TicketJsonParser.requiredString(u, "id", p, 64);
            List<String> queues = known.get(id);
            if (queues == null) {
                throw new ApiException(422, "UNKNOWN_DEPARTMENT", "no such department", p + "id");
            }
            String queue = TicketJsonParser.optionalString(u, "queue", p, 64);
            if (queue != null && !queues.contains(queue)) {
                throw new ApiException(422, "UNKNOWN_QUEUE", "department " + id + " has no such queue; its queues: "
                        + String.join(", ", queues), p + "queue");
            }
            checkNotNamedTwice(named, id, queue, p, i);
            JsonNode available = u.get("available");
            JsonNode capacity = u.get("capacity");
            if (available == null && capacity == null) {
                throw new ApiException(422, "MISSING_FIELD", "give available and/or capacity", p + "capacity");
            }
            if (available != null) {
                if (!available.isBoolean()) {
                    throw new ApiException(422, "WRONG_TYPE", "available must be true or false", p + "available");
                }
                events.add(new ControlEvent(ControlEvent.Type.AVAILABILITY, null, id, queue,
                        available.booleanValue() ? 1 : 0, null, 0));
            }
            if (capacity != null) {
                if (!capacity.isNumber()) {
                    throw new ApiException(422, "WRONG_TYPE", "capacity must be a number, not "
                            + capacity.getNodeType().name().toLowerCase(Locale.ROOT), p + "capacity");
                }
                if (!capacity.isIntegralNumber() || !capacity.canConvertToLong() || capacity.longValue() < -1
                        || capacity.longValue() > 1_000_000) {
                    throw new ApiException(422, "INVALID_VALUE", "capacity must be a whole number in 0..1000000, "
                            + "or -1 for unlimited", p + "capacity");
                }
                long total = capacity.longValue();
                if (total == UNLIMITED) {
                    // unlimited, as GET shows it and as the rules file's 'unlimited' is: every queue named (or each
                    // of the department's) gets the router's unlimited capacity, Long.MAX_VALUE
                    for (String qid : queue != null ? List.of(queue) : queues) {
                        events.add(new ControlEvent(ControlEvent.Type.CAPACITY, null, id, qid, Long.MAX_VALUE, null, 0));
                    }
                } else if (queue != null) {
                    events.add(new ControlEvent(ControlEvent.Type.CAPACITY, null, id, queue, total, null, 0));
                } else {
                    // the department's capacity: split over its queues, the remainder to the first ones, one
                    // event per queue (the router's capacity is per queue), so GET shows this total
                    for (int k = 0; k < queues.size(); k++) {
                        events.add(new ControlEvent(ControlEvent.Type.CAPACITY, null, id, queues.get(k),
                                total / queues.size() + (k < total % queues.size() ? 1 : 0), null, 0));
                    }
                }
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (ControlEvent e : events) {
            SubmitResult r = port.submitControl(e);
            if (r.status() != SubmitResult.Status.ACCEPTED) {
                writeRejection(response, callback, r, "");
                return;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("department", e.department());
            if (e.queue() != null) {
                m.put("queue", e.queue());
            }
            m.put("type", e.type().name().toLowerCase(Locale.ROOT));
            m.put("value", e.type() == ControlEvent.Type.CAPACITY && e.value() == Long.MAX_VALUE ? UNLIMITED
                    : e.value());
            m.put("journalIndex", r.journalIndex());
            putControlOutcome(m, r);
            results.add(m);
        }
        json.write(response, callback, 202, Map.of("status", "accepted", "events", results));
    }

    /**
     * Refuses a department (or one of its queues) that an earlier update of the same body already names: both were
     * applied in order, so the last silently won, and which one the caller meant is unknown. Two updates of
     * different queues of one department are fine; a department-wide update (no {@code queue}) overlaps every queue
     * of it.
     *
     * @param named the department ids named so far, each with the updates that named it (queue, {@code null} for
     *              the whole department, and position); updated with this one
     * @param id    this update's department id (known)
     * @param queue this update's queue, or {@code null} for the whole department
     * @param p     the field prefix of this update ({@code "[2]."}, or empty for a lone object)
     * @param i     this update's 0-based position in the body
     * @throws ApiException 422 {@code DUPLICATE_DEPARTMENT} (field {@code p + "id"}, or {@code p + "queue"} when the
     *                      same queue is named twice) when it overlaps an earlier update; nothing is journaled
     */
    private static void checkNotNamedTwice(Map<String, List<NamedUpdate>> named, String id, String queue, String p,
                                           int i) {
        List<NamedUpdate> before = named.computeIfAbsent(id, k -> new ArrayList<>());
        for (NamedUpdate earlier : before) {
            if (queue == null || earlier.queue() == null || earlier.queue().equals(queue)) {
                boolean sameQueue = queue != null && queue.equals(earlier.queue());
                throw new ApiException(422, "DUPLICATE_DEPARTMENT", "update " + i + " names department " + id
                        + (queue != null ? " queue " + queue : "")
                        + ", which update " + earlier.index() + " already names"
                        + (earlier.queue() == null ? " (the whole department)" : " (queue " + earlier.queue() + ")")
                        + ": give each department, or each of its queues, once; nothing was applied",
                        p + (sameQueue ? "queue" : "id"));
            }
        }
        before.add(new NamedUpdate(queue, i));
    }

    /** A department's update seen earlier in one body: its queue ({@code null}: the whole department) and position. */
    private record NamedUpdate(String queue, int index) {
    }

    private void putRules(Request request, Response response, Callback callback) {
        noParameters(request, "PUT /v1/rules");
        RequestBodyDecoder.ContentType ct = RequestBodyDecoder.contentType(
                singleHeader(request, HttpHeader.CONTENT_TYPE), YAML_TYPES);
        String yaml = RequestBodyDecoder.decode(readBody(request), ct.charset());
        RulesUpdateResult r = port.replaceRules(yaml);
        if (r.accepted()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "accepted");
            body.put("version", r.version());
            body.put("journalIndex", r.journalIndex());
            json.write(response, callback, 202, body);
        } else if (r.backPressured()) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
            json.error(response, callback, 503, "BACK_PRESSURED", r.reason(), null, Map.of());
        } else if (r.unavailableCode() != null) {
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
            json.error(response, callback, 503, r.unavailableCode(), r.reason(), null, Map.of());
        } else {
            Map<String, Object> extra = new LinkedHashMap<>();
            if (r.line() > 0) {
                extra.put("line", r.line()); // an empty body or a reload the journal refused has no line
            }
            extra.put("reason", r.reason());
            json.error(response, callback, 422, "RULES_INVALID",
                    "rules refused" + (r.line() > 0 ? " at line " + r.line() : "") + ": " + r.reason()
                            + "; the rules in force are unchanged", null, extra);
        }
    }

    private void putModel(Request request, Response response, Callback callback) {
        noParameters(request, "PUT /v1/model");
        RequestBodyDecoder.ContentType ct = RequestBodyDecoder.contentType(
                singleHeader(request, HttpHeader.CONTENT_TYPE), JSON_TYPES);
        JsonNode node = parser.readTree(RequestBodyDecoder.decode(readBody(request), ct.charset()));
        if (!node.isObject()) {
            throw new ApiException(422, "WRONG_TYPE", "the body must be a JSON object {\"path\": \"/abs/model/dir\"}",
                    null);
        }
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!name.equals("path")) {
                throw new ApiException(422, "UNKNOWN_FIELD", "unknown field; known: path",
                        RequestBodyDecoder.printable(name).replace("'", ""));
            }
        }
        String pathText = TicketJsonParser.requiredString(node, "path", "", 4096);
        TicketJsonParser.checkText(pathText, "path");
        java.nio.file.Path dir;
        try {
            dir = java.nio.file.Path.of(pathText);
        } catch (java.nio.file.InvalidPathException e) {
            throw new ApiException(422, "INVALID_VALUE", "path is not a valid path on this server", "path");
        }
        if (!dir.isAbsolute()) {
            throw new ApiException(422, "INVALID_VALUE", "path must be an absolute path of a model directory on "
                    + "this server (trained with voxroute train)", "path");
        }
        ModelUpdateResult r = port.replaceModel(dir.normalize());
        switch (r.status()) {
            case ACCEPTED -> {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", "accepted");
                body.put("version", r.version());
                body.put("previousVersion", r.previousVersion());
                body.put("digest", r.digest());
                body.put("journalIndex", r.journalIndex());
                json.write(response, callback, 200, body);
            }
            case REFUSED -> json.error(response, callback, 422, r.code(), r.message(), "path", Map.of());
            case UNAVAILABLE -> {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(config.retryAfterSeconds()));
                json.error(response, callback, 503, r.code(), r.message(), null, Map.of());
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private long streamStart(Request request) {
        String header = singleHeader(request, "Last-Event-ID");
        String value = header;
        String name = "Last-Event-ID";
        // read even with the header, so an unknown parameter is refused either way
        String afterParameter = request.getHttpURI().getQuery() == null ? null : onlyParameter(request, "after",
                "GET /v1/assignments/stream takes only ?after=N (or the Last-Event-ID header)");
        if (value == null) {
            value = afterParameter;
            name = "after";
        }
        if (value != null && value.isBlank() && header == null) {
            // ?after= with no value is a client bug (a variable that was never filled), not "from now": a blank
            // Last-Event-ID header, by contrast, is what an EventSource sends after an event without an id
            throw new ApiException(400, "INVALID_PARAMETER", "after must be an assignment journal index (>= -1);"
                    + " leave it out to start from now", "after");
        }
        if (value == null || value.isBlank()) {
            return port.lastAssignmentIndex();
        }
        long after;
        try {
            after = Long.parseLong(value.strip());
            if (after < -1) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new ApiException(400, "INVALID_PARAMETER", name + " must be an assignment journal index (>= -1)",
                    name);
        }
        long last = port.lastAssignmentIndex();
        if (after > last) {
            // no assignment was ever sent with this id here (another data directory, or made up): a stream that
            // resumes after it could never send anything, so say so instead of holding an empty stream open
            throw new ApiException(400, "INVALID_PARAMETER", name + " " + after + " is beyond the end of the "
                    + "assignments journal (last index " + last + "): it was not sent by this server's journal; "
                    + "reconnect without it (from now) or with -1 (from the start)", name,
                    Map.of("lastAssignmentIndex", last));
        }
        return after;
    }

    /**
     * @return the one value of {@code name}, or {@code null} when absent
     * @throws ApiException 400 {@code INVALID_PARAMETER} (field {@code name}) when it is given more than once:
     *                      {@code ?wait=false&wait=true} took the first value, so the caller's wait was silently
     *                      dropped (or added); which one was meant is unknown
     */
    private static String single(org.eclipse.jetty.util.Fields fields, String name) {
        org.eclipse.jetty.util.Fields.Field f = fields.get(name);
        if (f == null) {
            return null;
        }
        if (f.getValues().size() > 1) {
            throw new ApiException(400, "INVALID_PARAMETER", name + " is given " + f.getValues().size()
                    + " times; give it once", name);
        }
        return f.getValue();
    }

    /**
     * Checks that the query string names no parameter but {@code allowed} (a misspelt {@code ?wiat=true} must not
     * silently become a submission without a wait), and returns {@code allowed}'s one value.
     *
     * @param allowed the one accepted parameter, or {@code null} when none is accepted
     * @param hint    what the endpoint takes, for the message
     * @return the value of {@code allowed}, or {@code null} when absent (400 {@code INVALID_PARAMETER} when it is
     *         given twice or more: {@link #single})
     * @throws ApiException 400 {@code UNKNOWN_PARAMETER} (field: the first unknown name, printable) for any other
     *                      parameter; 400 {@code INVALID_PARAMETER} (field {@code query}) for a query string that
     *                      cannot be decoded: a bad percent-escape ({@code %zz}) or bytes that are not UTF-8
     *                      ({@code %ff}); Jetty's decoder throws for these, which was a 500
     */
    private static String onlyParameter(Request request, String allowed, String hint) {
        org.eclipse.jetty.util.Fields fields;
        try {
            fields = Request.extractQueryParameters(request);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw badQuery();
        }
        for (String name : fields.getNames()) {
            if (!name.equals(allowed)) {
                String shown = RequestBodyDecoder.printable(name);
                throw new ApiException(400, "UNKNOWN_PARAMETER", "unknown query parameter " + shown + "; " + hint,
                        shown.replace("'", ""));
            }
        }
        return allowed == null ? null : single(fields, allowed);
    }

    /**
     * Refuses any query parameter on an endpoint that takes none ({@code PUT /v1/rules?dryRun=true} replaced the
     * rules in force, {@code POST .../events?wait=true} answered like a plain event: a parameter the server ignored
     * changed what the caller thought would happen; on a read, {@code GET /v1/departments?id=triage} answered every
     * department as if filtered). Called before the body is read; nothing is journaled.
     *
     * @param request  the request
     * @param endpoint the method and path, for the message
     * @throws ApiException 400 {@code UNKNOWN_PARAMETER} (field: the first name) or {@code INVALID_PARAMETER} (field
     *                      {@code query}) for a query string that cannot be decoded; an empty query string passes
     */
    private static void noParameters(Request request, String endpoint) {
        if (request.getHttpURI().getQuery() != null) {
            onlyParameter(request, null, endpoint + " takes no query parameters");
        }
    }

    private static ApiException badQuery() {
        return new ApiException(400, "INVALID_PARAMETER", "the query string is not valid: a bad percent-escape "
                + "or escaped bytes that are not UTF-8", "query");
    }

    private byte[] readBody(Request request) {
        String coding = singleHeader(request, HttpHeader.CONTENT_ENCODING);
        if (coding != null && !coding.isBlank() && !coding.strip().equalsIgnoreCase("identity")) {
            // bodies are never decompressed: a gzip body was read as bad UTF-8 (a misleading 400), and a plain body
            // labelled gzip was taken; RFC 9110 section 8.4.1: an unacceptable content coding is a 415
            throw new ApiException(415, "UNSUPPORTED_CONTENT_ENCODING", "Content-Encoding "
                    + RequestBodyDecoder.printable(coding) + " is not accepted: send the body uncompressed", null);
        }
        long length = request.getLength();
        if (length > config.maxBodyBytes()) {
            throw tooLarge();
        }
        try {
            InputStream in = Content.Source.asInputStream(request);
            byte[] body;
            if (length >= 0) {
                // a declared length (the common case): one array of that size, no growing buffer and copy (this
                // was the largest allocation of a submission); Jetty ends the body at Content-Length
                body = new byte[(int) length];
                int n = in.readNBytes(body, 0, body.length);
                if (n < body.length) {
                    body = java.util.Arrays.copyOf(body, n);
                }
            } else {
                body = in.readNBytes(config.maxBodyBytes() + 1);
            }
            if (body.length > config.maxBodyBytes()) {
                throw tooLarge();
            }
            request.setAttribute(BODY_READ, Boolean.TRUE);
            return body;
        } catch (IOException e) {
            // the stream is broken or the idle timeout ran out: draining the rest would wait out a second
            // timeout, so the answer closes the connection instead (see discardUnreadBody)
            request.setAttribute(BODY_READ_FAILED, Boolean.TRUE);
            throw new ApiException(400, "BODY_READ_FAILED", "the request body could not be read", null);
        }
    }

    /**
     * An error answered before the body was read (401, 403, 404, 405, 413, 415) leaves the body on the
     * connection. A small declared body is read and dropped so the connection stays usable; otherwise the
     * reply says {@code Connection: close}, so the client does not send its next request on a connection the
     * server is about to close. A body whose read already failed is not drained (that would wait out a
     * second idle timeout): the reply closes the connection.
     */
    private void discardUnreadBody(Request request, Response response) {
        if (request.getAttribute(BODY_READ) != null || response.isCommitted()) {
            return;
        }
        if (request.getAttribute(BODY_READ_FAILED) != null) {
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            return;
        }
        long length = request.getLength();
        if (length == 0 || (length < 0 && request.getHeaders().get(HttpHeader.TRANSFER_ENCODING) == null)) {
            return;
        }
        if (length > 0 && length <= config.maxBodyBytes()) {
            try {
                Content.Source.asInputStream(request).skipNBytes(length);
                return;
            } catch (IOException | RuntimeException e) {
                // fall through: close the connection instead
            }
        }
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }

    private ApiException tooLarge() {
        return new ApiException(413, "BODY_TOO_LARGE", "the body is larger than " + config.maxBodyBytes()
                + " bytes", null, Map.of("maxBodyBytes", config.maxBodyBytes()));
    }

    private static void requireMethod(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new ApiException(405, "METHOD_NOT_ALLOWED", "use " + String.join(" or ", allowed), null,
                Map.of("allow", List.of(allowed)));
    }

    /**
     * Reads a request header that may appear only once (RFC 9110 section 5.3: a field that is not a
     * comma-separated list must not be sent twice). Jetty's {@code get} returns the first of several, so two
     * {@code Authorization} headers used the first and ignored the second, and a {@code Content-Encoding: gzip} after
     * an {@code identity} one was taken as plain: which one a proxy or client meant is unknown, so it is refused.
     *
     * @param request the request
     * @param header  the header
     * @return its value, or {@code null} when absent
     * @throws ApiException 400 {@code DUPLICATE_HEADER} (field: the header's name) when it appears more than once
     */
    static String singleHeader(Request request, HttpHeader header) {
        return singleHeader(request, header.asString());
    }

    /**
     * As {@link #singleHeader(Request, HttpHeader)}, for a header Jetty has no constant for.
     *
     * @param request the request
     * @param name    the header's name (matched ignoring case)
     * @return its value, or {@code null} when absent
     * @throws ApiException 400 {@code DUPLICATE_HEADER} (field: {@code name}) when it appears more than once
     */
    static String singleHeader(Request request, String name) {
        String first = null;
        int count = 0;
        for (org.eclipse.jetty.http.HttpField f : request.getHeaders()) {
            if (f.is(name) && ++count == 1) {
                first = f.getValue();
            }
        }
        if (count > 1) {
            throw new ApiException(400, "DUPLICATE_HEADER", "the " + name + " header appears " + count
                    + " times; send it once", name);
        }
        return first;
    }

    private void authorize(Request request, Role required) {
        String header = singleHeader(request, HttpHeader.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw new ApiException(401, "UNAUTHENTICATED", "a bearer token is required (Authorization: Bearer ...)",
                    null);
        }
        String h = header.strip();
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "UNAUTHENTICATED", h.equalsIgnoreCase("Bearer")
                    ? "the bearer token is empty (Authorization: Bearer <token>)" : "only bearer tokens are accepted",
                    null);
        }
        Role role = tokens.roleOf(h.substring(7).strip());
        if (role == null) {
            throw new ApiException(401, "INVALID_TOKEN", "the bearer token is not valid", null);
        }
        if (!role.grants(required)) {
            throw new ApiException(403, "FORBIDDEN", "this needs the " + required.fileName() + " role", null);
        }
    }

    private void logOnce(Throwable e) {
        StackTraceElement[] st = e.getStackTrace();
        String key = e.getClass().getName() + (st.length > 0 ? " at " + st[0] : "");
        LongAdder count = distinctErrors.computeIfAbsent(key, k -> new LongAdder());
        count.increment();
        if (count.sum() == 1) {
            // class and location only: an exception message may quote ticket text
            LOG.error("unexpected error in the HTTP API: {} (logged once; later ones counted)", key);
        }
    }
}
