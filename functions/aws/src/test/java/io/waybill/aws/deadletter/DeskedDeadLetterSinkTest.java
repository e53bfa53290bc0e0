package io.waybill.aws.deadletter;

import io.waybill.domain.ingestion.DeadLetter;
import io.waybill.domain.ingestion.DeadLetterDesk;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.normalize.RecordOrigin;
import io.waybill.domain.normalize.RejectionReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The desk is written before the queue, and a desk that fails keeps the letter from the queue (retried whole). */
class DeskedDeadLetterSinkTest {
    private final List<String> calls = new ArrayList<>();
    private boolean deskDown;

    private final DeadLetterDesk desk = new DeadLetterDesk() {
        @Override
        public String record(DeadLetter letter) {
            if (deskDown) {
                throw new TransientDependencyException("dead-letter desk", "throttled", null);
            }
            calls.add("desk " + letter.origin().sequenceNumber());
            return "id";
        }

        @Override
        public Optional<Entry> find(String id) {
            return Optional.empty();
        }

        @Override
        public boolean claim(String id, String by, Instant now, Duration lease) {
            return false;
        }

        @Override
        public void release(String id, String by) {
        }

        @Override
        public boolean markReplayed(String id, String by, Instant at) {
            return false;
        }
    };

    private static DeadLetter letter(String sequence) {
        return new DeadLetter(new byte[] {'{'}, RejectionReason.MALFORMED_JSON, "truncated", null,
                new RecordOrigin("raw", "shardId-000000000000", sequence, "k"), null, Instant.EPOCH);
    }

    @Test
    void theDeskIsWrittenBeforeTheQueue() {
        DeskedDeadLetterSink sink = new DeskedDeadLetterSink(desk, l -> calls.add("queue " + l.origin().sequenceNumber()));
        sink.send(letter("1"));
        sink.send(letter("2"));
        assertThat(calls).containsExactly("desk 1", "queue 1", "desk 2", "queue 2");
    }

    @Test
    void aDeskFailureKeepsTheLetterFromTheQueueSoTheRecordIsRetried() {
        deskDown = true;
        DeskedDeadLetterSink sink = new DeskedDeadLetterSink(desk, l -> calls.add("queue " + l.origin().sequenceNumber()));
        assertThatThrownBy(() -> sink.send(letter("1"))).isInstanceOf(TransientDependencyException.class);
        assertThat(calls).isEmpty();
    }
}
