package io.waybill.edgeack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.waybill.domain.device.DeadLetterSettlements;
import io.waybill.domain.device.StorageConfirmations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The edge acknowledgement function's second entry: confirms to each edge device the messages ingest dead-lettered
 * ({@link DeadLetterSettlements}). Ingest sends one settlement notice per dead-lettered edge message to an SQS queue
 * once its dead letter is kept; this handler reads them (an SQS event source with {@code ReportBatchItemFailures}),
 * groups them by device and publishes the settled sequences on {@code cmd/waybill/<stage>/<thing>/stored} exactly as
 * {@link EdgeAcknowledgementHandler} publishes stored ones: the device forgets a settled message like a stored one.
 * The message itself stays in the dead-letter queue (and the raw archive), replayable.
 *
 * <p>A device whose confirmation cannot be published has its notices returned as batch item failures: SQS hands
 * them back after the visibility timeout, and after the queue's {@code maxReceiveCount} moves them to the queue's own
 * dead-letter queue (nothing is lost then either: the device sends the message again, and ingest dead-letters and
 * announces it again). A notice that is not one is logged and dropped.
 */
public final class DeadLetterSettlementHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSettlementHandler.class);

    private final String stage;
    private final DeviceAcknowledgements devices;
    private final Metrics metrics;

    /** Lambda entry point: configuration and clients built once per execution environment. */
    public DeadLetterSettlementHandler() {
        this(EdgeAcknowledgementConfig.fromEnvironment(System.getenv()));
    }

    private DeadLetterSettlementHandler(EdgeAcknowledgementConfig config) {
        this(config.stage(), EdgeAcknowledgementHandler.iotDataPlane(config), MetricsFactory.getMetricsInstance());
    }

    /** @param metrics null: log only (tests, the local runtime) */
    public DeadLetterSettlementHandler(String stage, DeviceAcknowledgements devices, Metrics metrics) {
        this.stage = Objects.requireNonNull(stage, "stage");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.metrics = metrics;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSEvent.SQSMessage> messages = event == null || event.getRecords() == null ? List.of()
                : event.getRecords();
        List<DeadLetterSettlements.Settlement> settlements = new ArrayList<>();
        Map<String, List<String>> messageIdsByThing = new LinkedHashMap<>();
        int unreadable = 0;
        for (SQSEvent.SQSMessage m : messages) {
            try {
                DeadLetterSettlements.Settlement s = DeadLetterSettlements.fromJson(m.getBody());
                settlements.add(s);
                messageIdsByThing.computeIfAbsent(s.thingName(), t -> new ArrayList<>()).add(m.getMessageId());
            } catch (IllegalArgumentException e) {
                unreadable++;
                LOG.error("settlement notice {} is not one, dropped: {}", m.getMessageId(), e.getMessage());
            }
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        int failed = 0;
        long sequences = 0;
        List<StorageConfirmations.Confirmation> confirmations = DeadLetterSettlements.confirmations(settlements);
        for (StorageConfirmations.Confirmation c : confirmations) {
            try {
                devices.publish(StorageConfirmations.topic(stage, c.thingName()), c.payload());
                sequences += c.ranges().stream().mapToLong(r -> r[1] - r[0] + 1).sum();
            } catch (RuntimeException e) {
                failed++;
                LOG.warn("settlement confirmation for {} not published, its notices come back: {}", c.thingName(),
                        e.getMessage());
                messageIdsByThing.get(c.thingName())
                        .forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
            }
        }
        LOG.info("batch notices={} devices={} sequencesSettled={} confirmationsFailed={} unreadable={}",
                messages.size(), confirmations.size(), sequences, failed, unreadable);
        if (metrics != null) {
            metrics.addMetric("SettlementsPublished", confirmations.size() - failed, MetricUnit.COUNT);
            metrics.addMetric("SettlementsFailed", failed, MetricUnit.COUNT);
            metrics.addMetric("SequencesSettled", sequences, MetricUnit.COUNT);
            metrics.addMetric("UnreadableSettlementNotices", unreadable, MetricUnit.COUNT);
            metrics.flush();
        }
        return new SQSBatchResponse(failures);
    }
}
