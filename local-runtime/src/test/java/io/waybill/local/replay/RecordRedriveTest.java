package io.waybill.local.replay;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** PutRecords within Kinesis' limits, with the entries a call rejects sent again (a fake client, no emulator). */
class RecordRedriveTest {

    /** Records every call; rejects the entries {@code reject} matches with a throughput error. */
    private static final class FakeKinesis implements KinesisClient {
        final List<List<PutRecordsRequestEntry>> calls = new ArrayList<>();
        final Predicate<PutRecordsRequestEntry> reject;

        FakeKinesis(Predicate<PutRecordsRequestEntry> reject) {
            this.reject = reject;
        }

        @Override
        public PutRecordsResponse putRecords(PutRecordsRequest request) {
            calls.add(request.records());
            List<PutRecordsResultEntry> results = new ArrayList<>();
            int failed = 0;
            for (PutRecordsRequestEntry e : request.records()) {
                if (reject.test(e)) {
                    failed++;
                    results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("Rate exceeded for shard shardId-000000000000").build());
                } else {
                    results.add(PutRecordsResultEntry.builder().shardId("shardId-000000000000")
                            .sequenceNumber(Integer.toString(results.size())).build());
                }
            }
            return PutRecordsResponse.builder().failedRecordCount(failed).records(results).build();
        }

        @Override
        public String serviceName() {
            return "kinesis";
        }

        @Override
        public void close() {
        }
    }

    private final List<Duration> waits = new ArrayList<>();

    private static List<RecordRedrive.Entry> entries(int count, int bytes) {
        List<RecordRedrive.Entry> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new RecordRedrive.Entry("key-" + i, SdkBytes.fromByteArray(new byte[bytes])));
        }
        return out;
    }

    @Test
    void atMost500RecordsACall() {
        FakeKinesis kinesis = new FakeKinesis(e -> false);

        RecordRedrive.Outcome o = new RecordRedrive(kinesis, waits::add).put("s", entries(1_201, 10));

        assertThat(kinesis.calls).extracting(List::size).containsExactly(500, 500, 201);
        assertThat(o.put()).isEqualTo(1_201);
        assertThat(o.calls()).isEqualTo(3);
        assertThat(o.complete()).isTrue();
        assertThat(waits).isEmpty();
    }

    @Test
    void atMostFiveMebibytesACallPartitionKeysIncluded() {
        FakeKinesis kinesis = new FakeKinesis(e -> false);
        // 1 MiB - 5 bytes of data + a 5-byte key ("key-0".."key-9") = exactly 1 MiB a record: five fit in a call.
        int data = 1024 * 1024 - 5;

        new RecordRedrive(kinesis, waits::add).put("s", entries(10, data));

        assertThat(kinesis.calls).extracting(List::size).containsExactly(5, 5);
    }

    @Test
    void rejectedEntriesAreSentAgainAloneWithKeysAndDataUnchanged() {
        List<String> rejectedOnce = new ArrayList<>(List.of("key-3", "key-7"));
        FakeKinesis kinesis = new FakeKinesis(e -> rejectedOnce.remove(e.partitionKey()));

        RecordRedrive.Outcome o = new RecordRedrive(kinesis, waits::add).put("s", entries(10, 3));

        assertThat(kinesis.calls).hasSize(2);
        assertThat(kinesis.calls.get(1)).extracting(PutRecordsRequestEntry::partitionKey)
                .containsExactly("key-3", "key-7");
        assertThat(kinesis.calls.get(1)).allSatisfy(e -> assertThat(e.data().asByteArray()).hasSize(3));
        assertThat(o.put()).isEqualTo(10);
        assertThat(o.complete()).isTrue();
        assertThat(waits).containsExactly(Duration.ofMillis(100));
    }

    @Test
    void anEntryRejectedEveryTimeIsNamedByItsPositionAfterFiveAttempts() {
        FakeKinesis kinesis = new FakeKinesis(e -> e.partitionKey().equals("key-1"));

        RecordRedrive.Outcome o = new RecordRedrive(kinesis, waits::add).put("s", entries(3, 3));

        assertThat(kinesis.calls).hasSize(5);
        assertThat(o.put()).isEqualTo(2);
        assertThat(o.notPut()).containsExactly(new RecordRedrive.NotPut(1,
                "ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000000"));
        // 100 ms doubling, capped at 2 s: four waits between five attempts.
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(800));
    }
}
