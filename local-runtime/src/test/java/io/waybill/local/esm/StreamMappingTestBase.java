package io.waybill.local.esm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Shared set-up of the event source mapping tests against real emulator processes: one {@link LocalAwsStack} per
 * test class, its Kinesis client and resources, and helpers to put records and configure quick retries.
 */
public abstract class StreamMappingTestBase {

    /** Hash keys that land in the first and the last shard of a stream with two shards. */
    protected static final String FIRST_SHARD_HASH_KEY = "0";
    protected static final String LAST_SHARD_HASH_KEY = "340282366920938463463374607431768211455";

    protected static LocalAwsStack stack;
    protected static KinesisClient kinesis;
    protected static StackResources resources;

    @BeforeAll
    protected static void startStack() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        kinesis = stack.clients().kinesis();
        resources = StackResources.using(stack.clients());
    }

    @AfterAll
    protected static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    /** Quick retries (10 ms doubling up to 50 ms) so that exhausting them takes milliseconds. */
    protected static EventSourceMappingConfig.Builder fastConfig(Duration pollInterval) {
        return EventSourceMappingConfig.builder()
                .pollInterval(pollInterval)
                .retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    /** Puts the entries in one PutRecords call, asserting that none failed. */
    protected static List<PutRecordsResultEntry> putRecords(String stream, List<PutRecordsRequestEntry> entries) {
        var response = kinesis.putRecords(b -> b.streamName(stream).records(entries));
        assertThat(response.failedRecordCount()).isZero();
        return response.records();
    }
}
