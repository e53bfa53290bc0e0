package io.waybill.local.iot;

import io.waybill.edgeack.DeadLetterSettlementHandler;
import io.waybill.edgeack.EdgeAcknowledgementHandler;
import io.waybill.local.esm.EventSourceMappingConfig;
import io.waybill.local.esm.KinesisEventSourceMapping;
import io.waybill.local.esm.SqsEventSourceMapping;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.time.Duration;

/**
 * The edge acknowledgement functions on the local stack, wired as infra-cdk's {@code EdgeAcknowledgement} deploys
 * them: {@link EdgeAcknowledgementHandler} on the canonical stream (a local Kinesis event source mapping) and, when a
 * settlement notices queue is given, {@link DeadLetterSettlementHandler} on it (a local SQS event source mapping, batches
 * of 10), both publishing through one {@link MqttDeviceAcknowledgements} to the local broker on
 * {@code cmd/waybill/local/<thing>/stored}. Ingest sends the notices when its pipeline has the queue
 * ({@code LocalPipeline.edgeSettlementQueueUrl()}).
 */
public final class LocalEdgeAcknowledgement implements AutoCloseable {
    /** As the CDK's settlement mapping: SQS' largest batch. */
    static final int SETTLEMENT_BATCH_SIZE = 10;
    /** Short locally: a notice whose confirmation failed comes back within seconds. */
    static final Duration SETTLEMENT_VISIBILITY = Duration.ofSeconds(5);

    private final MqttDeviceAcknowledgements devices;
    private final KinesisEventSourceMapping stored;
    private final SqsEventSourceMapping settled;

    private LocalEdgeAcknowledgement(MqttDeviceAcknowledgements devices, KinesisEventSourceMapping stored,
                                     SqsEventSourceMapping settled) {
        this.devices = devices;
        this.stored = stored;
        this.settled = settled;
    }

    /**
     * @param settlementQueueUrl null: no settlement function (dead-lettered edge messages are not confirmed)
     */
    public static LocalEdgeAcknowledgement start(LocalMqttBroker broker, KinesisClient kinesis, String canonicalStream,
                                                 SqsClient sqs, String settlementQueueUrl, Duration timeout) {
        MqttDeviceAcknowledgements devices = MqttDeviceAcknowledgements.connect(broker, "edge-acknowledgement",
                timeout);
        KinesisEventSourceMapping stored = null;
        try {
            stored = KinesisEventSourceMapping.start(kinesis, null, canonicalStream,
                    EventSourceMappingConfig.builder().functionName("waybill-local-edge-acknowledgement").build(),
                    new EdgeAcknowledgementHandler(LocalIotRule.LOCAL_STAGE, devices, null));
            SqsEventSourceMapping settled = settlementQueueUrl == null ? null
                    : SqsEventSourceMapping.start(sqs, settlementQueueUrl, SETTLEMENT_BATCH_SIZE,
                    SETTLEMENT_VISIBILITY, new DeadLetterSettlementHandler(LocalIotRule.LOCAL_STAGE, devices, null),
                    "waybill-local-edge-settlement");
            return new LocalEdgeAcknowledgement(devices, stored, settled);
        } catch (RuntimeException e) {
            if (stored != null) {
                stored.close();
            }
            devices.close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (settled != null) {
            settled.close();
        }
        stored.close();
        devices.close();
    }
}
