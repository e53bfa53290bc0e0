package io.waybill.edge.component;

import io.waybill.edge.model.ConveyorEdgeModel;
import io.waybill.edge.model.ConveyorReading;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.model.ReeferEdgeModel;
import io.waybill.edge.model.SequenceCounter;
import io.waybill.edge.model.TemperatureReading;
import io.waybill.edge.sensor.SensorSource;
import io.waybill.edge.spool.DropReport;
import io.waybill.edge.spool.Priority;
import io.waybill.edge.spool.Spool;
import io.waybill.edge.spool.SpooledMessage;
import io.waybill.edge.uplink.StorageConfirmation;
import io.waybill.edge.uplink.Uplink;
import io.waybill.edge.uplink.UplinkRefusedException;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The reefer monitor: {@link SensorSource} → {@link ReeferEdgeModel} → {@link Spool} → {@link Uplink}; and, with
 * the configuration's {@code conveyor} section on (the default), the conveyor drives: {@link SensorSource} →
 * {@link ConveyorEdgeModel} (one jam detector per drive) → the same spool and uplink. Both models take their sequence
 * numbers from one {@link SequenceCounter}: the sequence is per edge device, whatever the message is about.
 *
 * <h2>Shipment assignment</h2>
 * The reefer model belongs to a <em>trip</em>: one shipment in the container. The component starts with or without
 * one; without, it logs {@code {"event":"shipmentAssignment","state":"AWAITING_SHIPMENT",...}} and runs: the drain
 * loop sends what the spool holds, conveyor drives are monitored (a jam is about the equipment, not a shipment), and
 * temperature readings are <b>discarded</b> (counted in {@link Stats#readingsUnassigned()}, logged at most once a
 * minute): a reading taken while no shipment is assigned is no shipment's evidence, and holding it back to attribute
 * it to a later assignment would put readings from before the goods were loaded into that shipment's record.
 * {@link #assign(EdgeComponentConfig)} starts a trip ({@code "state":"ASSIGNED"}); a reassignment to another
 * shipment first ends the current trip exactly as a shutdown would (its partial window and summary period become a
 * summary for the old shipment) and then starts a new model with empty windows, so no window or summary ever holds
 * readings of two trips. {@link #unassign(String)} ends the trip and waits again. {@link ShipmentAssignments} drives
 * both from the component configuration.
 *
 * <h2>Flow</h2>
 * <ul>
 *   <li><b>Readings</b> arrive on the source's thread(s) and are serialised into the model (it is not thread-safe).
 *       Every message the model emits is appended to the spool <em>first</em> ({@link EdgeMessageJson} bytes, alerts
 *       at alert priority), whether or not the link is up: the spool is the only queue, so a message survives a
 *       process restart the moment it exists.</li>
 *   <li><b>Signing.</b> With {@link EdgeComponentConfig#signingKeyPath()} set, each message is signed as it is
 *       spooled ({@link SigningKey#sign}: {@code wb_sig} with the key id and the message's own sequence number), so
 *       what the spool holds are the bytes to publish: a resend after a lost PUBACK carries identical bytes, and the
 *       signing sequence continues across restarts with the message sequence. Without a key the messages go
 *       unsigned; the component says so once at start ({@code "event":"signing","state":"UNSIGNED"}).</li>
 *   <li><b>Drain loop</b> (thread {@code waybill-edge-drain}): peeks the oldest messages, publishes them one at a time
 *       with QoS 1 on {@link EdgeComponentConfig#uplinkTopic()} and acknowledges each in the spool only after its
 *       PUBACK. One at a time keeps the order on the wire equal to the sequence order even across failures: message
 *       n+1 is never sent before n is confirmed, so a retry can duplicate a message (QoS 1 is at-least-once; the cloud
 *       dedupes on thingName + sequence) but never reorder. While the link is down or after a failed publish it backs
 *       off from {@code retryMinBackoff}, doubling up to {@code retryMaxBackoff}; new messages wake it at once.</li>
 *   <li><b>Restarts.</b> The model's sequence resumes at the spool's {@link Spool#lastSequence()} + 1, so a new
 *       instance on the same spool directory continues the numbering and first drains what the old one left.</li>
 *   <li><b>Spool drops</b> (the spool is full: oldest summaries go first, alerts only when nothing but alerts is
 *       left) are reported as a WARNING log line, e.g. "12 summaries dropped between seq 100 and 140", at most once a
 *       {@link #DROP_REPORT_INTERVAL} and at shutdown, and counted in {@link #stats()}; then marked reported in the
 *       spool. They are <em>not</em> sent as a message of their own: the uplink carries canonical
 *       {@code TemperatureObserved}/{@code TemperatureBreached}/{@code ConveyorJammed} payloads only, and the gap in
 *       the sequence numbers
 *       already tells the cloud what is missing.</li>
 *   <li><b>Shutdown</b> ({@link #close()}): stops the source, flushes the model (the partial window and summary
 *       period become a summary; an open excursion stays open and starts over after a restart), gives the drain loop
 *       up to {@code shutdownDrainTimeout} to send what is spooled if the link is up, then closes the spool and the
 *       uplink. Whatever was not sent stays in the spool for the next start.</li>
 * </ul>
 */
public final class ReeferEdgeComponent implements AutoCloseable {
    /** Spool drops are logged at most this often (and once more at shutdown). */
    public static final Duration DROP_REPORT_INTERVAL = Duration.ofMinutes(1);
    /** How long {@link #close()} waits for the spool to drain when the link is up: 5 s. */
    public static final Duration DEFAULT_SHUTDOWN_DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private static final System.Logger LOG = System.getLogger(ReeferEdgeComponent.class.getName());
    private static final int DRAIN_BATCH = 50;
    /** The quarantine file's name in the spool directory. */
    public static final String QUARANTINE_FILE_NAME = "quarantine.jsonl";

    /**
     * Counters since this instance started (spool figures are the spool's own, across restarts).
     *
     * @param readings         readings passed to the model
     * @param readingsRejected readings the model could not take (an exception), logged
     * @param messages         messages the model emitted (all appended to the spool)
     * @param published        publishes confirmed by a PUBACK (a resend counts again)
     * @param publishFailures  publish attempts that failed or timed out (each is retried)
     * @param spoolSize        messages in the spool now, not yet confirmed
     * @param droppedAlerts    alerts the spool dropped, lifetime
     * @param droppedSummaries summaries the spool dropped, lifetime
     * @param spoolErrors      appends that failed with an I/O error (the message is lost), logged
     * @param conveyorReadings conveyor drive samples passed to the conveyor model (not counted in {@code readings})
     * @param readingsUnassigned temperature readings discarded because no shipment was assigned (not counted in
     *                         {@code readings})
     * @param confirmed        messages the spool may forget: the cloud confirmed storing them ({@code cloud}), or
     *                         their PUBACK arrived ({@code puback})
     * @param resent           messages sent again because no storage confirmation came within {@code confirmTimeout}
     * @param quarantined      messages refused for good and moved to the quarantine file
     * @param confirmationsRejected confirmation payloads that did not parse (logged, ignored)
     */
    public record Stats(long readings, long readingsRejected, long messages, long published, long publishFailures,
                        int spoolSize, long droppedAlerts, long droppedSummaries, long spoolErrors,
                        long conveyorReadings, long readingsUnassigned, long confirmed, long resent,
                        long quarantined, long confirmationsRejected) {
    }

    /** Whether the component has a shipment to attribute temperature readings to. */
    public enum AssignmentState {
        /** No shipment: temperature readings are discarded until one is assigned. */
        AWAITING_SHIPMENT,
        /** A trip is running for {@link Assignment#shipmentSscc()}. */
        ASSIGNED
    }

    /** The component's shipment assignment: its state and the SSCC (null while awaiting one). */
    public record Assignment(AssignmentState state, String shipmentSscc) {
        static Assignment of(String sscc) {
            return new Assignment(sscc == null ? AssignmentState.AWAITING_SHIPMENT : AssignmentState.ASSIGNED, sscc);
        }
    }

    /** The {@code event} of the assignment log lines. */
    public static final String ASSIGNMENT_EVENT = "shipmentAssignment";

    private final EdgeComponentConfig config;
    private final SensorSource source;
    private final Uplink uplink;
    private final Spool spool;
    private final SequenceCounter sequence;
    /** The device's signing key, or null: messages are not signed. */
    private final SigningKey signingKey;
    private final ConveyorEdgeModel conveyorModel;
    /** The running trip's model and configuration; both null while awaiting a shipment. Guarded by modelLock. */
    private ReeferEdgeModel model;
    private EdgeComponentConfig trip;
    private final String topic;
    private final Duration shutdownDrainTimeout;
    private final Object modelLock = new Object();
    private final Object wake = new Object();
    private final Thread drainThread;

    private final java.util.concurrent.atomic.AtomicBoolean closeCalled = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closing;
    private volatile long drainDeadlineNanos = Long.MAX_VALUE;
    private boolean pending;
    private boolean started;
    private boolean closed;
    private long lastDropReportNanos;
    private boolean dropReportedOnce;

    private long readings;
    private long conveyorReadings;
    private long readingsUnassigned;
    private long unassignedReported;
    private long lastUnassignedReportNanos;
    private long readingsRejected;
    private long messages;
    private volatile long published;
    private volatile long publishFailures;
    private long spoolErrors;

    /** Whether the spool waits for the cloud's storage confirmation ({@code uplink.acknowledgement: cloud}). */
    private final boolean cloudAcknowledged;
    /** Where messages refused for good go: {@code quarantine.jsonl} in the spool directory. */
    private final Path quarantineFile;
    /** Sequences confirmed (stored by the cloud, PUBACKed in puback mode, or quarantined), not yet forgotten. */
    private final java.util.concurrent.ConcurrentSkipListSet<Long> confirmed =
            new java.util.concurrent.ConcurrentSkipListSet<>();
    /** Sent (PUBACKed) and awaiting the cloud's confirmation: sequence -> when sent. Drain thread only. */
    private final java.util.LinkedHashMap<Long, Long> awaitingAlerts = new java.util.LinkedHashMap<>();
    private final java.util.LinkedHashMap<Long, Long> awaitingSummaries = new java.util.LinkedHashMap<>();
    /** Refusals for good per sequence. Drain thread only. */
    private final java.util.Map<Long, Integer> refusals = new java.util.HashMap<>();
    /** The highest sequence sent (or skipped) per priority in this round. Drain thread only. */
    private long alertCursor = -1;
    private long summaryCursor = -1;
    private volatile long confirmedCount;
    private volatile long resent;
    private volatile long quarantined;
    private volatile long confirmationsRejected;

    /**
     * Opens the spool in {@code spoolDirectory} (recovering what a previous process left) and builds the model
     * continuing its sequence. Takes ownership of the source and the uplink: {@link #close()} closes them.
     *
     * @throws IOException if the spool cannot be opened
     * @throws IllegalStateException if another process holds the spool directory
     */
    public ReeferEdgeComponent(EdgeComponentConfig config, Path spoolDirectory, SensorSource source, Uplink uplink,
                               Duration shutdownDrainTimeout) throws IOException {
        this.config = Objects.requireNonNull(config, "config");
        this.source = Objects.requireNonNull(source, "source");
        this.uplink = Objects.requireNonNull(uplink, "uplink");
        this.shutdownDrainTimeout = Objects.requireNonNull(shutdownDrainTimeout, "shutdownDrainTimeout");
        this.signingKey = config.signingKeyPath() == null ? null : SigningKey.load(config.signingKeyPath());
        this.spool = Spool.open(config.spoolConfig(spoolDirectory));
        this.sequence = new SequenceCounter(spool.lastSequence() + 1);
        if (config.assigned()) {
            this.trip = config;
            this.model = new ReeferEdgeModel(config.reeferConfig(sequence.peek()), sequence);
        }
        this.conveyorModel = new ConveyorEdgeModel(config.conveyorConfig(), sequence);
        this.topic = config.uplinkTopic();
        this.quarantineFile = spool.config().directory().resolve(QUARANTINE_FILE_NAME);
        this.cloudAcknowledged = config.delivery().acknowledgement() == EdgeComponentConfig.Acknowledgement.CLOUD;
        if (cloudAcknowledged && !uplink.subscribeConfirmations(config.confirmationTopic(), this::onConfirmation)) {
            spool.close();
            throw new IllegalArgumentException("uplink " + uplink + " cannot receive the cloud's storage"
                    + " confirmations: configure uplink.acknowledgement \"puback\" for it");
        }
        this.drainThread = new Thread(this::drainLoop, "waybill-edge-drain");
        this.drainThread.setDaemon(true);
        LOG.log(System.Logger.Level.INFO, "thing " + config.thingName() + ": spool " + spoolDirectory + " holds "
                + spool.size() + " messages, next sequence " + sequence.peek() + ", uplink topic " + topic
                + (config.conveyor().enabled() ? ", conveyor drives on " + config.conveyor().sensorTopic() : ""));
        logAssignment(null, config.assigned() ? "configured at start" : "no shipmentSscc in the configuration");
        LOG.log(System.Logger.Level.INFO, signingKey == null
                ? EdgeLog.line("signing", "state", "UNSIGNED", "thingName", config.thingName(), "reason",
                        "no signingKeyPath in the configuration: messages are published without wb_sig")
                : EdgeLog.line("signing", "state", "SIGNED", "thingName", config.thingName(), "kid", signingKey.kid()));
    }

    /** The key id messages are signed with, or null when they are not signed. */
    public String signingKeyId() {
        return signingKey == null ? null : signingKey.kid();
    }

    public ReeferEdgeComponent(EdgeComponentConfig config, Path spoolDirectory, SensorSource source, Uplink uplink)
            throws IOException {
        this(config, spoolDirectory, source, uplink, DEFAULT_SHUTDOWN_DRAIN_TIMEOUT);
    }

    /** Starts the drain loop and the source. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        drainThread.start();
        source.start(this::onReading, config.conveyor().enabled() ? this::onConveyorReading : null);
    }

    public EdgeComponentConfig config() {
        return config;
    }

    /** The source, e.g. to wait for a replay's end. */
    public SensorSource source() {
        return source;
    }

    /** The current shipment assignment. */
    public Assignment assignment() {
        synchronized (modelLock) {
            return Assignment.of(trip == null ? null : trip.shipmentSscc());
        }
    }

    /**
     * Starts a trip for {@code assignment}'s shipment with its trip settings (band, excursion, window, heartbeat;
     * the other settings stay those the component started with, see {@link EdgeComponentConfig#sameExceptTrip}).
     * A running trip for another shipment is ended first (flushed into the spool); the same shipment again changes
     * nothing.
     *
     * @return whether a new trip started
     * @throws IllegalArgumentException when {@code assignment} names no shipment
     */
    public boolean assign(EdgeComponentConfig assignment) {
        Objects.requireNonNull(assignment, "assignment");
        if (!assignment.assigned()) {
            throw new IllegalArgumentException("the assignment names no shipment");
        }
        synchronized (modelLock) {
            if (closed) {
                return false;
            }
            if (!config.sameExceptTrip(assignment)) {
                LOG.log(System.Logger.Level.WARNING, EdgeLog.line("configurationNotApplied", "thingName",
                        config.thingName(), "reason", "only the shipment and its trip settings (productBand, "
                                + "excursion, windowLength, summaryHeartbeat) change while running; the rest "
                                + "applies at the next start"));
            }
            if (trip != null && trip.shipmentSscc().equals(assignment.shipmentSscc())) {
                return false;
            }
            EdgeComponentConfig next = config.toBuilder().shipmentSscc(assignment.shipmentSscc())
                    .productClass(assignment.productClass()).band(assignment.band()).excursion(assignment.excursion())
                    .windowLength(assignment.windowLength()).summaryHeartbeat(assignment.summaryHeartbeat()).build();
            String previous = endTrip();
            trip = next;
            model = new ReeferEdgeModel(next.reeferConfig(sequence.peek()), sequence);
            logAssignment(previous, previous == null ? "assigned" : "reassigned: a new trip");
            return true;
        }
    }

    /**
     * Ends the running trip (flushed into the spool, as at shutdown) and waits for the next assignment.
     *
     * @return whether a trip was running
     */
    public boolean unassign(String reason) {
        synchronized (modelLock) {
            if (closed || trip == null) {
                return false;
            }
            String previous = endTrip();
            logAssignment(previous, reason);
            return true;
        }
    }

    /** Flushes the running trip's model into the spool; returns its shipment, or null when none ran. */
    private String endTrip() {
        if (model == null) {
            return null;
        }
        String previous = trip.shipmentSscc();
        try {
            spoolAll(model.flush());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "flushing the trip of " + previous + " failed", e);
        }
        model = null;
        trip = null;
        return previous;
    }

    private void logAssignment(String previous, String reason) {
        Assignment a = Assignment.of(trip == null ? null : trip.shipmentSscc());
        LOG.log(System.Logger.Level.INFO, EdgeLog.line(ASSIGNMENT_EVENT, "state", a.state().name(),
                "thingName", config.thingName(), "shipmentSscc", a.shipmentSscc(), "previousShipmentSscc", previous,
                "productBand", trip == null ? null : trip.band().name(), "nextSequence", sequence.peek(),
                "reason", reason));
    }

    /** A reading while no shipment is assigned: counted, reported at most once a minute. Under modelLock. */
    private void discardUnassigned() {
        readingsUnassigned++;
        long now = System.nanoTime();
        if (unassignedReported == 0 || now - lastUnassignedReportNanos >= DROP_REPORT_INTERVAL.toNanos()) {
            LOG.log(System.Logger.Level.INFO, EdgeLog.line("readingsDiscarded", "state",
                    AssignmentState.AWAITING_SHIPMENT.name(), "thingName", config.thingName(),
                    "discarded", readingsUnassigned - unassignedReported, "discardedTotal", readingsUnassigned,
                    "reason", "no shipment assigned"));
            unassignedReported = readingsUnassigned;
            lastUnassignedReportNanos = now;
        }
    }

    /** Feeds one reading (the source's sink); messages go to the spool and wake the drain loop. */
    void onReading(TemperatureReading r) {
        synchronized (modelLock) {
            if (closed) {
                return;
            }
            if (model == null) {
                discardUnassigned();
                return;
            }
            readings++;
            List<EdgeMessage> out;
            try {
                out = model.accept(r);
            } catch (RuntimeException e) {
                readingsRejected++;
                LOG.log(System.Logger.Level.WARNING, "reading " + r + " rejected by the model: " + e);
                return;
            }
            spoolAll(out);
            reportDrops(false);
        }
    }

    /** Feeds one conveyor drive sample (the source's conveyor sink); jam alerts go to the spool like any alert. */
    void onConveyorReading(ConveyorReading r) {
        synchronized (modelLock) {
            if (closed) {
                return;
            }
            conveyorReadings++;
            List<EdgeMessage> out;
            try {
                out = conveyorModel.accept(r);
            } catch (RuntimeException e) {
                readingsRejected++;
                LOG.log(System.Logger.Level.WARNING, "conveyor sample " + r + " rejected by the model: " + e);
                return;
            }
            spoolAll(out);
            reportDrops(false);
        }
    }

    private void spoolAll(List<EdgeMessage> out) {
        if (out.isEmpty()) {
            return;
        }
        for (EdgeMessage m : out) {
            messages++;
            try {
                byte[] json = EdgeMessageJson.toBytes(m, java.time.Instant.now());
                if (signingKey != null) {
                    json = signingKey.sign(json, m.sequence());
                }
                SpooledMessage s = m.kind() == EdgeMessage.Kind.ALERT
                        ? SpooledMessage.alert(m.sequence(), json) : SpooledMessage.summary(m.sequence(), json);
                spool.append(s);
            } catch (IOException | RuntimeException e) {
                spoolErrors++;
                LOG.log(System.Logger.Level.ERROR, "message seq " + m.sequence() + " (" + m.kind()
                        + ") could not be spooled and is lost", e);
            }
        }
        signal();
    }

    private void reportDrops(boolean force) {
        if (spool.droppedCount() == 0) {
            return;
        }
        long now = System.nanoTime();
        if (!force && dropReportedOnce && now - lastDropReportNanos < DROP_REPORT_INTERVAL.toNanos()) {
            return;
        }
        try {
            DropReport report = spool.unreportedDrops();
            if (!report.isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, "spool full (" + config.spoolMaxBytes() + " bytes / "
                        + config.spoolMaxMessages() + " messages): " + report.describe());
                spool.markDropsReported(report);
            }
            lastDropReportNanos = now;
            dropReportedOnce = true;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "spool drop report failed", e);
        }
    }

    private void signal() {
        synchronized (wake) {
            pending = true;
            wake.notifyAll();
        }
    }

    /** Waits up to {@code d} or until signalled. */
    private void pause(Duration d) throws InterruptedException {
        long deadline = System.nanoTime() + d.toNanos();
        synchronized (wake) {
            while (!pending && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(wake, left);
            }
            pending = false;
        }
    }

    /** Storage confirmations from the cloud (the uplink's thread): noted, applied by the drain loop. */
    private void onConfirmation(byte[] payload) {
        StorageConfirmation c;
        try {
            c = StorageConfirmation.parse(payload);
        } catch (IllegalArgumentException e) {
            confirmationsRejected++;
            LOG.log(System.Logger.Level.WARNING, EdgeLog.line("storageConfirmationRejected", "thingName",
                    config.thingName(), "reason", e.getMessage()));
            return;
        }
        long floor;
        long top;
        try {
            floor = spool.acknowledgedThrough();
            top = spool.lastSequence();
        } catch (RuntimeException e) {
            return; // closed
        }
        for (long[] r : c.ranges()) {
            for (long seq = Math.max(r[0], floor + 1); seq <= Math.min(r[1], top); seq++) {
                confirmed.add(seq);
            }
        }
        signal();
    }

    /** Applies the confirmations: the spool forgets the run of confirmed messages at its head. Drain thread. */
    private void applyConfirmations() throws IOException {
        if (confirmed.isEmpty()) {
            return;
        }
        long through = spool.acknowledgeConfirmed(confirmed::contains);
        confirmed.headSet(through, true).clear();
        for (java.util.Map<Long, Long> awaiting : List.of(awaitingAlerts, awaitingSummaries)) {
            java.util.Iterator<Long> it = awaiting.keySet().iterator();
            while (it.hasNext()) {
                long seq = it.next();
                if (seq <= through || confirmed.contains(seq)) {
                    it.remove();
                    confirmedCount++;
                }
            }
        }
    }

    /**
     * With cloud acknowledgement: when the oldest message sent has waited {@code confirmTimeout} for its
     * confirmation, everything unconfirmed is sent again from the oldest (the cloud stores a duplicate once and
     * confirms it again). Drain thread.
     */
    private void rewindIfUnconfirmed() {
        long oldest = Long.MAX_VALUE;
        for (java.util.Map<Long, Long> awaiting : List.of(awaitingAlerts, awaitingSummaries)) {
            for (long at : awaiting.values()) {
                oldest = Math.min(oldest, at);
            }
        }
        if (oldest == Long.MAX_VALUE || System.nanoTime() - oldest < config.delivery().confirmTimeout().toNanos()) {
            return;
        }
        int n = awaitingAlerts.size() + awaitingSummaries.size();
        resent += n;
        LOG.log(System.Logger.Level.INFO, EdgeLog.line("storageUnconfirmed", "thingName", config.thingName(),
                "messages", n, "confirmTimeout", config.delivery().confirmTimeout().toString(),
                "action", "sending them again"));
        awaitingAlerts.clear();
        awaitingSummaries.clear();
        alertCursor = -1;
        summaryCursor = -1;
    }

    /**
     * The next message to send: the oldest unsent alert, else (while fewer than {@code maxUnconfirmed} summaries
     * await their confirmation) the oldest unsent summary. So an alert raised after an outage goes out before the
     * summaries of the outage. Drain thread.
     */
    private SpooledMessage nextToSend() throws IOException {
        SpooledMessage alert = nextAfter(Priority.ALERT);
        if (alert != null) {
            return alert;
        }
        if (cloudAcknowledged && awaitingSummaries.size() >= config.delivery().maxUnconfirmed()) {
            return null;
        }
        return nextAfter(Priority.SUMMARY);
    }

    private SpooledMessage nextAfter(Priority p) throws IOException {
        while (true) {
            long cursor = p == Priority.ALERT ? alertCursor : summaryCursor;
            List<SpooledMessage> batch = spool.peekAfter(p, cursor, DRAIN_BATCH);
            if (batch.isEmpty()) {
                return null;
            }
            for (SpooledMessage m : batch) {
                if (!confirmed.contains(m.sequence())) {
                    return m;
                }
            }
            moveCursor(p, batch.get(batch.size() - 1).sequence());
        }
    }

    private void moveCursor(Priority p, long seq) {
        if (p == Priority.ALERT) {
            alertCursor = Math.max(alertCursor, seq);
        } else {
            summaryCursor = Math.max(summaryCursor, seq);
        }
    }

    private void drainLoop() {
        Duration backoff = config.retryMinBackoff();
        try {
            while (true) {
                applyConfirmations();
                if (closing && (System.nanoTime() > drainDeadlineNanos || spool.size() == 0
                        || !uplink.isLinkUp())) {
                    return;
                }
                if (!uplink.isConnected()) {
                    sleepBackoff(backoff);
                    backoff = next(backoff);
                    continue;
                }
                if (cloudAcknowledged) {
                    rewindIfUnconfirmed();
                }
                SpooledMessage m = nextToSend();
                if (m == null) {
                    pause(cloudAcknowledged ? Duration.ofMillis(200) : Duration.ofSeconds(1));
                    continue;
                }
                if (publishAndAcknowledge(m)) {
                    backoff = config.retryMinBackoff();
                } else {
                    sleepBackoff(backoff);
                    backoff = next(backoff);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "drain loop stopped", e);
        }
    }

    private void sleepBackoff(Duration backoff) throws InterruptedException {
        if (closing) {
            // shutting down: wait only a little, the loop's exit condition decides
            Thread.sleep(Math.min(50, backoff.toMillis()));
            return;
        }
        long deadline = System.nanoTime() + backoff.toNanos();
        synchronized (wake) {
            while (!closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(wake, left);
            }
        }
    }

    private Duration next(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(config.retryMaxBackoff()) > 0 ? config.retryMaxBackoff() : doubled;
    }

    /**
     * Publishes {@code m}; on its PUBACK it is confirmed at once ({@code puback}) or awaits the cloud's confirmation
     * ({@code cloud}). A refusal for good counts towards its quarantine. Returns false when the caller should back
     * off.
     */
    private boolean publishAndAcknowledge(SpooledMessage m) throws InterruptedException, IOException {
        if (m.payloadLength() > config.delivery().maxPayloadBytes()) {
            quarantine(m, "TOO_LARGE", 1);
            return true;
        }
        try {
            uplink.publish(topic, m.payload()).get(config.publishTimeout().toMillis() + 1_000,
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            publishFailures++;
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof UplinkRefusedException refused) {
                int attempts = refusals.merge(m.sequence(), 1, Integer::sum);
                if (attempts >= config.delivery().quarantineAfter()) {
                    quarantine(m, refused.reason(), attempts);
                    return true;
                }
                LOG.log(System.Logger.Level.WARNING, EdgeLog.line("publishRefused", "thingName", config.thingName(),
                        "sequence", m.sequence(), "reason", refused.reason(), "attempts", attempts,
                        "quarantineAfter", config.delivery().quarantineAfter()));
                return false;
            }
            LOG.log(System.Logger.Level.INFO, "publish of seq " + m.sequence() + " failed, will retry: " + cause);
            return false;
        }
        refusals.remove(m.sequence());
        published++;
        moveCursor(m.priority(), m.sequence());
        if (cloudAcknowledged) {
            (m.priority() == Priority.ALERT ? awaitingAlerts : awaitingSummaries).put(m.sequence(), System.nanoTime());
        } else {
            confirmed.add(m.sequence());
            confirmedCount++;
        }
        return true;
    }

    /**
     * Moves a message the broker refuses for good to {@code quarantine.jsonl} in the spool directory (one JSON line:
     * sequence, priority, reason, attempts, time, payload in base64; forced to the device), reports it, and lets the
     * spool move on.
     */
    private void quarantine(SpooledMessage m, String reason, int attempts) throws IOException {
        String line = EdgeLog.line("quarantined", "thingName", config.thingName(), "sequence", m.sequence(),
                "priority", m.priority().name(), "reason", reason, "attempts", attempts,
                "at", java.time.Instant.now().toString(),
                "payloadBase64", java.util.Base64.getEncoder().encodeToString(m.payload())) + "\n";
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(quarantineFile,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.APPEND)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(line.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                f.write(b);
            }
            f.force(true);
        }
        quarantined++;
        refusals.remove(m.sequence());
        moveCursor(m.priority(), m.sequence());
        confirmed.add(m.sequence());
        LOG.log(System.Logger.Level.WARNING, EdgeLog.line("messageQuarantined", "thingName", config.thingName(),
                "sequence", m.sequence(), "priority", m.priority().name(), "reason", reason, "attempts", attempts,
                "file", quarantineFile.toString(), "quarantinedTotal", quarantined));
    }

    /** Waits until the spool is empty (everything confirmed) or the timeout passed. */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (spool.size() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    public Stats stats() {
        synchronized (modelLock) {
            return new Stats(readings, readingsRejected, messages, published, publishFailures, spool.size(),
                    spool.droppedCount(Priority.ALERT), spool.droppedCount(Priority.SUMMARY), spoolErrors,
                    conveyorReadings, readingsUnassigned, confirmedCount, resent, quarantined,
                    confirmationsRejected);
        }
    }

    /** The sequence number the next message will get. */
    public long nextSequence() {
        synchronized (modelLock) {
            return sequence.peek();
        }
    }

    /**
     * Graceful shutdown: source stopped, model flushed into the spool, up to {@code shutdownDrainTimeout} to send it
     * if the link is up, spool and uplink closed. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        source.close();
        synchronized (modelLock) {
            if (model != null) {
                try {
                    spoolAll(model.flush());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "flushing the model failed", e);
                }
            }
            reportDrops(true);
            closed = true;
        }
        drainDeadlineNanos = System.nanoTime() + shutdownDrainTimeout.toNanos();
        closing = true;
        signal();
        if (drainThread.isAlive()) {
            try {
                drainThread.join(shutdownDrainTimeout.toMillis() + config.publishTimeout().toMillis() + 2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (drainThread.isAlive()) {
                drainThread.interrupt();
            }
        }
        Stats s = stats();
        try {
            spool.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the spool failed", e);
        }
        uplink.close();
        LOG.log(System.Logger.Level.INFO, "stopped: " + s);
    }
}
