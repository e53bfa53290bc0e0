package io.waybill.local.replay;

import io.waybill.aws.stream.RecordRedrive;
import io.waybill.local.testing.RecordingKinesis;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PutRecords within Kinesis' limits, with the entries a call rejects sent again (a recording client, no emulator). */
class RecordRedriveTest {

    private final List<Duration> waits = new ArrayList<>();

    /** {@code count} entries keyed {@code key-<i>}, data {@code d-<i>} padded to {@code bytes}. */
    private static List<RecordRedrive.Entry> entries(int count, int bytes) {
        List<RecordRedrive.Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] data = Arrays.copyOf(("d-" + i).getBytes(StandardCharsets.US_ASCII), bytes);
            out.add(new RecordRedrive.Entry("key-" + i, SdkBytes.fromByteArray(data)));
        }
        return out;
    }

    private static boolean isData(byte[] data, int i) {
        return new String(data, StandardCharsets.US_ASCII).startsWith("d-" + i + "\0");
    }

    @Test
    void atMost500RecordsACall() {
        RecordingKinesis kinesis = new RecordingKinesis((d, n) -> false);

        RecordRedrive.Outcome o = new RecordRedrive(kinesis, waits::add).put("s", entries(1_201, 10));

        assertThat(kinesis.calls).extracting(List::size).containsExactly(500, 500, 201);
        assertThat(o.put()).isEqualTo(1_201);
        assertThat(o.calls()).isEqualTo(3);
        assertThat(o.complete()).isTrue();
        assertThat(waits).isEmpty();
    }

    @Test
    void atMostFiveMebibytesACallPartitionKeysIncluded() {
        RecordingKinesis kinesis = new RecordingKinesis((d, n) -> false);
        // 1 MiB - 5 bytes of data + a 5-byte key ("key-0".."key-9") = exactly 1 MiB a record: five fit in a call.
        int data = 1024 * 1024 - 5;

        new RecordRedrive(kinesis, waits::add).put("s", entries(10, data));

        assertThat(kinesis.calls).extracting(List::size).containsExactly(5, 5);
    }

    @Test
    void rejectedEntriesAreSentAgainAloneWithKeysAndDataUnchanged() {
        RecordingKinesis kinesis = new RecordingKinesis((d, attempt) -> attempt == 1 && (isData(d, 3) || isData(d, 7)));

        RecordRedrive.Outcome o = new RecordRedrive(kinesis, waits::add).put("s", entries(10, 8));

        assertThat(kinesis.calls).hasSize(2);
        assertThat(kinesis.calls.get(1)).extracting(PutRecordsRequestEntry::partitionKey)
                .containsExactly("key-3", "key-7");
        assertThat(kinesis.calls.get(1)).extracting(e -> e.data().asByteArray())
                .containsExactly(entries(10, 8).get(3).data().asByteArray(), entries(10, 8).get(7).data().asByteArray());
        assertThat(o.put()).isEqualTo(10);
        assertThat(o.complete()).isTrue();
        assertThat(waits).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void anEntryRejectedEveryTimeIsNamedByItsPositionAfterFiveAttempts() {
        RecordingKinesis kinesis = new RecordingKinesis((d, attempt) -> isData(d, 1));

        RecordRedrive.Outcome o = new RecordRedrive(kinesis, waits::add).put("s", entries(3, 8));

        assertThat(kinesis.calls).hasSize(5);
        assertThat(o.put()).isEqualTo(2);
        assertThat(o.notPut()).containsExactly(new RecordRedrive.NotPut(1,
                "ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000001"));
        // 100 ms doubling, capped at 2 s: four waits between five attempts.
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800));
    }
}
