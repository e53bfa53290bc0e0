package io.waybill.edge.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

/**
 * A bounded, crash-safe store-and-forward queue on the device's disk: the edge component {@link #append appends}
 * summaries and alerts while the uplink is down, and the uplink {@link #peek peeks} at the oldest and
 * {@link #acknowledge acknowledges} them once AWS IoT Core has confirmed their QoS 1 delivery.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Order.</b> {@link #peek} returns messages oldest first by the caller's sequence number, which must increase
 *       from one append to the next (the spool refuses one that does not; after a restart
 *       {@link #lastSequence()} tells where the caller's counter stood).</li>
 *   <li><b>Survives a restart.</b> Every append is handed to the operating system before {@code append} returns, so
 *       whatever was appended and not acknowledged is there again when the process is started after dying at any
 *       point. A power cut or kernel crash can in addition lose what was not yet forced to the device: nothing under
 *       {@link FsyncPolicy#EVERY_WRITE} (the default for alerts), the last {@code maxDelay} under a batched policy
 *       (the default for summaries: 1 s), see {@link SpoolConfig}.</li>
 *   <li><b>No garbage.</b> Every record carries a CRC32C. A record torn by a crash in the middle of a write, or
 *       damaged later, is detected when the spool opens and discarded (a torn tail is cut off the file), never
 *       returned; records after a damaged one in the same file are still found.</li>
 *   <li><b>No redelivery of what was acknowledged.</b> {@link #acknowledge} forces the acknowledgement position to
 *       the device before it returns. (Delivery itself stays at-least-once, as MQTT QoS 1 is: if the process dies
 *       after IoT Core confirmed a message and before {@code acknowledge}, the message is sent again; the sequence
 *       number lets the cloud side drop the duplicate.)</li>
 *   <li><b>Bounded.</b> The segment files never take more than {@link SpoolConfig#maxBytes()}, and the spool never
 *       holds more than {@link SpoolConfig#maxMessages()} messages.</li>
 * </ul>
 *
 * <h2>Drop policy</h2>
 * When an append does not fit, the spool drops, one at a time until it fits:
 * <ol>
 *   <li>the oldest summary in the spool, while there is one;</li>
 *   <li>otherwise, when the spool holds nothing but alerts: the incoming message itself if it is a summary (a summary
 *       never pushes out an alert; {@link #append} then returns {@code false}), or the oldest alert if the incoming
 *       message is an alert (the newest alert is the one most worth sending).</li>
 * </ol>
 * So alerts are never dropped while a summary remains. Every drop is counted ({@link #droppedCount()}) and itemised
 * ({@link #droppedSince(long)}, {@link DropReport}), and the counts survive restarts: the component can report "N
 * summaries dropped between seq a and b" itself. A drop is as durable as the append that caused it (it is forced
 * with the append under that message's fsync policy, and always before the dropped record's file space is reused).
 * A message that the uplink has {@linkplain #peek peeked} and is sending may still be dropped, if the spool is full at
 * that moment; it is then counted as dropped even if its delivery succeeds.
 *
 * <h2>On disk</h2>
 * A directory of its own holding append-only segment files {@code seg-<20-digit id>.log} (format in
 * {@code Segment}), a state file {@code spool.state} (two CRC-checked slots written alternately, format in
 * {@code StateFile}: acknowledgement position, drop floors and counters, drop journal) and a lock file
 * {@code spool.lock} (an OS file lock: one process at a time). A dropped message is not erased: because the spool
 * always drops the oldest of a priority, the state file's per-priority <em>floor</em> (the last dropped sequence
 * number) marks it and every older one as gone, and recovery skips records at or below the floor or the
 * acknowledgement position. A segment whose records are all gone is deleted; a segment kept alive by a few records
 * (say, an old alert among dropped summaries) is reclaimed by copying those records forward to the segment being
 * written and deleting it, so dead bytes never exceed about one segment.
 *
 * <h2>Threads</h2>
 * Safe for one producer (the edge model) and one consumer (the uplink) at once, and for any other use from several
 * threads: every method holds one lock, and holds it across its I/O (a record write and an fsync or two; now and
 * then, reclaiming space copies the few live records of an old segment). A batched
 * fsync policy starts one daemon thread, {@code waybill-spool-fsync}, stopped by {@link #close()}.
 *
 * <h2>Why hand-written and not a library</h2>
 * What the device needs is a few hundred lines on {@code java.nio}: append, read the oldest, trim by a position,
 * CRC-checked recovery, and a drop policy by priority that no general-purpose queue has. The candidates:
 * <ul>
 *   <li>Chronicle Queue is built for low-latency trading: memory-mapped files rolled by time cycle, off-heap
 *       structures, and {@code --add-opens}/{@code --add-exports} flags on Java 17. Heavy for a container gateway, and
 *       it has no notion of evicting by priority.</li>
 *   <li>MapDB is an embedded database (maps, B-trees, transactions) written in Kotlin, so it brings the Kotlin runtime;
 *       its 3.1.0 upgrade broke users on a missing Kotlin class. A database to hold one queue.</li>
 *   <li>Square's Tape ({@code QueueFile}) is the right size, but its repository was archived in 2024 with 2.0.0-beta1
 *       as its last release, and its own README warns that it assumes atomic segment writes (as on YAFFS): a power cut
 *       on an ordinary file system can leave the file corrupt, and a reefer's gateway must survive exactly that.</li>
 * </ul>
 * None of them is in the list of Maven packages this project builds from: {@code grep -i "chronicle\|mapdb\|squareup"}
 * over it finds only Square's OkHttp, Wire and JavaPoet (the list is partial, but nothing there shows they are
 * served). What the list does have (H2's MVStore, SQLite, RocksDB) brings a database or a native library for what is
 * a log. So this package is plain {@code java.nio} and {@code java.util.zip.CRC32C}, and the
 * module keeps no dependency beyond the JDK.
 */
