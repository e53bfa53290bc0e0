package io.waybill.local.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * A KinesisClient (no emulator) that records every PutRecords call and fails the entries {@code fails} picks with
 * {@code ProvisionedThroughputExceededException}, as Kinesis reports a throttled entry inside a successful call.
 */
public final class RecordingKinesis implements KinesisClient {
    /** The entries of each call, in order. */
    public final List<List<PutRecordsRequestEntry>> calls = new ArrayList<>();
    /** The data of every entry accepted, in order. */
    public final List<byte[]> accepted = new ArrayList<>();
    /** (entry data, attempt of that data, 1-based) -> fail it. */
    private final BiPredicate<byte[], Integer> fails;
    private final Map<ByteBuffer, Integer> attempts = new HashMap<>();

    public RecordingKinesis(BiPredicate<byte[], Integer> fails) {
        this.fails = fails;
    }

    @Override
    public PutRecordsResponse putRecords(PutRecordsRequest request) {
        calls.add(request.records());
        List<PutRecordsResultEntry> results = new ArrayList<>();
        int failed = 0;
        for (PutRecordsRequestEntry e : request.records()) {
            byte[] data = e.data().asByteArray();
            int attempt = attempts.merge(ByteBuffer.wrap(data), 1, Integer::sum);
            if (fails.test(data, attempt)) {
                failed++;
                results.add(PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException")
                        .errorMessage("Rate exceeded for shard shardId-000000000001").build());
            } else {
                accepted.add(data);
                results.add(PutRecordsResultEntry.builder().shardId("shardId-000000000000")
                        .sequenceNumber(String.valueOf(accepted.size())).build());
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
