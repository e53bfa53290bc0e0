package io.waybill.edge.spool;

import static io.waybill.edge.spool.SpoolFiles.crashCopy;
import static io.waybill.edge.spool.SpoolFiles.payload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class SpoolTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final OpenedSpools spools = new OpenedSpools();

    private Spool open(SpoolConfig config) throws IOException {
        return spools.open(config);
    }

    /** The restart: opens what a spool left in {@code dir}, with the {@linkplain #small small} bounds. */
    private Spool reopen(Path dir) throws IOException {
        return open(small(dir).build());
    }

    /** A spool in {@code tmp/spool} holding messages 1 to {@code last}, {@linkplain #mixed mixed}. */
    private Spool spoolWithMixedMessages(long last) throws IOException {
        Spool spool = open(small(tmp.resolve("spool")).build());
        for (long seq = 1; seq <= last; seq++) {
            spool.append(message(seq, mixed(seq)));
        }
        return spool;
    }

    /**
     * What a process leaves in {@code tmp/crashed} when it dies right after appending messages 1 to {@code last}
     * ({@linkplain #mixed mixed}) to a new spool.
     */
    private Path crashedAfterMixedMessages(long last) throws IOException {
        return crashCopy(spoolWithMixedMessages(last).config().directory(), tmp.resolve("crashed"));
    }

    /** Small segments and bounds, so a test reaches them with a few dozen messages. */
    private static SpoolConfig.Builder small(Path dir) {
        return SpoolConfig.builder(dir).segmentBytes(4096).maxBytes(64 * 1024);
    }

    private static SpooledMessage message(long seq, Priority priority) {
        return new SpooledMessage(seq, priority, payload(seq, 40));
    }

    /** Every fifth message an alert, the rest summaries. */
    private static Priority mixed(long seq) {
        return seq % 5 == 0 ? Priority.ALERT : Priority.SUMMARY;
    }

    private static List<Long> sequences(List<SpooledMessage> messages) {
        return messages.stream().map(SpooledMessage::sequence).toList();
    }

    private static List<Long> range(long fromInclusive, long toInclusive) {
        return LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }

    @Test
    void unacknowledgedMessagesSurviveARestartInOrder() throws IOException {
        Path dir = tmp.resolve("spool");
        Spool spool = open(small(dir).build());
        List<SpooledMessage> appended = new ArrayList<>();
        for (long seq = 1; seq <= 300; seq++) { // several segments
            SpooledMessage m = message(seq, mixed(seq));
            assertThat(spool.append(m)).isTrue();
            appended.add(m);
        }
        spool.acknowledge(10);

        // The process dies without closing anything; a new one opens what it left.
        Spool afterCrash = reopen(crashCopy(dir, tmp.resolve("after-crash")));
        assertThat(afterCrash.peek(1000)).containsExactlyElementsOf(appended.subList(10, 300));
        assertThat(afterCrash.size()).isEqualTo(290);
        assertThat(afterCrash.lastSequence()).isEqualTo(300);
        assertThat(afterCrash.corruptRecordsDiscarded()).isZero();

        // And after a clean close too.
        spool.close();
        Spool afterClose = reopen(dir);
        assertThat(afterClose.peek(1000)).containsExactlyElementsOf(appended.subList(10, 300));
    }

    @Test
    void acknowledgedMessagesAreNotRedeliveredAfterRestart() throws IOException {
        Spool spool = spoolWithMixedMessages(20);
        List<SpooledMessage> batch = spool.peek(5);
        assertThat(sequences(batch)).containsExactly(1L, 2L, 3L, 4L, 5L);
        spool.acknowledge(batch.get(batch.size() - 1).sequence());
        assertThat(sequences(spool.peek(3))).containsExactly(6L, 7L, 8L);

        Spool restarted = reopen(crashCopy(spool.config().directory(), tmp.resolve("after-crash")));
        assertThat(restarted.acknowledgedThrough()).isEqualTo(5);
        assertThat(sequences(restarted.peek(100))).isEqualTo(range(6, 20));
        restarted.acknowledge(3); // an old position: nothing happens
        assertThat(restarted.peek(1).get(0).sequence()).isEqualTo(6);

        restarted.acknowledge(20);
        restarted.close();
        Spool again = reopen(restarted.config().directory());
        assertThat(again.peek(100)).isEmpty();
        assertThat(again.size()).isZero();
        assertThat(again.lastSequence()).isEqualTo(20);
    }

    @Test
    void tornTailRecordIsDiscardedNotReturned() throws IOException {
        // The process died in the middle of writing record 10: only part of it reached the file.
        Path crashed = crashedAfterMixedMessages(10);
        SpoolFiles.truncateBy(SpoolFiles.lastSegment(crashed), 7);
        long tornSize = Files.size(SpoolFiles.lastSegment(crashed));

        Spool restarted = reopen(crashed);
        assertThat(sequences(restarted.peek(100))).isEqualTo(range(1, 9));
        assertThat(restarted.corruptRecordsDiscarded()).isEqualTo(1);
        assertThat(restarted.lastSequence()).isEqualTo(9);
        assertThat(Files.size(SpoolFiles.lastSegment(crashed))).as("torn tail cut off").isLessThan(tornSize);

        // The writer carries on after the last good record, and that survives the next restart.
        SpooledMessage again = message(10, Priority.ALERT);
        restarted.append(again);
        restarted.append(message(11, Priority.SUMMARY));
        restarted.close();
        Spool reopened = reopen(crashed);
        assertThat(sequences(reopened.peek(100))).isEqualTo(range(1, 11));
        assertThat(reopened.peek(100).get(9)).isEqualTo(again);
        assertThat(reopened.corruptRecordsDiscarded()).isZero();
    }

    @Test
    void flippedByteInTheLastRecordIsDiscardedNotReturned() throws IOException {
        Path crashed = crashedAfterMixedMessages(10);
        Path last = SpoolFiles.lastSegment(crashed);
        SpoolFiles.flipByte(last, SpoolFiles.indexOf(last, "{\"seq\":10,".getBytes()) + 3);

        Spool restarted = reopen(crashed);
        assertThat(restarted.corruptRecordsDiscarded()).as("found when opening, not when reading").isEqualTo(1);
        assertThat(restarted.size()).isEqualTo(9);
        List<SpooledMessage> got = restarted.peek(100);
        assertThat(sequences(got)).isEqualTo(range(1, 9));
        assertThat(got).allSatisfy(m -> assertThat(m.payload()).isEqualTo(payload(m.sequence(), 40)));
        assertThat(restarted.corruptRecordsDiscarded()).isEqualTo(1);
    }

    @Test
    void damagedRecordInTheMiddleIsSkippedAndTheRecordsAfterItSurvive() throws IOException {
        Path crashed = crashedAfterMixedMessages(10);
        Path last = SpoolFiles.lastSegment(crashed);
        long at = SpoolFiles.indexOf(last, "{\"seq\":4,".getBytes());
        SpoolFiles.flipByte(last, at - 9 - 8); // the record's length field

        Spool restarted = reopen(crashed);
        assertThat(restarted.corruptRecordsDiscarded()).as("found when opening, not when reading").isEqualTo(1);
        assertThat(sequences(restarted.peek(100))).containsExactly(1L, 2L, 3L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(restarted.corruptRecordsDiscarded()).isEqualTo(1);
    }

    @Test
    void segmentFileCutShortRightAfterItWasCreatedIsIgnored() throws IOException {
        Path crashed = crashedAfterMixedMessages(10);
        Path empty = crashed.resolve(Segment.fileName(2));
        Files.write(empty, new byte[] {0x57, 0x42}); // the header was being written

        Spool restarted = reopen(crashed);
        assertThat(sequences(restarted.peek(100))).isEqualTo(range(1, 10));
        assertThat(empty).doesNotExist();
        restarted.append(message(11, Priority.ALERT));
        assertThat(restarted.peek(100)).hasSize(11);
    }

    @Test
    void damagedSegmentHeaderDoesNotLoseTheRecordsAfterIt() throws IOException {
        Path crashed = crashedAfterMixedMessages(10);
        SpoolFiles.flipByte(SpoolFiles.lastSegment(crashed), 1);

        Spool restarted = reopen(crashed);
        assertThat(sequences(restarted.peek(100))).isEqualTo(range(1, 10));
        restarted.close();
        assertThat(sequences(reopen(crashed).peek(100))).as("header repaired").isEqualTo(range(1, 10));
    }

    @Test
    void smallerBoundsAtTheNextStartDropByThePolicy() throws IOException {
        Path dir = tmp.resolve("spool");
        Spool spool = open(small(dir).build());
        for (long seq = 1; seq <= 30; seq++) {
            spool.append(message(seq, seq % 10 == 0 ? Priority.ALERT : Priority.SUMMARY));
        }
        spool.close();
        Spool smaller = open(small(dir).maxMessages(5).build());
        assertThat(sequences(smaller.peek(100))).containsExactly(10L, 20L, 28L, 29L, 30L);
        assertThat(smaller.droppedCount()).isEqualTo(25);
    }

    @Test
    void fullSpoolDropsOldestSummariesFirst() throws IOException {
        // By message count.
        Spool byCount = open(small(tmp.resolve("count")).maxMessages(10).build());
        for (long seq = 1; seq <= 25; seq++) {
            assertThat(byCount.append(message(seq, Priority.SUMMARY))).isTrue();
        }
        assertThat(sequences(byCount.peek(100))).isEqualTo(range(16, 25));
        assertThat(byCount.droppedCount()).isEqualTo(15);

        // By bytes: 1 KiB summaries into a budget of about 46 KiB.
        SpoolConfig config = small(tmp.resolve("bytes")).build();
        Spool byBytes = open(config);
        int recordBytes = 1024 + SpoolConfig.RECORD_OVERHEAD_BYTES;
        long fit = config.liveByteBudget() / recordBytes;
        for (long seq = 1; seq <= 200; seq++) {
            byBytes.append(new SpooledMessage(seq, Priority.SUMMARY, payload(seq, 1024)));
            assertThat(byBytes.bytes()).isLessThanOrEqualTo(config.liveByteBudget());
            assertThat(byBytes.diskBytes()).isLessThanOrEqualTo(config.maxBytes());
        }
        assertThat(sequences(byBytes.peek(1000))).isEqualTo(range(200 - fit + 1, 200));
        assertThat(byBytes.droppedCount()).isEqualTo(200 - fit);
        assertThat(byBytes.peakDiskBytes()).isLessThanOrEqualTo(config.maxBytes());
        assertThat(SpoolFiles.segmentBytesOnDisk(config.directory())).isLessThanOrEqualTo(config.maxBytes());
    }

    @Test
    void alertsAreNeverDroppedBeforeSummaries() throws IOException {
        Spool spool = open(small(tmp.resolve("spool")).maxMessages(10).build());
        // 1..6: alert, summary, alert, summary, ...
        for (long seq = 1; seq <= 6; seq++) {
            spool.append(message(seq, seq % 2 == 1 ? Priority.ALERT : Priority.SUMMARY));
        }
        for (long seq = 7; seq <= 30; seq++) {
            spool.append(message(seq, Priority.SUMMARY));
        }
        List<SpooledMessage> left = spool.peek(100);
        assertThat(left).filteredOn(m -> m.priority() == Priority.ALERT).extracting(SpooledMessage::sequence)
                .containsExactly(1L, 3L, 5L);
        assertThat(sequences(left)).containsExactly(1L, 3L, 5L, 24L, 25L, 26L, 27L, 28L, 29L, 30L);
        assertThat(spool.droppedCount(Priority.ALERT)).isZero();
        assertThat(spool.droppedCount(Priority.SUMMARY)).isEqualTo(20);
    }

    @Test
    void whenOnlyAlertsRemainTheOldestAlertsGoAndAnIncomingSummaryIsItselfDropped() throws IOException {
        Path dir = tmp.resolve("spool");
        Spool spool = open(small(dir).maxMessages(5).build());
        spool.append(message(1, Priority.SUMMARY));
        for (long seq = 2; seq <= 6; seq++) { // the fifth alert pushes out the summary, not an alert
            spool.append(message(seq, Priority.ALERT));
        }
        assertThat(sequences(spool.peek(10))).containsExactly(2L, 3L, 4L, 5L, 6L);

        assertThat(spool.append(message(7, Priority.SUMMARY))).as("a summary never pushes out an alert").isFalse();
        assertThat(sequences(spool.peek(10))).containsExactly(2L, 3L, 4L, 5L, 6L);

        spool.append(message(8, Priority.ALERT)); // nothing but alerts: the oldest alert goes
        spool.append(message(9, Priority.ALERT));
        assertThat(sequences(spool.peek(10))).containsExactly(4L, 5L, 6L, 8L, 9L);
        assertThat(spool.droppedCount(Priority.SUMMARY)).isEqualTo(2);
        assertThat(spool.droppedCount(Priority.ALERT)).isEqualTo(2);
        assertThat(spool.droppedSince(0).describe()).isEqualTo(
                "2 summaries dropped between seq 1 and 7; 2 alerts dropped between seq 2 and 3");

        Spool restarted = open(small(crashCopy(dir, tmp.resolve("after-crash"))).maxMessages(5).build());
        assertThat(sequences(restarted.peek(10))).containsExactly(4L, 5L, 6L, 8L, 9L);
        assertThat(restarted.lastSequence()).isEqualTo(9);
    }

    @Test
    void dropCountIsReportedAndSurvivesRestart() throws IOException {
        Path dir = tmp.resolve("spool");
        Spool spool = open(small(dir).maxMessages(10).build());
        for (long seq = 1; seq <= 40; seq++) {
            spool.append(message(seq, seq == 12 ? Priority.ALERT : Priority.SUMMARY));
        }
        assertThat(spool.droppedCount()).isEqualTo(30);
        DropReport report = spool.unreportedDrops();
        assertThat(report.describe()).isEqualTo("30 summaries dropped between seq 1 and 31");
        assertThat(report.count(Priority.SUMMARY)).isEqualTo(30);
        assertThat(report.exact()).isTrue();

        Spool restarted = open(small(crashCopy(dir, tmp.resolve("r1"))).maxMessages(10).build());
        assertThat(restarted.droppedCount()).isEqualTo(30);
        assertThat(restarted.droppedCount(Priority.SUMMARY)).isEqualTo(30);
        assertThat(restarted.unreportedDrops()).isEqualTo(report);

        // The component told the cloud; that survives a restart too, and the next report starts where it ended.
        restarted.markDropsReported(report);
        restarted.append(message(41, Priority.SUMMARY));
        restarted.append(message(42, Priority.SUMMARY));
        Path dir2 = crashCopy(restarted.config().directory(), tmp.resolve("r2"));
        Spool again = open(small(dir2).maxMessages(10).build());
        assertThat(again.droppedCount()).isEqualTo(32);
        DropReport next = again.unreportedDrops();
        assertThat(next.fromDropCount()).isEqualTo(30);
        assertThat(next.describe()).isEqualTo("2 summaries dropped between seq 32 and 33");
        assertThat(again.droppedSince(next.toDropCount()).isEmpty()).isTrue();
        assertThat(sequences(again.peek(100))).containsExactly(12L, 34L, 35L, 36L, 37L, 38L, 39L, 40L, 41L, 42L);
    }

    @Test
    void drainAfterOutageDeliversEverythingExactlyOnceInOrder() throws IOException {
        Spool spool = open(outageConfig(tmp.resolve("run0")));
        Random random = new Random(42);
        List<SpooledMessage> produced = new ArrayList<>();
        List<SpooledMessage> delivered = new ArrayList<>(); // what IoT Core received, in order
        int restarts = 0;
        boolean linkUp = true;

        for (long seq = 1; seq <= 400; seq++) {
            if (seq == 31) {
                linkUp = false; // the container goes out of coverage
            }
            if (seq == 361) {
                linkUp = true;
            }
            if (seq == 200) { // the process dies in the middle of the outage and is started again
                spool = open(outageConfig(crashCopy(spool.config().directory(), tmp.resolve("run" + ++restarts))));
            }
            Priority priority = seq % 9 == 0 ? Priority.ALERT : Priority.SUMMARY;
            SpooledMessage m = new SpooledMessage(seq, priority, payload(seq, 60 + random.nextInt(300)));
            spool.append(m);
            produced.add(m);
            if (linkUp) {
                drain(spool, delivered, 7);
            }
            if (seq == 380) { // and once more, cleanly, while draining
                spool.close();
                spool = open(outageConfig(spool.config().directory()));
            }
        }
        drain(spool, delivered, 7);

        assertThat(spool.size()).isZero();
        List<Long> deliveredSeqs = sequences(delivered);
        assertThat(deliveredSeqs).as("in order, no duplicates").isSortedAccordingTo(Long::compare)
                .doesNotHaveDuplicates();
        TreeSet<Long> droppedSeqs = new TreeSet<>(sequences(produced));
        droppedSeqs.removeAll(deliveredSeqs);
        assertThat(delivered).as("what arrived is what was sent")
                .allSatisfy(m -> assertThat(m).isEqualTo(produced.get((int) m.sequence() - 1)));
        assertThat(produced).filteredOn(m -> m.priority() == Priority.ALERT)
                .allSatisfy(m -> assertThat(deliveredSeqs).contains(m.sequence()));
        assertThat(droppedSeqs).isNotEmpty().allSatisfy(s -> assertThat(s).isBetween(31L, 360L));
        // The dropped summaries are the oldest of the outage: every summary between the first and last dropped.
        List<Long> summariesInDropRange = produced.stream()
                .filter(m -> m.priority() == Priority.SUMMARY)
                .map(SpooledMessage::sequence)
                .filter(s -> s >= droppedSeqs.first() && s <= droppedSeqs.last())
                .toList();
        assertThat(droppedSeqs).containsExactlyElementsOf(summariesInDropRange);
        assertThat(spool.droppedCount()).isEqualTo(droppedSeqs.size());
        assertThat(spool.droppedCount(Priority.ALERT)).isZero();
        assertThat(spool.droppedSince(0).describe()).isEqualTo(droppedSeqs.size() + " summaries dropped between seq "
                + droppedSeqs.first() + " and " + droppedSeqs.last());
    }

    /** Room for about 75 messages of 60 to 360 bytes; summaries forced in batches, as on the device. */
    private static SpoolConfig outageConfig(Path dir) {
        return SpoolConfig.builder(dir).segmentBytes(4096).maxBytes(32 * 1024)
                .summaryFsync(FsyncPolicy.batched(Duration.ofMillis(50))).build();
    }

    /** The uplink: sends the oldest messages in batches and acknowledges each batch once it is confirmed. */
    private static void drain(Spool spool, List<SpooledMessage> delivered, int batch) throws IOException {
        for (List<SpooledMessage> b = spool.peek(batch); !b.isEmpty(); b = spool.peek(batch)) {
            delivered.addAll(b);
            spool.acknowledge(b.get(b.size() - 1).sequence());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void oneProducerAndOneConsumerRunConcurrentlyWithoutLossOrReordering() throws Exception {
        int n = 3000;
        Spool spool = open(SpoolConfig.builder(tmp.resolve("spool")).segmentBytes(8192).build());
        List<Long> received = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                for (long seq = 1; seq <= n; seq++) {
                    spool.append(new SpooledMessage(seq, seq % 50 == 0 ? Priority.ALERT : Priority.SUMMARY,
                            payload(seq, 30 + (int) (seq % 200))));
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "producer");
        Thread consumer = new Thread(() -> {
            try {
                while (received.size() < n && failure.get() == null) {
                    List<SpooledMessage> batch = spool.peek(1 + received.size() % 17);
                    if (batch.isEmpty()) {
                        Thread.onSpinWait();
                        continue;
                    }
                    for (SpooledMessage m : batch) {
                        assertThat(m.payload()).isEqualTo(payload(m.sequence(), 30 + (int) (m.sequence() % 200)));
                        received.add(m.sequence());
                    }
                    spool.acknowledge(batch.get(batch.size() - 1).sequence());
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "consumer");
        producer.start();
        consumer.start();
        producer.join();
        consumer.join();
        assertThat(failure.get()).isNull();
        assertThat(received).isEqualTo(range(1, n));
        assertThat(spool.size()).isZero();
        assertThat(spool.droppedCount()).isZero();
        assertThat(SpoolFiles.segmentFiles(tmp.resolve("spool"))).as("acknowledged segments deleted")
                .hasSizeLessThan(2);
    }

    @Test
    void acknowledgedSegmentsAreDeletedFromDisk() throws IOException {
        Spool spool = spoolWithMixedMessages(400);
        SpoolConfig config = spool.config();
        assertThat(SpoolFiles.segmentFiles(config.directory()).size()).isGreaterThan(3);
        spool.acknowledge(400);
        assertThat(SpoolFiles.segmentFiles(config.directory())).hasSize(1); // the one still being written
        assertThat(spool.diskBytes()).isEqualTo(SpoolFiles.segmentBytesOnDisk(config.directory()))
                .isLessThanOrEqualTo(config.segmentBytes());
        assertThat(spool.bytes()).isZero();
    }

    @Test
    void damagedNewestStateSlotFallsBackToThePreviousAcknowledgement() throws IOException {
        Spool spool = spoolWithMixedMessages(20);
        spool.acknowledge(5);
        spool.acknowledge(10);
        Path crashed = crashCopy(spool.config().directory(), tmp.resolve("crashed"));
        Path stateFile = crashed.resolve(Spool.STATE_FILE_NAME);
        long newest = generation(stateFile, 0) > generation(stateFile, 1) ? 0 : 1;
        SpoolFiles.flipByte(stateFile, newest * StateFile.SLOT_BYTES + 40);

        Spool restarted = reopen(crashed);
        assertThat(restarted.acknowledgedThrough()).as("at-least-once: the older position").isEqualTo(5);
        assertThat(sequences(restarted.peek(100))).isEqualTo(range(6, 20));
    }

    private static long generation(Path stateFile, int slot) throws IOException {
        try (FileChannel ch = FileChannel.open(stateFile, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            ch.read(b, (long) slot * StateFile.SLOT_BYTES + 16);
            return b.getLong(0);
        }
    }

    @Test
    void appendsMustHaveIncreasingSequenceNumbersAndFitARecord() throws IOException {
        SpoolConfig config = small(tmp.resolve("spool")).build();
        Spool spool = open(config);
        spool.append(message(5, Priority.SUMMARY));
        assertThatThrownBy(() -> spool.append(message(5, Priority.ALERT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must increase");
        assertThatThrownBy(() -> spool.append(message(4, Priority.ALERT)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spool.append(SpooledMessage.alert(6, new byte[config.maxPayloadBytes() + 1])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("larger than");
        assertThat(spool.append(SpooledMessage.alert(6, new byte[config.maxPayloadBytes()]))).isTrue();
        assertThatThrownBy(() -> spool.acknowledge(7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpooledMessage(-1, Priority.ALERT, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(spool.peek(10)).extracting(SpooledMessage::payloadLength)
                .containsExactly(40, config.maxPayloadBytes());
    }

    @Test
    void aSpoolDirectoryCanBeOpenedOnlyOnceAtATime() throws IOException {
        SpoolConfig config = small(tmp.resolve("spool")).build();
        Spool spool = open(config);
        assertThatThrownBy(() -> Spool.open(config)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already open");
        spool.close();
        spool.close(); // twice is fine
        assertThatThrownBy(() -> spool.peek(1)).isInstanceOf(IllegalStateException.class);
        assertThat(open(config).size()).isZero();
    }

    @Test
    void peekAfterReturnsOnlyThatPriorityAboveTheCursorOldestFirst() throws IOException {
        Spool spool = spoolWithMixedMessages(20); // alerts 5, 10, 15, 20
        assertThat(sequences(spool.peekAfter(Priority.ALERT, -1, 10))).containsExactly(5L, 10L, 15L, 20L);
        assertThat(sequences(spool.peekAfter(Priority.ALERT, 10, 10))).containsExactly(15L, 20L);
        assertThat(sequences(spool.peekAfter(Priority.SUMMARY, 12, 3))).containsExactly(13L, 14L, 16L);
    }

    @Test
    void acknowledgeConfirmedForgetsOnlyTheConfirmedRunAtTheHeadAndKeepsEveryUnconfirmedMessage() throws IOException {
        Spool spool = spoolWithMixedMessages(20);
        // the alerts 5, 10, 15 and the summaries 1..4, 6, 7 are confirmed (stored); 8 is not
        java.util.Set<Long> confirmed = new java.util.HashSet<>(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 10L, 15L));
        assertThat(spool.acknowledgeConfirmed(confirmed::contains)).isEqualTo(7);
        assertThat(sequences(spool.peek(100))).isEqualTo(range(8, 20));
        // 8 and 9 stored: the run now reaches 14 (10 was confirmed before), 16 is not
        confirmed.addAll(List.of(8L, 9L, 11L, 12L, 13L, 14L));
        assertThat(spool.acknowledgeConfirmed(confirmed::contains)).isEqualTo(15);
        assertThat(sequences(spool.peek(100))).isEqualTo(range(16, 20));
        // nothing confirmed at the head: nothing forgotten, and it survives a restart
        assertThat(spool.acknowledgeConfirmed(s -> s == 20)).isEqualTo(15);
        Path dir = spool.config().directory();
        spool.close();
        assertThat(sequences(reopen(dir).peek(100))).isEqualTo(range(16, 20));
    }

    @Test
    void acknowledgeConfirmedIsNotHeldUpByASequenceTheSpoolDropped() throws IOException {
        Spool spool = open(small(tmp.resolve("gaps")).build());
        spool.append(message(1, Priority.SUMMARY));
        spool.append(message(2, Priority.ALERT));
        spool.append(message(5, Priority.SUMMARY)); // 3 and 4 never reached the spool
        assertThat(spool.acknowledgeConfirmed(s -> s == 1 || s == 2 || s == 5)).isEqualTo(5);
        assertThat(spool.size()).isZero();
    }
}