public final class Spool implements AutoCloseable {

    /** How many runs of drops the state file itemises; older ones are only counted. */
    public static final int MAX_DROP_RUNS = 64;

    static final String STATE_FILE_NAME = "spool.state";
    static final String LOCK_FILE_NAME = "spool.lock";

    private static final System.Logger LOG = System.getLogger(Spool.class.getName());

    /** An unacknowledged, undropped message: where its record is. */
    private static final class Entry {
        final long sequence;
        final Priority priority;
        final int recordBytes;
        Segment segment;
        long offset;

        Entry(long sequence, Priority priority, int recordBytes, Segment segment, long offset) {
            this.sequence = sequence;
            this.priority = priority;
            this.recordBytes = recordBytes;
            this.segment = segment;
            this.offset = offset;
        }
    }

    private final SpoolConfig config;
    private final Path directory;
    private final long liveByteBudget;
    private final ReentrantLock lock = new ReentrantLock();
    private final FileChannel lockChannel;
    private final FileLock fileLock;
    private final StateFile stateFile;
    private final SpoolState state;
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    /** Live messages of each priority, oldest first; sequence numbers increase along each. */
    private final ArrayDeque<Entry> alerts = new ArrayDeque<>();
    private final ArrayDeque<Entry> summaries = new ArrayDeque<>();
    private final ScheduledExecutorService flusher;

    private Segment active;
    private long nextSegmentId;
    private long liveBytes;
    private long lastSequence;
    private boolean stateDirty;
    private boolean directoryUnforced;
    private long diskBytes;
    private long peakDiskBytes;
    private long corruptRecords;
    private long recordsCarriedForward;
    private boolean closed;

