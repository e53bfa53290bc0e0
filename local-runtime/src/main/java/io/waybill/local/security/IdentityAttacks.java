package io.waybill.local.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.PayloadSignature;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.local.iot.DeviceCertificate;
import io.waybill.local.iot.LocalDeviceAuthority;
import io.waybill.local.iot.LocalIotRule;
import io.waybill.local.iot.LocalMqttBroker;
import io.waybill.local.iot.LocalMqttClient;
import io.waybill.local.iot.LocalRuleRunner;
import io.waybill.local.iot.RuleRunnerStats;
import io.waybill.local.pipeline.LocalPipeline;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every way a device could try to write where it does not belong, tried once each against the local stack exactly as
 * a device would: over mutual TLS to the local broker (the device policy of AWS IoT Core, {@code DevicePolicyExtension}),
 * through the IoT rule CDK deploys ({@link LocalIotRule}), into ingest with the device registry enforced. Each
 * attack's outcome is <em>observed</em> (the broker's refusal, the rule runner's count of messages it dropped, the
 * dead-letter queue's reason for that message, the event store's items), never taken from what the attack meant to
 * do. Two legitimate messages of the same devices go through the same path, so a stack that refused everything would
 * show them missing.
 *
 * <p>Used by the security suite (which checks the outcomes against its own table of expected defences) and by
 * {@code ./waybill demo} ("N tried, 0 accepted").
 */
public final class IdentityAttacks {
    /** The shipment the reefer is assigned to. */
    public static final String ASSIGNED_SSCC = "106141410000000729";
    /** A shipment nobody assigned it to. */
    public static final String OTHER_SSCC = "106141410000000736";
    static final String REEFER = "reefer-sec-01";
    static final String OTHER_REEFER = "reefer-sec-02";
    static final String REVOKED_REEFER = "reefer-sec-03";
    static final String TRACKER = "IMEI-356938035641111";
    /** The sequence of the legitimate message sent after the replayed one was captured: beyond the window. */
    static final long LATER_SEQUENCE = 100_000;
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What happened to one message.
     *
     * @param name     the attack (or the legitimate control message)
     * @param attack   false for a legitimate control message
     * @param defence  where it was stopped: {@code broker}, {@code rule}, {@code dead letter <REASON>}, or
     *                 {@code stored} when nothing stopped it
     */
    public record Outcome(String name, boolean attack, String defence) {
        public boolean accepted() {
            return "stored".equals(defence);
        }
    }

    /** @param outcomes in the order tried */
    public record Report(List<Outcome> outcomes) {
        public long attacksTried() {
            return outcomes.stream().filter(Outcome::attack).count();
        }

        public long attacksAccepted() {
            return outcomes.stream().filter(o -> o.attack() && o.accepted()).count();
        }

        public long controlsStored() {
            return outcomes.stream().filter(o -> !o.attack() && o.accepted()).count();
        }

        public long controls() {
            return outcomes.stream().filter(o -> !o.attack()).count();
        }
    }

    private final LocalPipeline pipeline;
    private final DynamoDbDeviceRegistry registry;
    private final Path workDir;

    /**
     * @param pipeline a deployed pipeline whose ingest enforces the device registry
     * @param registry the same registry, for registering the devices
     * @param workDir  where the device authority's CA and certificates and the broker's files go
     */
    public IdentityAttacks(LocalPipeline pipeline, DynamoDbDeviceRegistry registry, Path workDir) {
        this.pipeline = pipeline;
        this.registry = registry;
        this.workDir = workDir;
    }

    /**
     * @param payload  what was published, without the routing fields the rule adds
     * @param eventKey the key it is stored under if it is accepted
     */
    private record Sent(String name, boolean attack, ObjectNode payload, String eventKey) {
    }

