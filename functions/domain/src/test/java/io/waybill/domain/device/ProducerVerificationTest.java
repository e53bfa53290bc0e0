package io.waybill.domain.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.device.ProducerVerification.Decision;
import io.waybill.domain.device.ProducerVerification.UnassignedPolicy;
import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RawRecord;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.domain.normalize.RejectionReason;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hand-worked cases for each check, their order, and the window edges. The device is the ColdChainCo logger of the
 * sample {@code raw/coldchainco/reading.json}: thing CC-0009, shipment 006141410000004515, reading at epoch ms
 * 1795766400123 = 2026-11-27T08:00:00.123Z (worked out with {@code date -u -d @1795766400.123}).
 */
class ProducerVerificationTest {
    private static final String THING = "CC-0009";
    private static final String SSCC = "006141410000004515";
    private static final String OTHER_SSCC = "106141412345678908";
    private static final Instant AT = Instant.parse("2026-11-27T08:00:00.123Z");
    private static final Instant REGISTERED = Instant.parse("2026-11-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair key = DeviceKeys.generate();
    private final String kid = DeviceKeys.keyId((ECPublicKey) key.getPublic());
    private final MapRegistry registry = new MapRegistry();
    private final ProducerVerification reject = new ProducerVerification(registry, 65_536, UnassignedPolicy.REJECT);

    /** The device registry port as a map: what a cached read sees, and what the table holds (a fresh read). */
    static final class MapRegistry implements DeviceRegistry {
        final Map<String, RegisteredDevice> cached = new HashMap<>();
        final Map<String, RegisteredDevice> table = new HashMap<>();
        final List<String> reads = new ArrayList<>();

        void put(RegisteredDevice d) {
            cached.put(d.thing(), d);
            table.put(d.thing(), d);
        }

        @Override
        public Map<String, RegisteredDevice> find(Set<String> things, boolean fresh) {
            reads.add((fresh ? "fresh " : "cached ") + new java.util.TreeSet<>(things));
            Map<String, RegisteredDevice> source = fresh ? table : cached;
            Map<String, RegisteredDevice> found = new HashMap<>();
            things.stream().filter(source::containsKey).forEach(t -> found.put(t, source.get(t)));
            return found;
        }

        @Override
        public void advanceSequences(Map<String, Map<String, Long>> highest) {
            throw new AssertionError("verification never advances sequences");
        }
    }

    private RegisteredDevice device(String adapter, DeviceStatus status, DeviceScope scope, boolean signs,
                                    List<ShipmentAssignment> assignments, Map<String, Long> lastSequence) {
        return new RegisteredDevice(THING, adapter, status, scope, signs ? Map.of(kid, (ECPublicKey) key.getPublic()) : Map.of(),
                assignments, lastSequence, REGISTERED);
    }

    private RegisteredDevice signingAssigned() {
        return device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT, true,
                List.of(new ShipmentAssignment(SSCC, AT.minusSeconds(3600), null)), Map.of());
    }

    private NormalizationResult.Normalized normalise(byte[] payload) {
        NormalizationResult r = RecordNormalizer.standard().normalize(RawRecord.of(payload, "test"));
        assertThat(r).as("%s", r).isInstanceOf(NormalizationResult.Normalized.class);
        return (NormalizationResult.Normalized) r;
    }