    /**
     * Opens the spool in {@link SpoolConfig#directory()}, creating it if needed, and recovers what a previous process
     * left there: records whose CRC does not match are discarded, a torn tail is cut off, acknowledged and dropped
     * records are skipped, and, if the configuration now allows less, messages are dropped by the usual policy.
     *
     * @throws IllegalStateException if the directory is already open, in this process or another
     */
    public static Spool open(SpoolConfig config) throws IOException {
        Objects.requireNonNull(config, "config");
        Path dir = config.directory();
        Files.createDirectories(dir);
        FileChannel lockChannel = FileChannel.open(dir.resolve(LOCK_FILE_NAME), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock fileLock;
        try {
            fileLock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lockChannel.close();
            throw new IllegalStateException("spool " + dir + " is already open in this process", e);
        } catch (IOException | RuntimeException e) {
            lockChannel.close();
            throw e;
        }
        if (fileLock == null) {
            lockChannel.close();
            throw new IllegalStateException("spool " + dir + " is locked by another process");
        }
        try {
            return new Spool(config, lockChannel, fileLock);
        } catch (IOException | RuntimeException e) {
            fileLock.release();
            lockChannel.close();
            throw e;
        }
    }

    private Spool(SpoolConfig config, FileChannel lockChannel, FileLock fileLock) throws IOException {
        this.config = config;
        this.directory = config.directory();
        this.liveByteBudget = config.liveByteBudget();
        this.lockChannel = lockChannel;
        this.fileLock = fileLock;
        StateFile.Opened opened = StateFile.open(directory.resolve(STATE_FILE_NAME));
        this.stateFile = opened.file();
        try {
            if (opened.state() == null && opened.hadFile()) {
                LOG.log(System.Logger.Level.ERROR, "Spool {0}: state file unreadable in both slots; starting with"
                        + " no acknowledgement position and zero drop counts (messages may be delivered again)",
                        directory);
            }
            this.state = opened.state() != null ? opened.state() : new SpoolState();
            recoverSegments();
            makeRoomFor(null, 0, 0);
            writeState();
            forceAll();
            reclaim();
        } catch (IOException | RuntimeException e) {
            closeFiles(e);
            throw e;
        }
        this.flusher = startFlusher();
    }

    private void recoverSegments() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(p -> Segment.parseId(p.getFileName().toString()) >= 0)
                    .sorted(Comparator.comparingLong(p -> Segment.parseId(p.getFileName().toString())))
                    .toList();
        }
        Map<Long, Entry> live = new TreeMap<>();
        long maxSequence = Math.max(state.acknowledgedThrough, Math.max(state.alertFloor, state.summaryFloor));
        int records = 0;
        for (Path path : files) {
            long id = Segment.parseId(path.getFileName().toString());
            Segment segment = Segment.openExisting(path, id);
            Segment.ScanResult scan;
            try {
                scan = segment.scan();
            } catch (IOException | RuntimeException e) {
                segment.close();
                throw e;
            }
            if (!scan.hasHeader()) {
                // Cut short by a crash right after it was created: it holds no record.
                LOG.log(System.Logger.Level.WARNING, "Spool {0}: {1} is too short for a header ({2} bytes);"
                        + " deleting it", directory, path.getFileName(), segment.size);
                segment.close();
                Files.delete(path);
                continue;
            }
            if (!scan.headerIntact()) {
                LOG.log(System.Logger.Level.WARNING, "Spool {0}: {1} has a damaged header; reading its records"
                        + " (each has its own CRC) and writing the header again", directory, path.getFileName());
                segment.repairHeader();
            }
            if (scan.corruptRegions() > 0) {
                corruptRecords += scan.corruptRegions();
                LOG.log(System.Logger.Level.WARNING, "Spool {0}: skipped {1} corrupt stretch(es), {2} bytes, in {3}",
                        directory, scan.corruptRegions(), scan.corruptBytes(), path.getFileName());
            }
            if (scan.validEnd() < segment.size) {
                corruptRecords++;
                LOG.log(System.Logger.Level.WARNING, "Spool {0}: discarding a torn or corrupt tail of {1} bytes at"
                        + " offset {2} of {3}", directory, segment.size - scan.validEnd(), scan.validEnd(),
                        path.getFileName());
                segment.truncate(scan.validEnd());
            }
            segments.put(id, segment);
            diskBytes += segment.size;
            for (Segment.Scanned r : scan.records()) {
                records++;
                maxSequence = Math.max(maxSequence, r.sequence());
                // A sequence number seen twice is a copy made by reclaim() before it could delete the original.
                if (!state.isGone(r.priority(), r.sequence()) && !live.containsKey(r.sequence())) {
                    live.put(r.sequence(), new Entry(r.sequence(), r.priority(), r.recordBytes(), segment,
                            r.offset()));
                }
            }
        }
        for (Entry e : live.values()) {
            addLive(e);
        }
        peakDiskBytes = diskBytes;
        lastSequence = maxSequence;
        nextSegmentId = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        if (!segments.isEmpty() && segments.lastEntry().getValue().size < config.segmentBytes()) {
            active = segments.lastEntry().getValue();
        }
        if (!files.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "Spool {0}: recovered {1} unacknowledged message(s) of {2} record(s)"
                    + " in {3} segment(s); acknowledged through {4}, {5} dropped so far", directory, size(),
                    records, segments.size(), state.acknowledgedThrough, state.totalDropped());
        }
    }

    private ScheduledExecutorService startFlusher() {
        Duration interval = null;
        for (Priority p : Priority.values()) {
            FsyncPolicy policy = config.fsyncPolicy(p);
            if (!policy.isEveryWrite() && (interval == null || policy.maxDelay().compareTo(interval) < 0)) {
                interval = policy.maxDelay();
            }
        }
        if (interval == null) {
            return null;
        }
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "waybill-spool-fsync");
            t.setDaemon(true);
            return t;
        });
        long nanos = Math.max(interval.toNanos(), TimeUnit.MILLISECONDS.toNanos(1));
        s.scheduleAtFixedRate(this::flushQuietly, nanos, nanos, TimeUnit.NANOSECONDS);
        return s;
    }

    private void flushQuietly() {
        lock.lock();
        try {
            if (!closed) {
                forceAll();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Spool " + directory + ": background fsync failed", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stores {@code message} at the end of the spool, dropping older messages first if it does not fit (see the class
     * comment for which), and forces it to the device if its priority's {@link FsyncPolicy} says so.
     *
     * @return {@code true} if the message is in the spool; {@code false} if it was itself dropped (a summary arriving
     *     when the spool is full of alerts), which is counted like any drop
     * @throws IllegalArgumentException if its sequence number is not greater than every one appended before, or its
     *     payload is larger than {@link SpoolConfig#maxPayloadBytes()}
     * @throws IOException if the write or fsync fails; the message is then not in the spool (drops made to make room
     *     for it stand)
     */
    public boolean append(SpooledMessage message) throws IOException {
        Objects.requireNonNull(message, "message");
        if (message.payloadLength() > config.maxPayloadBytes()) {
            throw new IllegalArgumentException("payload of " + message.payloadLength() + " bytes is larger than the "
                    + config.maxPayloadBytes() + " bytes a record of this spool may hold");
        }
        int recordBytes = SpoolConfig.RECORD_OVERHEAD_BYTES + message.payloadLength();
        lock.lock();
        try {
            ensureOpen();
            if (message.sequence() <= lastSequence) {
                throw new IllegalArgumentException("sequence numbers must increase: " + message.sequence()
                        + " after " + lastSequence);
            }
            boolean stored = makeRoomFor(message.priority(), message.sequence(), recordBytes);
            if (stored) {
                reclaim();
                Segment segment = segmentWithRoomFor(recordBytes);
                long offset = segment.append(Segment.encode(message));
                growDisk(recordBytes);
                addLive(new Entry(message.sequence(), message.priority(), recordBytes, segment, offset));
            }
            lastSequence = message.sequence();
            if (stateDirty) {
                writeState();
            }
            if (config.fsyncPolicy(message.priority()).isEveryWrite()) {
                forceAll();
            }
            reclaim();
            return stored;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Up to {@code max} messages, oldest first: the ones neither acknowledged nor dropped. Peeking removes nothing;
     * the same messages come back until {@link #acknowledge acknowledged}.
     */
    public List<SpooledMessage> peek(int max) throws IOException {
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0 but was " + max);
        }
        lock.lock();
        try {
            ensureOpen();
            List<SpooledMessage> out = new ArrayList<>(Math.min(max, size()));
            List<Entry> corrupt = new ArrayList<>();
            Iterator<Entry> a = alerts.iterator();
            Iterator<Entry> s = summaries.iterator();
            Entry nextAlert = a.hasNext() ? a.next() : null;
            Entry nextSummary = s.hasNext() ? s.next() : null;
            while (out.size() < max && (nextAlert != null || nextSummary != null)) {
                Entry e;
                if (nextSummary == null || (nextAlert != null && nextAlert.sequence < nextSummary.sequence)) {
                    e = nextAlert;
                    nextAlert = a.hasNext() ? a.next() : null;
                } else {
                    e = nextSummary;
                    nextSummary = s.hasNext() ? s.next() : null;
                }
                decodeInto(e, out, corrupt);
            }
            for (Entry e : corrupt) {
                discardCorrupt(e);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Marks every message with a sequence number up to and including {@code sequenceInclusive} as delivered, and
     * forces that to the device before returning: after a restart they are not delivered again. Acknowledging a
     * position at or below the current one does nothing.
     *
     * @throws IllegalArgumentException if {@code sequenceInclusive} is negative or beyond {@link #lastSequence()}
     */
    public void acknowledge(long sequenceInclusive) throws IOException {
        if (sequenceInclusive < 0) {
            throw new IllegalArgumentException("sequence must be >= 0 but was " + sequenceInclusive);
        }
        lock.lock();
        try {
            ensureOpen();
            if (sequenceInclusive > lastSequence) {
                throw new IllegalArgumentException("cannot acknowledge " + sequenceInclusive
                        + ": the last sequence appended is " + lastSequence);
            }
            if (sequenceInclusive <= state.acknowledgedThrough) {
                return;
            }
            while (!alerts.isEmpty() && alerts.peekFirst().sequence <= sequenceInclusive) {
                removeLive(alerts.peekFirst());
            }
            while (!summaries.isEmpty() && summaries.peekFirst().sequence <= sequenceInclusive) {
                removeLive(summaries.peekFirst());
            }
            state.acknowledgedThrough = sequenceInclusive;
            writeState();
            stateFile.force();
            reclaim();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Up to {@code max} messages of {@code priority} whose sequence number is above {@code afterSequence}, oldest
     * first: what a sender that keeps one cursor per priority sends next (alerts before the summary backlog). Like
     * {@link #peek}, it removes nothing.
     */
    public List<SpooledMessage> peekAfter(Priority priority, long afterSequence, int max) throws IOException {
        Objects.requireNonNull(priority, "priority");
        if (max < 0) {
            throw new IllegalArgumentException("max must be >= 0 but was " + max);
        }
        lock.lock();
        try {
            ensureOpen();
            List<SpooledMessage> out = new ArrayList<>();
            List<Entry> corrupt = new ArrayList<>();
            for (Entry e : priority == Priority.ALERT ? alerts : summaries) {
                if (out.size() >= max) {
                    break;
                }
                if (e.sequence <= afterSequence) {
                    continue;
                }
                decodeInto(e, out, corrupt);
            }
            for (Entry e : corrupt) {
                discardCorrupt(e);
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Acknowledges the longest run of live messages, oldest first, that {@code confirmed} accepts, and stops at the
     * first live message it does not: that message and every later one stay, whatever {@code confirmed} says about
     * them. The position written is the sequence just before that first unconfirmed message (or the last sequence
     * appended when every live message is confirmed), so a sequence that is not live (dropped, never appended) never
     * holds the run up, and an unconfirmed live one is never acknowledged. Forced to the device like
     * {@link #acknowledge}.
     *
     * @return the acknowledgement position afterwards
     */
    public long acknowledgeConfirmed(java.util.function.LongPredicate confirmed) throws IOException {
        Objects.requireNonNull(confirmed, "confirmed");
        lock.lock();
        try {
            ensureOpen();
            Iterator<Entry> a = alerts.iterator();
            Iterator<Entry> s = summaries.iterator();
            Entry nextAlert = a.hasNext() ? a.next() : null;
            Entry nextSummary = s.hasNext() ? s.next() : null;
            long through = lastSequence;
            while (nextAlert != null || nextSummary != null) {
                Entry e;
                if (nextSummary == null || (nextAlert != null && nextAlert.sequence < nextSummary.sequence)) {
                    e = nextAlert;
                    nextAlert = a.hasNext() ? a.next() : null;
                } else {
                    e = nextSummary;
                    nextSummary = s.hasNext() ? s.next() : null;
                }
                if (!confirmed.test(e.sequence)) {
                    through = e.sequence - 1;
                    break;
                }
            }
            if (through > state.acknowledgedThrough) {
                acknowledge(through);
            }
            return state.acknowledgedThrough;
        } finally {
            lock.unlock();
        }
    }

    /** Forces everything written so far to the device, whatever the fsync policies. */
    public void flush() throws IOException {
        lock.lock();
        try {
            ensureOpen();
            forceAll();
        } finally {
            lock.unlock();
        }
    }

    /** How many messages are neither acknowledged nor dropped. */
    public int size() {
        lock.lock();
        try {
            return alerts.size() + summaries.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many of those are of {@code priority}. */
    public int size(Priority priority) {
        lock.lock();
        try {
            return priority == Priority.ALERT ? alerts.size() : summaries.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The bytes their records take (17 bytes of framing each included): what counts against
     * {@link SpoolConfig#liveByteBudget()}.
     */
    public long bytes() {
        lock.lock();
        try {
            return liveBytes;
        } finally {
            lock.unlock();
        }
    }

    /** The bytes the segment files take now, dead records included; never more than {@link SpoolConfig#maxBytes()}. */
    public long diskBytes() {
        lock.lock();
        try {
            return diskBytes;
        } finally {
            lock.unlock();
        }
    }

    /** The most {@link #diskBytes()} has been since the spool was opened, counted at every write: for tests. */
    long peakDiskBytes() {
        lock.lock();
        try {
            return peakDiskBytes;
        } finally {
            lock.unlock();
        }
    }

    /** How many live records reclaiming has copied forward since the spool was opened: for tests. */
    long recordsCarriedForward() {
        lock.lock();
        try {
            return recordsCarriedForward;
        } finally {
            lock.unlock();
        }
    }

    /** How many messages were dropped to stay within bounds, ever: it survives restarts. */
    public long droppedCount() {
        lock.lock();
        try {
            return state.totalDropped();
        } finally {
            lock.unlock();
        }
    }

    /** How many messages of {@code priority} were dropped, ever. */
    public long droppedCount(Priority priority) {
        lock.lock();
        try {
            return state.dropped(priority);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The drops after the lifetime drop count {@code mark}, itemised: pass {@code 0} for all of them (as far as the
     * last {@value #MAX_DROP_RUNS} runs go), or the {@link DropReport#toDropCount()} of the previous report.
     */
    public DropReport droppedSince(long mark) throws IOException {
        lock.lock();
        try {
            ensureOpen();
            DropReport report = state.report(mark);
            closeDropRun();
            return report;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The drops not yet {@linkplain #markDropsReported marked as reported}: what the component should tell the cloud
     * about. The mark survives restarts.
     */
    public DropReport unreportedDrops() throws IOException {
        lock.lock();
        try {
            return droppedSince(state.reportedDropCount);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records that the drops in {@code report} were reported (e.g. once the message telling of them was appended),
     * durably: {@link #unreportedDrops()} then starts after it. Marking an older report does nothing.
     */
    public void markDropsReported(DropReport report) throws IOException {
        Objects.requireNonNull(report, "report");
        lock.lock();
        try {
            ensureOpen();
            if (report.toDropCount() > state.totalDropped()) {
                throw new IllegalArgumentException("report goes to drop " + report.toDropCount() + " but only "
                        + state.totalDropped() + " were dropped");
            }
            if (report.toDropCount() > state.reportedDropCount) {
                state.reportedDropCount = report.toDropCount();
                writeState();
                stateFile.force();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The highest sequence number appended, acknowledged or dropped so far, across restarts ({@code -1} for a new
     * spool): the next append must be above it.
     */
    public long lastSequence() {
        lock.lock();
        try {
            return lastSequence;
        } finally {
            lock.unlock();
        }
    }

    /** The acknowledgement position: every message up to and including it was delivered ({@code -1}: none yet). */
    public long acknowledgedThrough() {
        lock.lock();
        try {
            return state.acknowledgedThrough;
        } finally {
            lock.unlock();
        }
    }

    /**
     * How many damaged records (or stretches of damaged bytes) the spool discarded since it was opened, at recovery or
     * when reading: these are not drops by the policy and are not in {@link #droppedCount()}.
     */
    public long corruptRecordsDiscarded() {
        lock.lock();
        try {
            return corruptRecords;
        } finally {
            lock.unlock();
        }
    }

    public SpoolConfig config() {
        return config;
    }

    /** Forces what was written, stops the fsync thread and releases the directory. Closing twice does nothing. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        if (flusher != null) {
            flusher.shutdown();
            try {
                flusher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            IOException failure = null;
            try {
                forceAll();
            } catch (IOException e) {
                failure = e;
            }
            closeFiles(failure);
            if (failure != null) {
                throw failure;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "Spool[" + directory + ", messages=" + size() + ", bytes=" + liveBytes + ", diskBytes=" + diskBytes
                    + ", segments=" + segments.size() + ", acknowledgedThrough=" + state.acknowledgedThrough
                    + ", dropped=" + state.totalDropped() + (closed ? ", closed" : "") + "]";
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Internals; every one runs under the lock.

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("spool " + directory + " is closed");
        }
    }

    private void closeFiles(Exception failure) {
        List<AutoCloseable> all = new ArrayList<>(segments.values());
        all.add(stateFile);
        all.add(fileLock);
        all.add(lockChannel);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "Spool " + directory + ": closing a file failed", e);
                }
            }
        }
    }

    private void addLive(Entry e) {
        (e.priority == Priority.ALERT ? alerts : summaries).addLast(e);
        e.segment.liveCount++;
        e.segment.liveBytes += e.recordBytes;
        liveBytes += e.recordBytes;
    }

    /** Removes {@code e}, the oldest of its priority, from the live messages. */
    private void removeLive(Entry e) {
        ArrayDeque<Entry> deque = e.priority == Priority.ALERT ? alerts : summaries;
        if (deque.peekFirst() == e) {
            deque.pollFirst();
        } else if (!deque.remove(e)) {
            throw new IllegalStateException("not live: " + e.sequence);
        }
        e.segment.liveCount--;
        e.segment.liveBytes -= e.recordBytes;
        liveBytes -= e.recordBytes;
    }

    /** Decodes one entry into {@code out}, or notes it in {@code corrupt} when its record does not decode. */
    private static void decodeInto(Entry e, List<SpooledMessage> out, List<Entry> corrupt) throws IOException {
        SpooledMessage m = Segment.decode(e.segment.readRaw(e.offset, e.recordBytes), e.sequence, e.priority);
        if (m == null) {
            corrupt.add(e);
        } else {
            out.add(m);
        }
    }

    private void discardCorrupt(Entry e) {
        LOG.log(System.Logger.Level.ERROR, "Spool {0}: record of {1} {2} in {3} at offset {4} is damaged;"
                + " discarding it", directory, e.priority, e.sequence, e.segment.path.getFileName(), e.offset);
        removeLive(e);
        corruptRecords++;
    }

    /**
     * Drops messages by the policy until one more record of {@code recordBytes} fits ({@code incoming == null}: until
     * what is there fits, at open). Returns {@code false} if the incoming message itself had to be dropped.
     */
    private boolean makeRoomFor(Priority incoming, long sequence, int recordBytes) {
        int extra = incoming == null ? 0 : 1;
        while (alerts.size() + summaries.size() + extra > config.maxMessages()
                || liveBytes + recordBytes > liveByteBudget) {
            Entry victim = summaries.peekFirst();
            if (victim == null) {
                if (incoming == Priority.SUMMARY) {
                    state.recordDrop(Priority.SUMMARY, sequence, MAX_DROP_RUNS);
                    stateDirty = true;
                    return false;
                }
                victim = alerts.peekFirst();
                if (victim == null) {
                    throw new IllegalStateException("an empty spool cannot fit a record of " + recordBytes + " bytes");
                }
            }
            removeLive(victim);
            state.recordDrop(victim.priority, victim.sequence, MAX_DROP_RUNS);
            stateDirty = true;
        }
        return true;
    }

    private void closeDropRun() throws IOException {
        if (!state.lastRunClosed && !state.runs.isEmpty()) {
            state.lastRunClosed = true;
            writeState();
        }
    }

    private void writeState() throws IOException {
        stateFile.write(state);
        stateDirty = false;
    }

    /** Forces the segments written to, the directory if files were created, and the state. */
    private void forceAll() throws IOException {
        for (Segment s : segments.values()) {
            s.force();
        }
        if (directoryUnforced) {
            forceDirectory();
            directoryUnforced = false;
        }
        if (stateDirty) {
            writeState();
        }
        stateFile.force();
    }

    /** Makes a new file's directory entry durable; not every platform can open a directory, and then it is skipped. */
    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(directory, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.DEBUG, "Spool {0}: cannot fsync the directory: {1}", directory, e);
        }
    }

    /** Before a file's bytes are deleted or reused, what makes them dead must be on the device. */
    private void makeStateDurable() throws IOException {
        if (stateDirty) {
            writeState();
        }
        stateFile.force();
    }

    private Segment segmentWithRoomFor(int recordBytes) throws IOException {
        if (active != null && active.size + recordBytes <= config.segmentBytes()) {
            return active;
        }
        if (active != null) {
            active.force(); // what is in a closed segment is on the device before anything after it
        }
        Segment s = Segment.create(directory, nextSegmentId++);
        segments.put(s.id, s);
        directoryUnforced = true;
        growDisk(s.size);
        active = s;
        return s;
    }

    private void growDisk(long bytes) {
        diskBytes += bytes;
        peakDiskBytes = Math.max(peakDiskBytes, diskBytes);
    }

    /**
     * Gives back disk space: deletes closed segments with nothing live in them, then, while the dead bytes in closed
     * segments exceed one segment, copies the live records of the deadest one forward to the active segment and
     * deletes it. With this, at any moment the files hold the live records, at most one segment of dead records plus
     * the one being copied, and the active segment: what the reserve in {@link SpoolConfig#liveByteBudget()} is for.
     */
    private void reclaim() throws IOException {
        deleteDeadClosedSegments();
        int guard = 2 * segments.size() + 4;
        while (guard-- > 0) {
            long dead = 0;
            Segment deadest = null;
            for (Segment s : segments.values()) {
                if (s != active) {
                    dead += s.deadBytes();
                    if (deadest == null || s.deadBytes() > deadest.deadBytes()) {
                        deadest = s;
                    }
                }
            }
            if (deadest == null || dead <= config.segmentBytes()) {
                return;
            }
            makeStateDurable();
            carryForward(deadest);
            deleteDeadClosedSegments();
        }
    }

    private void deleteDeadClosedSegments() throws IOException {
        List<Segment> dead = new ArrayList<>();
        for (Segment s : segments.values()) {
            if (s != active && s.liveCount == 0) {
                dead.add(s);
            }
        }
        if (dead.isEmpty()) {
            return;
        }
        makeStateDurable();
        for (Segment s : dead) {
            deleteSegment(s);
        }
    }

    private void deleteSegment(Segment s) throws IOException {
        s.close();
        Files.deleteIfExists(s.path);
        segments.remove(s.id);
        diskBytes -= s.size;
        if (active == s) {
            active = null;
        }
    }

    /** Copies the live records of closed segment {@code from} to the active segment, durably; {@code from} then
     * holds nothing live. */
    private void carryForward(Segment from) throws IOException {
        List<Entry> moving = new ArrayList<>();
        for (Entry e : alerts) {
            if (e.segment == from) {
                moving.add(e);
            }
        }
        for (Entry e : summaries) {
            if (e.segment == from) {
                moving.add(e);
            }
        }
        moving.sort(Comparator.comparingLong(e -> e.offset));
        for (Entry e : moving) {
            ByteBuffer raw = from.readRaw(e.offset, e.recordBytes);
            if (Segment.decode(raw.duplicate(), e.sequence, e.priority) == null) {
                discardCorrupt(e);
                continue;
            }
            Segment to = segmentWithRoomFor(e.recordBytes);
            long offset = to.append(raw);
            growDisk(e.recordBytes);
            from.liveCount--;
            from.liveBytes -= e.recordBytes;
            to.liveCount++;
            to.liveBytes += e.recordBytes;
            e.segment = to;
            e.offset = offset;
            recordsCarriedForward++;
        }
        // The copies must be on the device before the originals go.
        for (Segment s : segments.values()) {
            s.force();
        }
        if (directoryUnforced) {
            forceDirectory();
            directoryUnforced = false;
        }
        if (from.liveCount != 0) {
            throw new IllegalStateException("carry-forward left " + from.liveCount + " records in " + from);
        }
    }
}
