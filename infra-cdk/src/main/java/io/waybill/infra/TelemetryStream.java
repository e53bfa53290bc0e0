package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The telemetry stream the IoT rule writes to and the ingest function reads: encrypted with its own
 * customer-managed key (rotated yearly), on-demand unless the stage asks for a shard count, retention from the stage.
 */
public final class TelemetryStream extends Construct {
    private final Key key;
    private final Stream stream;

    public TelemetryStream(Construct scope, String id, StageConfig config) {
        super(scope, id);
        // The stream is a 24-hour buffer, not the record: key and stream go with the stack (the key after KMS'
        // 30-day pending window).
        this.key = CustomerKey.of(this, config, "telemetry stream", "telemetry", RemovalPolicy.DESTROY);
        Stream.Builder stream = Stream.Builder.create(this, "Stream")
                .streamName(config.resourceName("telemetry"))
                .encryption(StreamEncryption.KMS)
                .encryptionKey(key)
                .retentionPeriod(Duration.hours(config.retentionHours()))
                .removalPolicy(RemovalPolicy.DESTROY);
        config.shardCount().ifPresentOrElse(
                shards -> stream.streamMode(StreamMode.PROVISIONED).shardCount(shards),
                () -> stream.streamMode(StreamMode.ON_DEMAND));
        this.stream = stream.build();
    }

    public Stream stream() {
        return stream;
    }

    public Key key() {
        return key;
    }
}