    public Report run() throws InterruptedException {
        java.util.Set<String> before = storedKeys();
        LocalDeviceAuthority authority = LocalDeviceAuthority.openOrCreate(workDir.resolve("iot"));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        KeyPair reeferKey = DeviceKeys.generate();
        KeyPair otherKey = DeviceKeys.generate();
        KeyPair revokedKey = DeviceKeys.generate();
        register(REEFER, "waybill-edge", reeferKey, now);
        register(OTHER_REEFER, "waybill-edge", otherKey, now);
        register(REVOKED_REEFER, "waybill-edge", revokedKey, now);
        registry.register(new RegisteredDevice(TRACKER, "gps-tracker", DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                Map.of(), List.of(new ShipmentAssignment(ASSIGNED_SSCC, now.minus(Duration.ofDays(1)), null)),
                Map.of(), now), true);
        String reeferKid = DeviceKeys.keyId((ECPublicKey) reeferKey.getPublic());

        List<Sent> sent = new ArrayList<>();
        Map<String, String> refusedAt = new LinkedHashMap<>();
        try (LocalMqttBroker broker = LocalMqttBroker.startWithMutualTls(workDir.resolve("broker"), authority);
             LocalRuleRunner rule = LocalRuleRunner.builder(LocalIotRule.telemetryToKinesis()).broker(broker)
                     .kinesis(pipeline.clients().kinesis(), pipeline.names().stream())
                     .flushInterval(Duration.ofMillis(50)).start()) {
            DeviceCertificate reeferCert = authority.deviceCertificate(REEFER, "waybill-edge");
            DeviceCertificate trackerCert = authority.deviceCertificate(TRACKER, "gps-tracker");
            DeviceCertificate revokedCert = authority.deviceCertificate(REVOKED_REEFER, "waybill-edge");
            String reeferTopic = topic("waybill-edge", REEFER);

            // The legitimate message whose bytes an attacker captures, sent by the device itself.
            byte[] captured = PayloadSignature.sign(summary(REEFER, 1, now, ASSIGNED_SSCC), reeferKey.getPrivate(),
                    reeferKid, 1);
            try (LocalMqttClient reefer = device(broker, authority, REEFER, reeferCert)) {
                publish(reefer, reeferTopic, captured, "legitimate signed message", false, REEFER, 1, sent, refusedAt);
                publish(reefer, reeferTopic, PayloadSignature.sign(summary(REEFER, LATER_SEQUENCE, now.plusSeconds(60),
                                ASSIGNED_SSCC), reeferKey.getPrivate(), reeferKid, LATER_SEQUENCE),
                        "legitimate message much later in the sequence", false, REEFER, LATER_SEQUENCE, sent, refusedAt);
                awaitStored(sent.stream().map(Sent::eventKey).toList());

                // 1. Routing fields in the payload: the route must come from the topic alone.
                ObjectNode spoofed = (ObjectNode) read(PayloadSignature.sign(summary(REEFER, 100_001, now.plusSeconds(120),
                        ASSIGNED_SSCC), reeferKey.getPrivate(), reeferKid, 100_001));
                spoofed.put("wb_route", "swiftlog/SWIFTLOG");
                publish(reefer, reeferTopic, bytes(spoofed), "spoofed routing fields", true, REEFER, 100_001, sent,
                        refusedAt);
                // 2. Another device's id in the payload, signed with the publisher's own key.
                publish(reefer, reeferTopic, PayloadSignature.sign(summary(OTHER_REEFER, 100_002, now.plusSeconds(180),
                                ASSIGNED_SSCC), reeferKey.getPrivate(), reeferKid, 100_002),
                        "another device's id in the payload", true, REEFER, 100_002, sent, refusedAt);
                // 3. A shipment the device is not assigned to.
                publish(reefer, reeferTopic, PayloadSignature.sign(summary(REEFER, 100_003, now.plusSeconds(240),
                                OTHER_SSCC), reeferKey.getPrivate(), reeferKid, 100_003),
                        "a shipment not assigned to the device", true, REEFER, 100_003, sent, refusedAt);
                // 4. Unsigned, from a device registered as signing.
                publish(reefer, reeferTopic, summary(REEFER, 100_004, now.plusSeconds(300), ASSIGNED_SSCC),
                        "unsigned message", true, REEFER, 100_004, sent, refusedAt);
                // 5. Forged: signed with another key under the device's key id.
                publish(reefer, reeferTopic, PayloadSignature.sign(summary(REEFER, 100_005, now.plusSeconds(360),
                                ASSIGNED_SSCC), DeviceKeys.generate().getPrivate(), reeferKid, 100_005),
                        "forged signature", true, REEFER, 100_005, sent, refusedAt);
                // 6. Replay: the captured message, now far older than the reordering window.
                publish(reefer, reeferTopic, captured, "replayed sequence", true, REEFER, 1, sent, refusedAt);
            }
            // 7. A GPS tracker publishing as the edge gateway (another adapter's topic).
            try (LocalMqttClient tracker = device(broker, authority, TRACKER, trackerCert)) {
                publish(tracker, topic("waybill-edge", TRACKER), summary(TRACKER, 7, now, ASSIGNED_SSCC),
                        "publish on another adapter's topic", true, TRACKER, 7, sent, refusedAt);
            }
            // 8. A revoked certificate.
            authority.revoke(REVOKED_REEFER);
            registry.revoke(REVOKED_REEFER, Instant.now());
            String revokedKid = DeviceKeys.keyId((ECPublicKey) revokedKey.getPublic());
            byte[] fromRevoked = PayloadSignature.sign(summary(REVOKED_REEFER, 8, now, ASSIGNED_SSCC),
                    revokedKey.getPrivate(), revokedKid, 8);
            try (LocalMqttClient revoked = device(broker, authority, REVOKED_REEFER, revokedCert)) {
                publish(revoked, topic("waybill-edge", REVOKED_REEFER), fromRevoked, "revoked certificate", true,
                        REVOKED_REEFER, 8, sent, refusedAt);
            } catch (RuntimeException e) { // the broker refused the connection itself
                sent.add(new Sent("revoked certificate", true, read(fromRevoked),
                        "urn:waybill:waybill-edge:" + REVOKED_REEFER + "#seq-8"));
                refusedAt.put("revoked certificate", "broker (connection refused)");
            }
            long delivered = sent.stream().filter(s -> !refusedAt.containsKey(s.name())).count();
            if (!rule.awaitProcessed(delivered, WAIT)) {
                throw new IllegalStateException("the rule runner did not process the " + delivered + " delivered messages");
            }
            RuleRunnerStats stats = rule.stats();
            pipeline.awaitIdle(WAIT);
            return observe(sent, refusedAt, stats, before);
        }
    }

