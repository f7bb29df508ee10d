/**
 * The pipeline: one Disruptor ring, four stages, one class that wires them ({@link com.voxroute.pipeline.Pipeline}).
 *
 * <pre>
 *  intake threads (HTTP, file import, replay, Java API)
 *     │ tryOffer(ticket, attachment)        -&gt; sequence &gt;= 0 | BACK_PRESSURED (ring full, at once) | STOPPED
 *     │ offer / offerRecorded (imports, replays: wait while full)
 *     │ tryOfferControl(controlEvent, ...)  (resolved, transferred, capacity, availability, rules reload, tick)
 *     ▼
 *  ┌──────────────── ring buffer (multi-producer, preallocated TicketEvent slots) ─────────────────┐
 *  │ 1 JournalHandler  intake journal append (accepted = journaled); ticket-id idempotency:        │
 *  │                   same content -&gt; duplicate, other content -&gt; DUPLICATE_CONFLICT              │
 *  │ 2 ClassifyHandler x N (sequence % N in POOLED and CHAINED)                                    │
 *  │ 3 RouteHandler    single writer: Router.route / Router.apply in sequence order                │
 *  │ 4 PublishHandler  assignments journal append, AssignmentListeners, slot cleared               │
 *  └───────────────────────────────────────────────────────────────────────────────────────────────┘
 *  FUSED: 1-4 on one thread.  SPLIT_JOURNAL: 1 | 2-4.  POOLED: 1 | 2 x N | 3-4.  CHAINED: 1 | 2 x N | 3 | 4.
 *  (ThreadLayout; the default, chosen by measurement on 2 cores, is in PipelineConfig.)
 * </pre>
 *
 * <p>Start with {@code Pipeline.start(new PipelineConfig().dataDir(dir), classifier, router)}, register an
 * {@link com.voxroute.outbound.AssignmentListener} with {@code addListener}, offer tickets that passed
 * {@link com.voxroute.intake.TicketParser}, and {@code close()} to drain and close the journal.
 */
package com.voxroute.pipeline;
