package io.waybill.domain.adapter;

/**
 * An anti-corruption layer for one device vendor or partner format: it turns that vendor's payload into one
 * canonical event's data, and knows nothing of transport. Implementations are stateless and thread-safe; the
 * format each one implements is documented in {@code events-samples/README.md}, which is the contract.
 */
public interface VendorAdapter {

    /** The adapter id, the first segment of a record's {@code wb_route} (e.g. {@code thermotrack}). */
    String id();

    /**
     * Normalises one payload.
     *
     * @param payload    the vendor's JSON object, routing fields included
     * @param producerId the authenticated producer (IoT thing name or partner id), second segment of {@code wb_route}
     * @throws io.waybill.domain.normalize.RejectedRecordException when the payload breaks the vendor contract
     */
    AdaptedEvent adapt(VendorPayload payload, String producerId);

    /**
     * Top-level fields of this vendor's messages that are transport stamps, not part of the fact (e.g. a send time
     * re-stamped on every retry): left out of the raw content an event's id and content hash are computed over, so a
     * resend is still the same message.
     */
    default java.util.Set<String> transportFields() {
        return java.util.Set.of();
    }

    /**
     * Whether this adapter's producers are devices (IoT things publishing on their adapter's topic): their messages
     * are checked against the device registry (registration, adapter, status, signature, replay, shipment assignment;
     * {@link io.waybill.domain.device.ProducerVerification}). A partner route (the 3PL's adapter) is not a device.
     */
    default boolean device() {
        return true;
    }
}