    private Report observe(List<Sent> sent, Map<String, String> refusedAt, RuleRunnerStats stats,
                           java.util.Set<String> before) {
        List<Map.Entry<ObjectNode, String>> letters = new ArrayList<>(); // dead-lettered payload, its reason
        for (Message m : pipeline.drainDeadLetters(false)) {
            String reason = m.messageAttributes().containsKey("reason")
                    ? m.messageAttributes().get("reason").stringValue() : "?";
            deadLetterPayload(m).ifPresent(p -> letters.add(Map.entry(p, reason)));
        }
        java.util.Set<String> storedKeys = storedKeys();
        storedKeys.removeAll(before);
        long filtered = stats.filteredOut();
        List<Outcome> outcomes = new ArrayList<>();
        int storedControls = 0;
        for (Sent s : sent) {
            String defence = refusedAt.get(s.name());
            if (defence == null && s.attack()) {
                defence = letters.stream().filter(l -> l.getKey().equals(s.payload())).map(l -> "dead letter " + l.getValue())
                        .findFirst().orElse(null);
            }
            if (defence == null && storedKeys.contains(s.eventKey())) {
                // An attack's message id that is stored without being any control's: it got in.
                boolean aControlsKey = sent.stream().anyMatch(c -> !c.attack() && c.eventKey().equals(s.eventKey()));
                if (!s.attack() || !aControlsKey) {
                    defence = "stored";
                    storedControls += s.attack() ? 0 : 1;
                }
            }
            if (defence == null && s.attack() && filtered > 0) {
                defence = "rule"; // delivered to the rule, never on the stream, no dead letter: its WHERE dropped it
                filtered--;
            }
            outcomes.add(new Outcome(s.name(), s.attack(), defence == null ? "neither stored nor dead-lettered" : defence));
        }
        // Anything else stored came from an attack whose payload was rewritten on the way: count it as accepted.
        int unexplained = storedKeys.size() - storedControls;
        for (int i = 0; i < unexplained; i++) {
            outcomes.add(new Outcome("unexplained stored event", true, "stored"));
        }
        return new Report(outcomes);
    }

