package io.waybill.domain.device;

import com.fasterxml.jackson.databind.JsonNode;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.domain.projection.ShipmentProjection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, for each normalised record of a batch, whether its producer may have sent it: the device registry's word on
 * the authenticated thing (the producer of {@code wb_route}), the device's signature on the message and its shipment
 * assignment. Only device adapters are checked ({@link io.waybill.domain.adapter.VendorAdapter#device()}); a partner's
 * record is accepted as it is.
 *
 * <p>Checks, in order; the first that fails is the record's rejection reason:
 * <ol>
 *   <li>{@link RejectionReason#UNREGISTERED_DEVICE}: the thing is not in the registry;</li>
 *   <li>{@link RejectionReason#IDENTITY_MISMATCH}: it is registered for another adapter than the route's;</li>
 *   <li>{@link RejectionReason#DEVICE_REVOKED}: it is revoked;</li>
 *   <li>{@link RejectionReason#UNSIGNED}: it has signing keys and the message carries no {@code wb_sig};</li>
 *   <li>{@link RejectionReason#BAD_SIGNATURE}: {@code wb_sig} is malformed, names a key the device does not have, or
 *       does not verify ({@link PayloadSignature#verify});</li>
 *   <li>{@link RejectionReason#REPLAYED}: a valid signature whose sequence is at most the registry's highest accepted
 *       sequence for that key less the replay window;</li>
 *   <li>{@link RejectionReason#UNASSIGNED}: a {@link DeviceScope#SHIPMENT} device's event about a shipment
 *       ({@link ShipmentProjection#shipmentOf}) that none of its assignments covers at the event's {@code time}; under
 *       {@link UnassignedPolicy#FLAG} the record is accepted flagged instead. Events about no shipment are not
 *       checked.</li>
 * </ol>
 *
 * <p>The registry is read once per batch ({@code fresh=false}, cached answers allowed). The things of records that
 * would be rejected for being unregistered, unassigned (or flagged) or for naming an unknown key are read once more
 * with {@code fresh=true} and those things' records decided on the fresh answer: a device registered, assigned or
 * given a new key a moment ago is not dead-lettered because of a cache. A revocation reaches a warm cache within its
 * TTL.
 *
 * <p>The replay check compares with the registry's sequences only, not with earlier records of the same batch: a
 * store-and-forward spool may deliver out of order, and a resend within the window is absorbed by the event store
 * as a duplicate (the sequence is not part of the event's id or content hash).
 *
 * <p>Stateless and thread-safe; the registry may throw {@link io.waybill.domain.ingestion.TransientDependencyException}
 * (the caller redelivers the batch).
 */
public final class ProducerVerification {
    /**
     * Default replay window: 65,536 sequences. A device's edge spool holds at most 50,000 messages and drains them
     * out of order after an outage (newest first or interleaved with live readings), so a sequence up to the spool's
     * size behind the highest accepted one is a legitimate late delivery; the next power of two above that.
     */
    public static final long DEFAULT_REPLAY_WINDOW = 65_536;

    /** What happens to an event about a shipment the device was not assigned to at the event's time. */
    public enum UnassignedPolicy {
        /** Dead-lettered with {@link RejectionReason#UNASSIGNED} (the default). */
        REJECT,
        /** Stored with the envelope flag {@code unassigned: true}. */
        FLAG
    }

    /** No registry: every record is accepted unchecked (tests and local pipelines that do not enforce identity). */
    public static final ProducerVerification NONE = new ProducerVerification();

    private final DeviceRegistry registry;
    private final long replayWindow;
    private final UnassignedPolicy unassignedPolicy;

    private ProducerVerification() {
        this.registry = null;
        this.replayWindow = DEFAULT_REPLAY_WINDOW;
        this.unassignedPolicy = UnassignedPolicy.REJECT;
    }

    /**
     * @param registry         where devices are looked up
     * @param replayWindow     sequences behind the highest accepted one still accepted (at least 1)
     * @param unassignedPolicy reject or flag events about shipments the device was not assigned to
     */
    public ProducerVerification(DeviceRegistry registry, long replayWindow, UnassignedPolicy unassignedPolicy) {
        this.registry = Objects.requireNonNull(registry, "registry");
        if (replayWindow < 1) {
            throw new IllegalArgumentException("replay window must be at least 1, was " + replayWindow);
        }
        this.replayWindow = replayWindow;
        this.unassignedPolicy = Objects.requireNonNull(unassignedPolicy, "unassignedPolicy");
    }

    /** Whether records are checked at all ({@link #NONE} does not). */
    public boolean enforced() {
        return registry != null;
    }

    /** The registry sequences are advanced in, or empty for {@link #NONE}. */
    public Optional<DeviceRegistry> registry() {
        return Optional.ofNullable(registry);
    }

    /**
     * The decision on one record.
     *
     * @param reason    why it is rejected, or null when accepted
     * @param detail    for a rejection, what was found (for the dead letter)
     * @param flagged   accepted, flagged {@code unassigned}
     * @param thing     the producing thing of a valid signature, or null
     * @param signature the valid signature (key id and sequence) of an accepted signed record, or null
     */
    public record Decision(RejectionReason reason, String detail, boolean flagged, String thing,
                           PayloadSignature.Valid signature) {
        static final Decision ACCEPTED = new Decision(null, null, false, null, null);

        static Decision reject(RejectionReason reason, String detail) {
            return new Decision(reason, detail, false, null, null);
        }

        public boolean accepted() {
            return reason == null;
        }
    }

    /**
     * @param records a batch's normalised records, in order
     * @return one decision per record, in the same order
     * @throws io.waybill.domain.ingestion.TransientDependencyException when the registry cannot be read now
     */
    public List<Decision> decide(List<NormalizationResult.Normalized> records) {
        List<Decision> decisions = new ArrayList<>(records.size());
        if (registry == null) {
            records.forEach(r -> decisions.add(Decision.ACCEPTED));
            return decisions;
        }
        Set<String> things = new LinkedHashSet<>();
        for (NormalizationResult.Normalized r : records) {
            if (checked(r)) {
                things.add(r.producer().id());
            }
        }
        if (things.isEmpty()) {
            records.forEach(r -> decisions.add(Decision.ACCEPTED));
            return decisions;
        }
        Map<String, RegisteredDevice> devices = registry.find(things, false);
        Set<String> reread = new LinkedHashSet<>();
        for (NormalizationResult.Normalized r : records) {
            Decision d = checked(r) ? decide(r, devices.get(r.producer().id())) : Decision.ACCEPTED;
            if (checked(r) && mayBeStale(d, r, devices.get(r.producer().id()))) {
                reread.add(r.producer().id());
            }
            decisions.add(d);
        }
        if (reread.isEmpty()) {
            return decisions;
        }
        Map<String, RegisteredDevice> fresh = registry.find(reread, true);
        for (int i = 0; i < records.size(); i++) {
            NormalizationResult.Normalized r = records.get(i);
            if (checked(r) && reread.contains(r.producer().id())) {
                decisions.set(i, decide(r, fresh.get(r.producer().id())));
            }
        }
        return decisions;
    }

    private static boolean checked(NormalizationResult.Normalized r) {
        return r.producer() != null && r.producer().device();
    }

    /** A negative answer a cache may have given: unregistered, unassigned (or flagged), an unknown key. */
    private static boolean mayBeStale(Decision d, NormalizationResult.Normalized r, RegisteredDevice device) {
        if (d.flagged() || d.reason() == RejectionReason.UNREGISTERED_DEVICE || d.reason() == RejectionReason.UNASSIGNED) {
            return true;
        }
        return d.reason() == RejectionReason.BAD_SIGNATURE && unknownKid(r.producer().message().get(PayloadSignature.FIELD), device);
    }

    private static boolean unknownKid(JsonNode sig, RegisteredDevice device) {
        if (sig == null || !sig.isObject() || device == null) {
            return false;
        }
        JsonNode kid = sig.get("kid");
        return kid != null && kid.isTextual() && !device.keys().containsKey(kid.asText());
    }

    private Decision decide(NormalizationResult.Normalized r, RegisteredDevice device) {
        String thing = r.producer().id();
        CanonicalEvent event = r.event();
        if (device == null) {
            return Decision.reject(RejectionReason.UNREGISTERED_DEVICE,
                    "thing '" + thing + "' is not in the device registry");
        }
        if (!device.adapter().equals(event.adapter())) {
            return Decision.reject(RejectionReason.IDENTITY_MISMATCH, "thing '" + thing + "' is registered for adapter '"
                    + device.adapter() + "', the message came through '" + event.adapter() + "'");
        }
        if (device.status() == DeviceStatus.REVOKED) {
            return Decision.reject(RejectionReason.DEVICE_REVOKED, "thing '" + thing + "' is revoked in the device registry");
        }
        PayloadSignature.Valid valid = null;
        JsonNode sig = r.producer().message().get(PayloadSignature.FIELD);
        boolean carriesSignature = sig != null && !sig.isNull();
        if (device.signs() || carriesSignature) {
            PayloadSignature.Verification v = PayloadSignature.verify(r.producer().message(), device.keys());
            if (v instanceof PayloadSignature.Unsigned) {
                return Decision.reject(RejectionReason.UNSIGNED, "thing '" + thing + "' registers "
                        + device.keys().size() + " signing key(s); the message carries no " + PayloadSignature.FIELD);
            }
            if (v instanceof PayloadSignature.Malformed m) {
                return Decision.reject(RejectionReason.BAD_SIGNATURE, "thing '" + thing + "': " + m.detail());
            }
            if (v instanceof PayloadSignature.Forged f) {
                return Decision.reject(RejectionReason.BAD_SIGNATURE, "thing '" + thing + "': the signature by key '"
                        + f.kid() + "' does not verify (forged, or the message was altered after signing)");
            }
            valid = (PayloadSignature.Valid) v;
            Long last = device.lastSequence().get(valid.kid());
            if (last != null && valid.seq() <= last - replayWindow) {
                return Decision.reject(RejectionReason.REPLAYED, "thing '" + thing + "' key '" + valid.kid()
                        + "': sequence " + valid.seq() + " is not above " + (last - replayWindow)
                        + " (highest accepted " + last + " less the replay window " + replayWindow + ")");
            }
        }
        boolean flagged = false;
        if (device.scope() == DeviceScope.SHIPMENT) {
            Optional<String> sscc = ShipmentProjection.shipmentOf(event);
            if (sscc.isPresent() && !device.assignedTo(sscc.get(), event.time())) {
                if (unassignedPolicy == UnassignedPolicy.REJECT) {
                    return Decision.reject(RejectionReason.UNASSIGNED, "thing '" + thing + "' is not assigned to shipment "
                            + sscc.get() + " at " + event.time());
                }
                flagged = true;
            }
        }
        return new Decision(null, null, flagged, valid != null ? thing : null, valid);
    }

    /**
     * The highest valid sequence per thing and key id among the given accepted decisions: what to advance in the
     * registry once their records are stored.
     */
    public static Map<String, Map<String, Long>> highestSequences(List<Decision> stored) {
        Map<String, Map<String, Long>> highest = new HashMap<>();
        for (Decision d : stored) {
            if (d.signature() != null) {
                highest.computeIfAbsent(d.thing(), t -> new HashMap<>())
                        .merge(d.signature().kid(), d.signature().seq(), Math::max);
            }
        }
        return highest;
    }
}
