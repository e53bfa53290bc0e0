package io.waybill.edge.component;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.edge.config.ConfigSource;

import java.io.IOException;
import java.util.Objects;

/**
 * Keeps the component's shipment assignment equal to the configuration's {@code shipmentSscc}: the trip's
 * assignment arrives as a configuration change (under Greengrass a deployment's configuration merge
 * {@code {"shipmentSscc":"..."}}, signalled through {@code SubscribeToConfigurationUpdate}; standalone an edit of the
 * {@code --config} file), never as a restart.
 *
 * <p>On every signal it re-reads the whole configuration and acts only when {@code shipmentSscc} differs from the
 * value it saw last (a merge of other keys changes no trip):
 * <ul>
 *   <li>a valid SSCC of another shipment: a new trip ({@link ReeferEdgeComponent#assign}), with the configuration's
 *       trip settings (product band, excursion, window, heartbeat) as they are in that same configuration;</li>
 *   <li>an SSCC that is invalid (wrong length, check digit, ...) or a configuration that does not parse: logged as
 *       {@code {"event":"shipmentAssignmentRejected",...}} and ignored; the current assignment stays;</li>
 *   <li>empty or removed ({@code reset} of {@code /shipmentSscc}): the trip ends and the component waits
 *       ({@link ReeferEdgeComponent#unassign}).</li>
 * </ul>
 * The {@code --shipment-sscc} option is the initial assignment only; a later change of the configuration's value
 * replaces it.
 */
public final class ShipmentAssignments implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ShipmentAssignments.class.getName());

    private final ConfigSource source;
    private final ReeferEdgeComponent component;
    private final String thingNameOverride;
    private final String initialOverride;
    private final Object lock = new Object();
    private boolean started;
    private String lastSeen;

    /**
     * @param thingNameOverride the thing name that wins over the configuration's (as at startup), or null
     * @param initialShipment   the initial assignment that wins over the configuration's at start, or null
     */
    public ShipmentAssignments(ConfigSource source, ReeferEdgeComponent component, String thingNameOverride,
                               String initialShipment) {
        this.source = Objects.requireNonNull(source, "source");
        this.component = Objects.requireNonNull(component, "component");
        this.thingNameOverride = thingNameOverride;
        this.initialOverride = initialShipment == null || initialShipment.isBlank() ? null : initialShipment;
    }

    /** Applies the configuration's assignment now, then follows its changes. */
    public void start() {
        synchronized (lock) {
            if (started) {
                throw new IllegalStateException("already started");
            }
            started = true;
            // watch first, then read: a change in between is signalled, and waits for this lock
            source.watch(this::refresh);
            JsonNode json = readOrNull();
            lastSeen = EdgeComponentConfig.shipmentSsccOf(json);
            String wanted = initialOverride != null ? initialOverride : lastSeen;
            apply(json, wanted);
        }
    }

    /** Re-reads the configuration and applies a changed {@code shipmentSscc} (what the source's signal calls). */
    public void refresh() {
        synchronized (lock) {
            JsonNode json;
            try {
                json = source.read();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, EdgeLog.line("shipmentAssignmentRejected",
                        "thingName", component.config().thingName(), "keeps",
                        component.assignment().shipmentSscc(), "reason", "configuration not readable: " + e));
                return;
            }
            String value = EdgeComponentConfig.shipmentSsccOf(json);
            if (Objects.equals(value, lastSeen)) {
                return;
            }
            lastSeen = value;
            apply(json, value);
        }
    }

    private void apply(JsonNode json, String sscc) {
        if (sscc == null) {
            component.unassign("shipmentSscc removed from the configuration");
            return;
        }
        EdgeComponentConfig assignment;
        try {
            assignment = EdgeComponentConfig.fromJson(json, thingNameOverride, sscc);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, EdgeLog.line("shipmentAssignmentRejected",
                    "thingName", component.config().thingName(), "shipmentSscc", sscc,
                    "keeps", component.assignment().shipmentSscc(), "reason", e.getMessage()));
            return;
        }
        component.assign(assignment);
    }

    private JsonNode readOrNull() {
        try {
            return source.read();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "configuration not readable at start, waiting for an update: " + e);
            return null;
        }
    }

    @Override
    public void close() {
        source.close();
    }
}
