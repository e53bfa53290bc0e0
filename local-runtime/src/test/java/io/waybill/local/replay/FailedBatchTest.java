package io.waybill.local.replay;

import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the on-failure record a Kinesis event source mapping sends when it gives up on a batch. */
class FailedBatchTest {

    @Test
    void awsDocumentedOnFailureRecordNamesItsRange() {
        String body = new String(SampleCatalog.bytes("lambda/kinesis-on-failure-record.json"), StandardCharsets.UTF_8);

        FailedBatch b = FailedBatch.fromJson(body);

        // Values as written in the AWS Lambda guide's example.
        assertThat(b.shardId()).isEqualTo("shardId-000000000001");
        assertThat(b.start()).isEqualTo(new BigInteger("49601189658422359378836298521827638475320189012309704722"));
        assertThat(b.end()).isEqualTo(new BigInteger("49601189658422359378836298522902373528957594348623495186"));
        assertThat(b.batchSize()).isEqualTo(500);
        assertThat(b.condition()).isEqualTo("RetryAttemptsExhausted");
        assertThat(b.streamArn()).isEqualTo("arn:aws:kinesis:us-east-2:123456789012:stream/mystream");
        assertThat(b.streamName()).isEqualTo("mystream");
        assertThat(b.firstArrival()).isEqualTo("2019-11-14T00:38:04.835Z");
        assertThat(b.range()).isEqualTo("shardId-000000000001 49601189658422359378836298521827638475320189012309704722"
                + "..49601189658422359378836298522902373528957594348623495186");
    }

    @Test
    void recordWithoutBatchSizeOrConditionIsStillARange() {
        FailedBatch b = FailedBatch.fromJson("{\"KinesisBatchInfo\":{\"shardId\":\"shardId-000000000000\","
                + "\"startSequenceNumber\":\"7\",\"endSequenceNumber\":\"7\","
                + "\"streamArn\":\"arn:aws-cn:kinesis:cn-north-1:1:stream/s\"}}");

        assertThat(b.batchSize()).isNull();
        assertThat(b.condition()).isNull();
        assertThat(b.streamName()).isEqualTo("s");
    }

    @Test
    void anythingElseIsNoOnFailureRecord() {
        String info = "{\"KinesisBatchInfo\":{\"shardId\":\"shardId-000000000000\",\"startSequenceNumber\":\"%s\","
                + "\"endSequenceNumber\":\"%s\",\"streamArn\":\"%s\"}}";
        String arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/telemetry";
        assertThatThrownBy(() -> FailedBatch.fromJson("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> FailedBatch.fromJson("{\"version\":\"1.0\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no KinesisBatchInfo");
        assertThatThrownBy(() -> FailedBatch.fromJson(String.format(info, "12", "x9", arn)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endSequenceNumber");
        assertThatThrownBy(() -> FailedBatch.fromJson(String.format(info, "20", "10", arn)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is after");
        assertThatThrownBy(() -> FailedBatch.fromJson(String.format(info, "1", "2",
                "arn:aws:sqs:eu-west-1:123456789012:queue")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Kinesis stream ARN");
        assertThatThrownBy(() -> FailedBatch.fromJson(String.format(info, "1", "2",
                "arn:aws:kinesis:eu-west-1:123456789012:stream/")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a Kinesis stream ARN");
    }
}
