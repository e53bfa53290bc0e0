package io.waybill.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kinesis.Stream;
import software.amazon.awscdk.services.kinesis.StreamEncryption;
import software.amazon.awscdk.services.kinesis.StreamMode;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

import java.util.List;
import java.util.Optional;

/**
 * A Kinesis stream of the stage ({@link TelemetryStream}, {@link CanonicalEventStream}): named
 * {@code waybill-<stage>-<name>}, encrypted with its own customer-managed key (construct id {@code Key}, rotated
 * yearly), on-demand unless given a shard count, and the retention its consumers derive their record age from
 * ({@link StreamConsumer}). A stream is a buffer, not the record (the event store and the raw archive are): stream
 * and key go with the stack, the key after KMS' 30-day pending window.
 */
abstract class EncryptedStream extends Construct {
    private final Key key;
    private final Stream stream;
    private final int retentionHours;

    EncryptedStream(Construct scope, String id, StageConfig config, String purpose, String name, int retentionHours,
                    Optional<Integer> shardCount) {
        super(scope, id);
        this.retentionHours = retentionHours;
        this.key = CustomerKey.of(this, config, purpose, name, RemovalPolicy.DESTROY);
        Stream.Builder stream = Stream.Builder.create(this, "Stream")
                .streamName(config.resourceName(name))
                .encryption(StreamEncryption.KMS)
                .encryptionKey(key)
                .retentionPeriod(Duration.hours(retentionHours))
                .removalPolicy(RemovalPolicy.DESTROY);
        shardCount.ifPresentOrElse(
                shards -> stream.streamMode(StreamMode.PROVISIONED).shardCount(shards),
                () -> stream.streamMode(StreamMode.ON_DEMAND));
        this.stream = stream.build();
        NagSuppressions.addResourceSuppressions(this.stream, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-KDS3")
                .reason("A customer-managed key is a requirement, not an accident: its key policy decides who can "
                        + "read device telemetry and the events made of it, it rotates yearly and is audited per use, "
                        + "which the AWS-managed aws/kinesis key allows none of. The per-request KMS cost was accepted.")
                .build()));
    }

    public Stream stream() {
        return stream;
    }

    public Key key() {
        return key;
    }

    /** How long a record stays on the stream: what a consumer's maximum record age is derived from. */
    public Duration retention() {
        return Duration.hours(retentionHours);
    }
}