    private static Optional<ObjectNode> deadLetterPayload(Message m) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(m.body());
            String b64 = body.path("payloadBase64").asText(null);
            if (b64 == null) {
                return Optional.empty();
            }
            ObjectNode payload = (ObjectNode) JSON.readTree(Base64.getDecoder().decode(b64));
            payload.remove(List.of("wb_route", "wb_received_ms"));
            return Optional.of(payload);
        } catch (IOException | ClassCastException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private java.util.Set<String> storedKeys() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Map<String, AttributeValue> item : pipeline.storedEvents()) {
            Optional.ofNullable(item.get("eventKey")).ifPresent(k -> keys.add(k.s()));
        }
        return keys;
    }

    private void awaitStored(List<String> keys) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && !storedKeys().containsAll(keys)) {
            Thread.sleep(100);
        }
    }

    private void register(String thing, String adapter, KeyPair key, Instant now) {
        ECPublicKey pub = (ECPublicKey) key.getPublic();
        registry.register(new RegisteredDevice(thing, adapter, DeviceStatus.ACTIVE, DeviceScope.SHIPMENT,
                Map.of(DeviceKeys.keyId(pub), pub),
                List.of(new ShipmentAssignment(ASSIGNED_SSCC, now.minus(Duration.ofDays(1)), null)), Map.of(), now),
                true);
    }

    private static LocalMqttClient device(LocalMqttBroker broker, LocalDeviceAuthority authority, String thing,
                                          DeviceCertificate cert) {
        return LocalMqttClient.connectMutualTls("127.0.0.1", broker.mutualTlsPort(), thing, cert,
                authority.certificateAuthorityPem(), null, WAIT);
    }

    private static void publish(LocalMqttClient client, String topic, byte[] payload, String name, boolean attack,
                                String thing, long sequence, List<Sent> sent, Map<String, String> refusedAt) {
        ObjectNode p = read(payload);
        p.remove(List.of("wb_route", "wb_received_ms"));
        sent.add(new Sent(name, attack, p, "urn:waybill:waybill-edge:" + thing + "#seq-" + sequence));
        try {
            client.publishAndWait(topic, payload, WAIT);
        } catch (IllegalStateException e) {
            refusedAt.put(name, "broker");
        }
    }

    private static String topic(String adapter, String thing) {
        return "dt/waybill/" + LocalIotRule.LOCAL_STAGE + "/" + adapter + "/" + thing;
    }

    /** An edge component's window summary (the {@code waybill-edge} contract, events-samples/raw/waybill-edge). */
    static byte[] summary(String deviceId, long sequence, Instant at, String sscc) {
        ObjectNode m = JSON.createObjectNode();
        m.put("deviceId", deviceId).put("sequence", sequence).put("deviceTime", at.toString()).put("kind", "SUMMARY");
        m.putObject("payload").put("shipmentSscc", sscc).put("deviceId", deviceId + "-ra")
                .put("windowStart", at.minusSeconds(60).toString()).put("windowEnd", at.toString())
                .put("minCelsius", 4.5).put("maxCelsius", 5.5).put("meanCelsius", 5.0).put("readingCount", 12);
        m.put("severity", 0);
        m.putObject("bandTime").put("secondsAboveBand", 0).put("secondsBelowBand", 0);
        return bytes(m);
    }

    private static byte[] bytes(ObjectNode n) {
        try {
            return JSON.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode read(byte[] b) {
        try {
            return (ObjectNode) JSON.readTree(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
