package io.waybill.local.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.waybill.local.esm.KinesisEventSourceMapping;
import io.waybill.local.kcl.KclEventSourceMapping;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.samples.SampleCatalog;

/**
 * {@link LocalPipeline.Builder#consumer}: the same pipeline (handler, tables, queues) consuming its stream through
 * the GetRecords mapping or through the Kinesis Client Library, against the real emulators.
 */
@Timeout(120)
class LocalPipelineConsumerTest {

    private static LocalAwsStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void getRecordsIsTheDefaultConsumer() {
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients())
                .names(PipelineNames.withPrefix("consumer-default")).shards(1).deploy()) {
            assertThat(pipeline.consumer()).isEqualTo(LocalPipeline.Consumer.GET_RECORDS);
            assertThat(pipeline.mapping()).isInstanceOf(KinesisEventSourceMapping.class);
        }
    }

    @Test
    void kclConsumerFeedsTheSameHandlerThroughALeaseTableNamedAfterTheStream() {
        PipelineNames names = PipelineNames.withPrefix("consumer-kcl");
        try (LocalPipeline pipeline = LocalPipeline.builder(stack.clients()).names(names).shards(2)
                .consumer(LocalPipeline.Consumer.KCL).deploy()) {
            assertThat(pipeline.consumer()).isEqualTo(LocalPipeline.Consumer.KCL);
            assertThat(pipeline.mapping()).isInstanceOf(KclEventSourceMapping.class);
            assertThat(((KclEventSourceMapping) pipeline.mapping()).applicationName())
                    .isEqualTo(names.stream() + "-ingest").isEqualTo(LocalPipeline.kclApplicationName(names));
            assertThat(stack.clients().dynamoDb().listTables().tableNames()).contains(names.stream() + "-ingest");

            List<byte[]> payloads = new ArrayList<>();
            List<String> keys = new ArrayList<>();
            for (SampleCatalog.ValidCase sample : SampleCatalog.valid()) {
                payloads.add(sample.compactRaw());
                keys.add(sample.name());
            }
            pipeline.publish(payloads, keys);

            assertThat(pipeline.awaitIdle(Duration.ofSeconds(60))).as("KCL start-up plus processing").isTrue();
            assertThat(pipeline.mapping().stats().recordsDelivered()).isEqualTo(payloads.size());
            assertThat(pipeline.mapping().stats().retries()).isZero();
            assertThat(pipeline.storedEvents()).isNotEmpty();
            assertThat(pipeline.deadLetterCount()).isZero();
        }
    }
}
