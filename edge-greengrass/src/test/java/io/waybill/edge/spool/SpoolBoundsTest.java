package io.waybill.edge.spool;

import static io.waybill.edge.spool.SpoolFiles.crashCopy;
import static io.waybill.edge.spool.SpoolFiles.payload;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A long random run (appends of random sizes and priorities, partial acknowledgements, crashes and clean restarts)
 * checked step by step against a model of the drop policy in a few lines, and against the byte bound on disk.
 */
class SpoolBoundsTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final OpenedSpools spools = new OpenedSpools();

    /** The drop policy, on a map: the spool must hold exactly what this holds. */
    private static final class Model {
        final int maxMessages;
        final long budget;
        final TreeMap<Long, SpooledMessage> live = new TreeMap<>();
        long bytes;
        long dropped;

        Model(SpoolConfig config) {
            this.maxMessages = config.maxMessages();
            this.budget = config.liveByteBudget();
        }

        static long size(SpooledMessage m) {
            return SpoolConfig.RECORD_OVERHEAD_BYTES + m.payloadLength();
        }

        boolean append(SpooledMessage m) {
            while (live.size() + 1 > maxMessages || bytes + size(m) > budget) {
                SpooledMessage victim = oldest(Priority.SUMMARY);
                if (victim == null) {
                    if (m.priority() == Priority.SUMMARY) {
                        dropped++;
                        return false;
                    }
                    victim = oldest(Priority.ALERT);
                }
                live.remove(victim.sequence());
                bytes -= size(victim);
                dropped++;
            }
            live.put(m.sequence(), m);
            bytes += size(m);
            return true;
        }

        SpooledMessage oldest(Priority p) {
            return live.values().stream().filter(m -> m.priority() == p).findFirst().orElse(null);
        }

        void acknowledge(long upTo) {
            for (Iterator<Map.Entry<Long, SpooledMessage>> it = live.headMap(upTo, true).entrySet().iterator();
                    it.hasNext(); ) {
                bytes -= size(it.next().getValue());
                it.remove();
            }
        }
    }

    private static SpoolConfig config(Path dir) {
        return SpoolConfig.builder(dir).segmentBytes(4096).maxBytes(40 * 1024).maxMessages(120)
                .alertFsync(FsyncPolicy.batched(Duration.ofMillis(20)))
                .summaryFsync(FsyncPolicy.batched(Duration.ofMillis(20)))
                .build();
    }

    @Test
    void randomRunMatchesTheDropPolicyAndNeverExceedsMaxBytesOnDisk() throws IOException {
        Random random = new Random(7);
        SpoolConfig config = config(tmp.resolve("run0"));
        Spool spool = spools.open(config);
        Model model = new Model(config);
        int restarts = 0;
        long carriedForward = 0;
        for (long seq = 1; seq <= 4000; seq++) {
            // Alerts come in bursts now and then; summaries are steady; sizes vary up to almost a whole record.
            boolean alert = (seq / 300) % 3 == 2 ? random.nextInt(3) == 0 : random.nextInt(12) == 0;
            int size = random.nextInt(10) == 0 ? random.nextInt(config.maxPayloadBytes()) : 40 + random.nextInt(400);
            SpooledMessage m = new SpooledMessage(seq, alert ? Priority.ALERT : Priority.SUMMARY, payload(seq, size));
            assertThat(spool.append(m)).as("append %d", seq).isEqualTo(model.append(m));

            if (random.nextInt(40) == 0 && !model.live.isEmpty()) { // the link comes up briefly
                List<SpooledMessage> batch = spool.peek(1 + random.nextInt(30));
                long upTo = batch.get(batch.size() - 1).sequence();
                spool.acknowledge(upTo);
                model.acknowledge(upTo);
            }
            if (seq % 500 == 0) { // restart: a crash every other time, else a clean close
                restarts++;
                Path next = tmp.resolve("run" + restarts);
                if (restarts % 2 == 1) {
                    crashCopy(spool.config().directory(), next);
                } else {
                    spool.close();
                    java.nio.file.Files.move(spool.config().directory(), next);
                }
                assertThat(spool.peakDiskBytes()).isLessThanOrEqualTo(config.maxBytes());
                carriedForward += spool.recordsCarriedForward();
                spool = spools.open(config(next));
            }

            assertThat(spool.size()).isEqualTo(model.live.size());
            assertThat(spool.bytes()).isEqualTo(model.bytes).isLessThanOrEqualTo(config.liveByteBudget());
            assertThat(spool.droppedCount()).isEqualTo(model.dropped);
            assertThat(spool.diskBytes()).isLessThanOrEqualTo(config.maxBytes())
                    .isEqualTo(SpoolFiles.segmentBytesOnDisk(spool.config().directory()));
            if (seq % 100 == 0) {
                assertThat(spool.peek(Integer.MAX_VALUE)).containsExactlyElementsOf(model.live.values());
            }
        }
        assertThat(spool.peakDiskBytes()).isLessThanOrEqualTo(config.maxBytes());
        assertThat(model.dropped).as("the run did fill the spool").isGreaterThan(1000);
        assertThat(spool.droppedCount(Priority.ALERT)).as("and made it drop alerts too").isPositive();
        assertThat(spool.corruptRecordsDiscarded()).isZero();
        assertThat(carriedForward + spool.recordsCarriedForward())
                .as("old segments kept alive by a few alerts were reclaimed by copying").isPositive();
    }
}
