package io.waybill.edge.model;

import io.waybill.domain.identity.Sscc;

import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of one {@link ReeferEdgeModel}. Immutable; build with {@link #builder()}: {@code deviceId},
 * {@code shipmentSscc} and {@code band} are required, everything else starts at its documented default.
 *
 * @param deviceId         the edge device's id (Greengrass thing name); scope of the message sequence
 * @param shipmentSscc     the SSCC of the shipment in the container (any form {@link Sscc#parse(String)} accepts;
 *                         kept as the 18 digits)
 * @param band             the product's band and sensitivity
 * @param excursion        excursion detector tuning
 * @param window           window summarizer tuning
 * @param severity         severity scorer tuning
 * @param summaryHeartbeat consecutive windows are coalesced into one uplinked summary per heartbeat period (aligned
 *                         to the epoch; a multiple of the window). Equal to the window: every window is sent.
 *                         Alerts never wait for it
 * @param firstSequence    the sequence number of the first message (the component passes the last sequence it
 *                         persisted + 1 after a restart)
 */
public record ReeferConfig(String deviceId, String shipmentSscc, ProductBand band, ExcursionConfig excursion,
                           WindowConfig window, SeverityConfig severity, Duration summaryHeartbeat,
                           long firstSequence) {

    /**
     * 8 hours: three summaries a day per probe; alerts go out at once and never wait for it. A reefer at sea
     * uplinks over satellite, where every message costs, and liveness is the broker's business (connection
     * lifecycle events), not the data's. Min, max, mean, count and band time merge exactly, so the coalesced summary
     * keeps every extreme; only the time resolution drops (the windows themselves stay at 5 minutes). On the golden
     * 48-hour trip this sends 8 messages (6 summaries, 2 alerts): about 1.6 % of the raw CSV bytes; 6 hours gives
     * 2.05 %, 1 hour 10 %, one message per 5-minute window 119 %.
     */
    public static final Duration DEFAULT_SUMMARY_HEARTBEAT = Duration.ofHours(8);
    /** 0. */
    public static final long DEFAULT_FIRST_SEQUENCE = 0;

    public ReeferConfig {
        Objects.requireNonNull(deviceId, "deviceId");
        if (deviceId.isBlank()) {
            throw new IllegalArgumentException("deviceId is blank");
        }
        shipmentSscc = Sscc.parse(Objects.requireNonNull(shipmentSscc, "shipmentSscc"), "shipmentSscc");
        Objects.requireNonNull(band, "band");
        Objects.requireNonNull(excursion, "excursion");
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(severity, "severity");
        Configs.positive("summaryHeartbeat", summaryHeartbeat);
        if (summaryHeartbeat.toMillis() % window.window().toMillis() != 0) {
            throw new IllegalArgumentException("summaryHeartbeat " + summaryHeartbeat
                    + " must be a multiple of the window " + window.window());
        }
        if (firstSequence < 0) {
            throw new IllegalArgumentException("firstSequence must be >= 0, was " + firstSequence);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().deviceId(deviceId).shipmentSscc(shipmentSscc).band(band).excursion(excursion)
                .window(window).severity(severity).summaryHeartbeat(summaryHeartbeat).firstSequence(firstSequence);
    }

    public static final class Builder {
        private String deviceId;
        private String shipmentSscc;
        private ProductBand band;
        private ExcursionConfig excursion = ExcursionConfig.defaults();
        private WindowConfig window = WindowConfig.defaults();
        private SeverityConfig severity = SeverityConfig.defaults();
        private Duration summaryHeartbeat = DEFAULT_SUMMARY_HEARTBEAT;
        private long firstSequence = DEFAULT_FIRST_SEQUENCE;

        private Builder() {
        }

        public Builder deviceId(String v) {
            this.deviceId = v;
            return this;
        }

        public Builder shipmentSscc(String v) {
            this.shipmentSscc = v;
            return this;
        }

        public Builder band(ProductBand v) {
            this.band = v;
            return this;
        }

        public Builder excursion(ExcursionConfig v) {
            this.excursion = v;
            return this;
        }

        public Builder window(WindowConfig v) {
            this.window = v;
            return this;
        }

        public Builder severity(SeverityConfig v) {
            this.severity = v;
            return this;
        }

        public Builder summaryHeartbeat(Duration v) {
            this.summaryHeartbeat = v;
            return this;
        }

        public Builder firstSequence(long v) {
            this.firstSequence = v;
            return this;
        }

        public ReeferConfig build() {
            return new ReeferConfig(deviceId, shipmentSscc, band, excursion, window, severity, summaryHeartbeat,
                    firstSequence);
        }
    }
}
