package io.waybill.edgeack;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.waybill.aws.stream.CanonicalStreamRecords;
import io.waybill.aws.stream.KinesisRecords;
import io.waybill.domain.device.StorageConfirmations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The edge acknowledgement Lambda: a consumer of the canonical event stream that tells each edge device which of its
 * messages are stored ({@link StorageConfirmations}: {@code {"stored":[[first,last],...]}} on
 * {@code cmd/waybill/<stage>/<thing>/stored}, QoS 1). Thin: records in, confirmations computed in the domain, one
 * publish per device of the batch through the {@link DeviceAcknowledgements} port.
 *
 * <p>A confirmation that cannot be published is logged and counted ({@code ConfirmationsFailed}) and the batch is
 * <em>not</em> retried: a lost confirmation loses nothing (the device keeps the message, sends it again after its
 * confirm timeout, ingest stores the duplicate once and puts it on this stream again, and it is confirmed then), while
 * retrying would hold up the confirmations of every other device on the shard. The same class is what the local
 * runtime drives, with an MQTT adapter of the port.
 */
public final class EdgeAcknowledgementHandler implements RequestHandler<KinesisEvent, StreamsEventResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeAcknowledgementHandler.class);

    private final String stage;
    private final DeviceAcknowledgements devices;
    private final Metrics metrics;

    /** Lambda entry point: configuration and clients built once per execution environment. */
    public EdgeAcknowledgementHandler() {
        this(EdgeAcknowledgementConfig.fromEnvironment(System.getenv()));
    }

    private EdgeAcknowledgementHandler(EdgeAcknowledgementConfig config) {
        this(config.stage(), iotDataPlane(config), MetricsFactory.getMetricsInstance());
    }

    /** The IoT data plane at the configured endpoint, or at the one {@link IotEndpointDiscovery} finds. */
    static IotDataPlaneAcknowledgements iotDataPlane(EdgeAcknowledgementConfig config) {
        var credentials = DefaultCredentialsProvider.builder().build();
        var http = UrlConnectionHttpClient.create();
        return config.iotEndpoint() != null
                ? new IotDataPlaneAcknowledgements(config.iotEndpoint(), config.region(), credentials, http)
                : new IotDataPlaneAcknowledgements(() -> IotEndpointDiscovery.dataEndpoint(
                        IotEndpointDiscovery.controlPlane(config.region()), config.region(), credentials, http),
                        config.region(), credentials, http);
    }

    /** @param metrics null: log only (tests, the local runtime) */
    public EdgeAcknowledgementHandler(String stage, DeviceAcknowledgements devices, Metrics metrics) {
        this.stage = Objects.requireNonNull(stage, "stage");
        this.devices = Objects.requireNonNull(devices, "devices");
        this.metrics = metrics;
    }

    /** The outcome of one batch. */
    public record Outcome(int devices, long sequences, int failed, int unreadable) {
    }

    @Override
    public StreamsEventResponse handleRequest(KinesisEvent event, Context context) {
        List<KinesisEvent.KinesisEventRecord> records = KinesisRecords.of(event);
        CanonicalStreamRecords.Read read = CanonicalStreamRecords.read(records);
        read.unreadable().forEach(u -> LOG.error("canonical stream record is not a canonical event, skipped: {}", u));
        Outcome o = confirm(read);
        LOG.info("batch records={} devices={} sequencesConfirmed={} confirmationsFailed={} unreadable={}",
                records.size(), o.devices(), o.sequences(), o.failed(), o.unreadable());
        if (metrics != null) {
            metrics.addMetric("ConfirmationsPublished", o.devices() - o.failed(), MetricUnit.COUNT);
            metrics.addMetric("ConfirmationsFailed", o.failed(), MetricUnit.COUNT);
            metrics.addMetric("SequencesConfirmed", o.sequences(), MetricUnit.COUNT);
            metrics.addMetric("UnreadableCanonicalEvents", o.unreadable(), MetricUnit.COUNT);
            metrics.flush();
        }
        return KinesisRecords.response(records, OptionalInt.empty());
    }

    Outcome confirm(CanonicalStreamRecords.Read read) {
        List<StorageConfirmations.Confirmation> confirmations = StorageConfirmations.of(read.events());
        int failed = 0;
        long sequences = 0;
        for (StorageConfirmations.Confirmation c : confirmations) {
            sequences += c.ranges().stream().mapToLong(r -> r[1] - r[0] + 1).sum();
            try {
                devices.publish(StorageConfirmations.topic(stage, c.thingName()), c.payload());
            } catch (RuntimeException e) {
                failed++;
                LOG.warn("storage confirmation for {} not published (the device will send again): {}",
                        c.thingName(), e.getMessage());
            }
        }
        return new Outcome(confirmations.size(), sequences, failed, read.unreadable().size());
    }
}