    /** The sample reading signed with the test key, routing fields put back as the IoT rule adds them. */
    private NormalizationResult.Normalized signed(long seq) {
        ObjectNode sample = (ObjectNode) SampleCatalog.json("raw/coldchainco/reading.json").deepCopy();
        ObjectNode routing = JSON.createObjectNode();
        for (String f : RecordNormalizer.ROUTING_FIELDS) {
            routing.set(f, sample.remove(f));
        }
        try {
            ObjectNode payload = (ObjectNode) JSON.readTree(PayloadSignature.sign(JSON.writeValueAsBytes(sample),
                    key.getPrivate(), kid, seq));
            payload.setAll(routing);
            return normalise(JSON.writeValueAsBytes(payload));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private NormalizationResult.Normalized unsigned() {
        return normalise(SampleCatalog.bytes("raw/coldchainco/reading.json"));
    }

    private Decision one(ProducerVerification v, NormalizationResult.Normalized r) {
        List<Decision> d = v.decide(List.of(r));
        assertThat(d).hasSize(1);
        return d.get(0);
    }

    @Test
    void theSampleEventHappensAtTheHandWorkedInstant() {
        assertThat(unsigned().event().time()).isEqualTo(AT);
    }

    @Test
    void validSignedAssignedRecordIsAcceptedWithItsSignature() {
        registry.put(signingAssigned());
        Decision d = one(reject, signed(7));
        assertThat(d.accepted()).isTrue();
        assertThat(d.flagged()).isFalse();
        assertThat(d.thing()).isEqualTo(THING);
        assertThat(d.signature()).isEqualTo(new PayloadSignature.Valid(kid, 7));
        assertThat(registry.reads).containsExactly("cached [CC-0009]");
    }

    @Test
    void unregisteredThingIsRejectedAfterOneFreshReread() {
        Decision d = one(reject, signed(1));
        assertThat(d.reason()).isEqualTo(RejectionReason.UNREGISTERED_DEVICE);
        assertThat(d.detail()).contains(THING);
        assertThat(registry.reads).containsExactly("cached [CC-0009]", "fresh [CC-0009]");
    }

    @Test
    void freshRereadAcceptsADeviceRegisteredAfterTheCacheWasFilled() {
        registry.table.put(THING, signingAssigned()); // the table knows it, the cache does not yet
        Decision d = one(reject, signed(1));
        assertThat(d.accepted()).isTrue();
        assertThat(registry.reads).containsExactly("cached [CC-0009]", "fresh [CC-0009]");
    }

    @Test
    void freshRereadAcceptsANewAssignmentAndANewKey() {
        registry.cached.put(THING, device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT, false, List.of(), Map.of()));
        registry.table.put(THING, signingAssigned());
        assertThat(one(reject, signed(1)).accepted()).isTrue();
        assertThat(registry.reads).containsExactly("cached [CC-0009]", "fresh [CC-0009]");
    }

    @Test
    void deviceRegisteredForAnotherAdapterIsAnIdentityMismatchBeforeRevocationOrSignature() {
        registry.put(device("gps-tracker", DeviceStatus.REVOKED, DeviceScope.SHIPMENT, true, List.of(), Map.of()));
        Decision d = one(reject, unsigned());
        assertThat(d.reason()).isEqualTo(RejectionReason.IDENTITY_MISMATCH);
        assertThat(d.detail()).contains("gps-tracker").contains("coldchainco");
    }

    @Test
    void revokedDeviceIsRejectedBeforeItsSignatureIsLookedAt() {
        registry.put(device("coldchainco", DeviceStatus.REVOKED, DeviceScope.SHIPMENT, true, List.of(), Map.of()));
        assertThat(one(reject, unsigned()).reason()).isEqualTo(RejectionReason.DEVICE_REVOKED);
        assertThat(one(reject, signed(3)).reason()).isEqualTo(RejectionReason.DEVICE_REVOKED);
    }

    @Test
    void signingDeviceWithoutSignatureIsUnsignedBeforeItsAssignmentIsLookedAt() {
        registry.put(device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT, true, List.of(), Map.of()));
        assertThat(one(reject, unsigned()).reason()).isEqualTo(RejectionReason.UNSIGNED);
    }

