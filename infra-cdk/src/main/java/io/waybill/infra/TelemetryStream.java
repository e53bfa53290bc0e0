package io.waybill.infra;

import software.constructs.Construct;

/**
 * The raw telemetry stream {@code waybill-<stage>-telemetry}: the IoT rule writes to it, the ingest function and the
 * raw archive's delivery stream ({@link RawArchiveDelivery}) read it. Retention and capacity from the stage
 * ({@code retentionHours}, {@code shardCount}); its own customer-managed key ({@code alias/waybill-<stage>-telemetry}).
 */
public final class TelemetryStream extends EncryptedStream {
    public TelemetryStream(Construct scope, String id, StageConfig config) {
        super(scope, id, config, "telemetry stream", "telemetry", config.retentionHours(), config.shardCount());
    }
}