    @Test
    void deviceWithoutKeysMayOmitTheSignature() {
        registry.put(device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT, false,
                List.of(new ShipmentAssignment(SSCC, AT, null)), Map.of()));
        Decision d = one(reject, unsigned());
        assertThat(d.accepted()).isTrue();
        assertThat(d.signature()).isNull();
    }

    @Test
    void signatureByAnotherKeyUnderTheDevicesKeyIdIsBadAndNotReread() {
        KeyPair other = DeviceKeys.generate();
        registry.put(new RegisteredDevice(THING, "coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                Map.of(kid, (ECPublicKey) other.getPublic()), List.of(new ShipmentAssignment(SSCC, AT, null)), Map.of(),
                REGISTERED));
        Decision d = one(reject, signed(1));
        assertThat(d.reason()).isEqualTo(RejectionReason.BAD_SIGNATURE);
        assertThat(registry.reads).as("a forged signature is not a stale cache").containsExactly("cached [CC-0009]");
    }

    @Test
    void alteredSignedMessageIsBadSignature() {
        registry.put(signingAssigned());
        NormalizationResult.Normalized r = signed(1);
        ((ObjectNode) r.producer().message().get("reading")).put("celsius", 9.2);
        assertThat(one(reject, r).reason()).isEqualTo(RejectionReason.BAD_SIGNATURE);
    }

    @Test
    void unknownKeyIdIsRereadFreshThenBadSignature() {
        KeyPair other = DeviceKeys.generate();
        registry.put(new RegisteredDevice(THING, "coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                Map.of(DeviceKeys.keyId((ECPublicKey) other.getPublic()), (ECPublicKey) other.getPublic()),
                List.of(new ShipmentAssignment(SSCC, AT, null)), Map.of(), REGISTERED));
        Decision d = one(reject, signed(1));
        assertThat(d.reason()).isEqualTo(RejectionReason.BAD_SIGNATURE);
        assertThat(d.detail()).contains("not a key of this device");
        assertThat(registry.reads).containsExactly("cached [CC-0009]", "fresh [CC-0009]");
    }

    @Test
    void replayWindowEdges() {
        // last accepted 100,000, window 65,536: 100,000 - 65,536 = 34,464 is the newest refused sequence.
        registry.put(new RegisteredDevice(THING, "coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                Map.of(kid, (ECPublicKey) key.getPublic()), List.of(new ShipmentAssignment(SSCC, AT, null)),
                Map.of(kid, 100_000L), REGISTERED));
        Decision refused = one(reject, signed(34_464));
        assertThat(refused.reason()).isEqualTo(RejectionReason.REPLAYED);
        assertThat(refused.detail()).contains("34464").contains("100000");
        assertThat(one(reject, signed(0)).reason()).isEqualTo(RejectionReason.REPLAYED);
        assertThat(one(reject, signed(34_465)).accepted()).isTrue();
        assertThat(one(reject, signed(100_000)).accepted()).as("a resend of the last one: the ledger absorbs it").isTrue();
        assertThat(one(reject, signed(100_001)).accepted()).isTrue();
    }

    @Test
    void smallWindowEdges() {
        ProducerVerification window3 = new ProducerVerification(registry, 3, UnassignedPolicy.REJECT);
        registry.put(new RegisteredDevice(THING, "coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                Map.of(kid, (ECPublicKey) key.getPublic()), List.of(new ShipmentAssignment(SSCC, AT, null)),
                Map.of(kid, 10L), REGISTERED));
        assertThat(one(window3, signed(7)).reason()).isEqualTo(RejectionReason.REPLAYED);
        assertThat(one(window3, signed(8)).accepted()).isTrue();
    }

    @Test
    void replayedIsDecidedBeforeUnassigned() {
        registry.put(new RegisteredDevice(THING, "coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                Map.of(kid, (ECPublicKey) key.getPublic()), List.of(), Map.of(kid, 100_000L), REGISTERED));
        assertThat(one(reject, signed(1)).reason()).isEqualTo(RejectionReason.REPLAYED);
    }

    @Test
    void assignmentWindowIsFromInclusiveUntilExclusive() {
        registry.put(device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT, false,
                List.of(new ShipmentAssignment(SSCC, AT, null)), Map.of()));
        assertThat(one(reject, unsigned()).accepted()).as("from == event time").isTrue();

        registry.put(device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT, false,
                List.of(new ShipmentAssignment(SSCC, AT.plusMillis(1), null)), Map.of()));
        assertThat(one(reject, unsigned()).reason()).as("from 1 ms after").isEqualTo(RejectionReason.UNASSIGNED);

        registry.put(device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT, false,
                List.of(new ShipmentAssignment(SSCC, AT.minusSeconds(60), AT)), Map.of()));
        Decision ended = one(reject, unsigned());
        assertThat(ended.reason()).as("until == event time").isEqualTo(RejectionReason.UNASSIGNED);
        assertThat(ended.detail()).contains(SSCC).contains(AT.toString());

        registry.put(device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT, false,
                List.of(new ShipmentAssignment(SSCC, AT.minusSeconds(60), AT.plusMillis(1))), Map.of()));
        assertThat(one(reject, unsigned()).accepted()).as("until 1 ms after").isTrue();

        registry.put(device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT, false,
                List.of(new ShipmentAssignment(OTHER_SSCC, AT.minusSeconds(60), null)), Map.of()));
        assertThat(one(reject, unsigned()).reason()).as("another shipment").isEqualTo(RejectionReason.UNASSIGNED);
    }

    @Test
    void flagPolicyAcceptsAnUnassignedEventFlagged() {
        ProducerVerification flag = new ProducerVerification(registry, 65_536, UnassignedPolicy.FLAG);
        registry.put(device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT, true, List.of(), Map.of()));
        Decision d = one(flag, signed(5));
        assertThat(d.accepted()).isTrue();
        assertThat(d.flagged()).isTrue();
        assertThat(d.signature()).isEqualTo(new PayloadSignature.Valid(kid, 5));
        assertThat(registry.reads).as("a flag may be a stale cache too").containsExactly("cached [CC-0009]", "fresh [CC-0009]");
        // Flag only what is unassigned: the other checks still reject.
        assertThat(one(flag, unsigned()).reason()).isEqualTo(RejectionReason.UNSIGNED);
    }

    @Test
    void siteDeviceNeedsNoAssignment() {
        registry.put(device("coldchainco", DeviceStatus.ACTIVE, DeviceScope.SITE, false, List.of(), Map.of()));
        assertThat(one(reject, unsigned()).accepted()).isTrue();
    }

    @Test
    void eventAboutNoShipmentIsNotCheckedForAssignment() {
        registry.put(new RegisteredDevice("dc-hamburg-01", "waybill-edge", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                Map.of(), List.of(), Map.of(), REGISTERED));
        NormalizationResult.Normalized jam = normalise(SampleCatalog.bytes("raw/waybill-edge/conveyor-jam-detected.json"));
        Decision d = one(reject, jam);
        assertThat(d.accepted()).isTrue();
        assertThat(d.flagged()).isFalse();
    }

    @Test
    void partnerRecordsAreNotChecked() {
        NormalizationResult.Normalized partner = normalise(SampleCatalog.bytes("raw/swiftlog/departed.json"));
        Decision d = one(reject, partner);
        assertThat(d.accepted()).isTrue();
        assertThat(registry.reads).as("nothing to look up").isEmpty();
    }

    @Test
    void oneCachedReadPerBatchInRecordOrder() {
        registry.put(signingAssigned());
        registry.put(new RegisteredDevice("IMEI-356938035643809", "gps-tracker", DeviceStatus.ACTIVE, DeviceScope.SITE,
                Map.of(), List.of(), Map.of(), REGISTERED));
        List<Decision> d = reject.decide(List.of(signed(1),
                normalise(SampleCatalog.bytes("raw/gps-tracker/ping.json")),
                normalise(SampleCatalog.bytes("raw/swiftlog/departed.json")), unsigned(), signed(2)));
        assertThat(d).extracting(Decision::reason).containsExactly(null, null, null, RejectionReason.UNSIGNED, null);
        assertThat(registry.reads).containsExactly("cached [CC-0009, IMEI-356938035643809]");
    }

    @Test
    void noRegistryAcceptsEverythingUnread() {
        assertThat(ProducerVerification.NONE.enforced()).isFalse();
        assertThat(ProducerVerification.NONE.decide(List.of(unsigned()))).extracting(Decision::accepted).containsExactly(true);
    }
}
