package io.waybill.edge.component;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.PayloadSignature;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.event.TemperatureBreached;
import io.waybill.domain.event.TemperatureBreached.Limit;
import io.waybill.edge.model.EdgeMessage;
import io.waybill.edge.model.EdgeMessageJson;
import io.waybill.edge.model.ExcursionInfo;
import io.waybill.edge.testing.Expected;
import io.waybill.edge.testing.LogCapture;
import io.waybill.edge.testing.ManualSource;
import io.waybill.edge.testing.RecordingUplink;
import io.waybill.edge.trace.TraceSample;
import io.waybill.edge.uplink.Uplink;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The component signs each message as it spools it, with the message's own sequence, across restarts. */
class SignedMessagesTest {
    private static final String THING = "reefer-sig-1";

    @TempDir
    Path tmp;

    @Test
    void signingKeyDerivesThePublicKeyOpensslDerives() throws Exception {
        Path key = tmp.resolve("device-signing.key");
        Assumptions.assumeTrue(run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-out", key.toString()) == 0, "openssl CLI available");
        Path der = tmp.resolve("pub.der");
        assertThat(run("openssl", "pkey", "-in", key.toString(), "-pubout", "-outform", "DER", "-out",
                der.toString())).isZero();

        SigningKey loaded = SigningKey.load(key);

        assertThat(loaded.publicKey().getEncoded()).isEqualTo(Files.readAllBytes(der));
    }

    @Test
    void signedBytesAreTheHandWrittenCanonicalMessageAndVerifyWithThePublicKey() throws Exception {
        KeyPair pair = DeviceKeys.generate();
        SigningKey key = SigningKey.of(pair.getPrivate());
        Instant t = Instant.parse("2026-03-03T09:06:00Z");
        EdgeMessage alert = new EdgeMessage("reefer-07", 4, t, EdgeMessage.Kind.ALERT,
                new TemperatureBreached(Expected.SSCC, "reefer-07-ra", 10.9, 8.0, Limit.UPPER, 300L), 27, null,
                new ExcursionInfo(1, ExcursionInfo.Phase.STARTED, t.minusSeconds(300), null, 13.0));

        byte[] signed = key.sign(EdgeMessageJson.toBytes(alert, Instant.parse("2026-03-03T09:06:01.250Z")), 4);

        String sig = CanonicalEventJson.MAPPER.readTree(signed).get("wb_sig").get("sig").asText();
        // RFC 8785 by hand: keys sorted by UTF-16 code units at every level, no whitespace, 8.0 -> 8, 13.0 -> 13
        String withoutSig = "{\"deviceId\":\"reefer-07\",\"deviceTime\":\"2026-03-03T09:06:00Z\","
                + "\"edgeTime\":\"2026-03-03T09:06:01.250Z\","
                + "\"excursion\":{\"degreeMinutes\":13,\"number\":1,\"phase\":\"STARTED\",\"start\":\"2026-03-03T09:01:00Z\"},"
                + "\"kind\":\"ALERT\",\"payload\":{\"deviceId\":\"reefer-07-ra\",\"durationSeconds\":300,"
                + "\"limit\":\"UPPER\",\"limitCelsius\":8,\"observedCelsius\":10.9,\"shipmentSscc\":\"" + Expected.SSCC
                + "\"},\"sequence\":4,\"severity\":27,"
                + "\"wb_sig\":{\"alg\":\"ES256\",\"kid\":\"" + key.kid() + "\",\"seq\":4}}";
        String expected = withoutSig.substring(0, withoutSig.length() - 2) + ",\"sig\":\"" + sig + "\"}}";
        assertThat(new String(signed, StandardCharsets.UTF_8)).isEqualTo(expected);
        // the JDK verifies the r||s signature over the hand-written bytes with the generated public key
        Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
        v.initVerify(pair.getPublic());
        v.update(withoutSig.getBytes(StandardCharsets.UTF_8));
        assertThat(v.verify(Base64.getUrlDecoder().decode(sig))).isTrue();
        assertThat(key.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
    }

    @Test
    void everyPublishedMessageVerifiesWithItsOwnSequenceAndARestartContinuesHigher() throws Exception {
        KeyPair pair = DeviceKeys.generate();
        Path keyFile = tmp.resolve("keys/" + THING + ".pem");
        Files.createDirectories(keyFile.getParent());
        Files.writeString(keyFile, DeviceKeys.encodePrivatePem(pair.getPrivate()));
        ECPublicKey pub = (ECPublicKey) pair.getPublic();
        Map<String, ECPublicKey> keys = Map.of(DeviceKeys.keyId(pub), pub);
        EdgeComponentConfig config = EdgeComponentConfig.builder(THING, Expected.SSCC)
                .summaryHeartbeat(Duration.ofMinutes(30)).signingKeyPath(keyFile).build();
        List<TraceSample> trace = Expected.oneExcursion(THING + "-ra", 5.0, 10.0);

        List<byte[]> first = runLifetime(config, trace.subList(0, 150));
        List<byte[]> second = runLifetime(config, trace.subList(150, trace.size()));

        long lastOfFirst = -1;
        for (List<byte[]> lifetime : List.of(first, second)) {
            assertThat(lifetime).isNotEmpty();
            long highest = -1;
            for (byte[] payload : lifetime) {
                ObjectNode root = (ObjectNode) CanonicalEventJson.MAPPER.readTree(payload);
                long sequence = root.get("sequence").asLong();
                assertThat(PayloadSignature.verify(root, keys))
                        .isEqualTo(new PayloadSignature.Valid(DeviceKeys.keyId(pub), sequence));
                // a restart continues higher than anything of the lifetime before (an alert may overtake a summary
                // within a lifetime, so the order inside one is not checked here)
                assertThat(sequence).isGreaterThan(lastOfFirst);
                highest = Math.max(highest, sequence);
            }
            lastOfFirst = highest;
        }
        assertThat(EdgeMessageJson.fromBytes(first.get(0)).deviceId()).isEqualTo(THING);
    }

    @Test
    void aResendAfterALostPubackCarriesIdenticalBytes() throws Exception {
        Path keyFile = tmp.resolve("k.pem");
        Files.writeString(keyFile, DeviceKeys.encodePrivatePem(DeviceKeys.generate().getPrivate()));
        EdgeComponentConfig config = EdgeComponentConfig.builder(THING, Expected.SSCC)
                .summaryHeartbeat(Duration.ofMinutes(30)).signingKeyPath(keyFile)
                .retryMinBackoff(Duration.ofMillis(10)).retryMaxBackoff(Duration.ofMillis(20)).build();
        LosingFirstPuback uplink = new LosingFirstPuback();
        ManualSource source = new ManualSource();
        ReeferEdgeComponent component = new ReeferEdgeComponent(config, tmp.resolve("spool"), source, uplink);
        component.start();
        source.feed(Expected.oneExcursion(THING + "-ra", 5.0, 10.0));
        component.close();

        assertThat(uplink.attempts.size()).isGreaterThanOrEqualTo(2);
        // the resend of the first message (an alert spooled meanwhile may go before it)
        long firstSeq = CanonicalEventJson.MAPPER.readTree(uplink.attempts.get(0)).get("sequence").asLong();
        byte[] resend = uplink.attempts.stream().skip(1).filter(a -> {
            try {
                return CanonicalEventJson.MAPPER.readTree(a).get("sequence").asLong() == firstSeq;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).findFirst().orElseThrow();
        assertThat(resend).isEqualTo(uplink.attempts.get(0));
        assertThat(CanonicalEventJson.MAPPER.readTree(uplink.attempts.get(0)).has("wb_sig")).isTrue();
    }

    @Test
    void withoutAKeyMessagesAreUnsignedAndTheStartSaysSo() throws Exception {
        EdgeComponentConfig config = EdgeComponentConfig.builder(THING, Expected.SSCC)
                .summaryHeartbeat(Duration.ofMinutes(30)).build();
        try (LogCapture log = LogCapture.of(ReeferEdgeComponent.class)) {
            List<byte[]> sent = runLifetime(config, Expected.oneExcursion(THING + "-ra", 5.0, 10.0));
            assertThat(sent).isNotEmpty().allSatisfy(p ->
                    assertThat(CanonicalEventJson.MAPPER.readTree(p).has("wb_sig")).isFalse());
            assertThat(log.events("signing")).hasSize(1)
                    .allSatisfy(e -> assertThat(e.get("state").asText()).isEqualTo("UNSIGNED"));
        }
    }

    @Test
    void signingKeyPathIsReadFromTheComponentConfiguration() {
        EdgeComponentConfig config = EdgeComponentConfig.fromJson(
                "{\"signingKeyPath\": \"/greengrass/v2/device-signing.key\"}", THING, null);
        assertThat(config.signingKeyPath()).isEqualTo(Path.of("/greengrass/v2/device-signing.key"));
        assertThat(EdgeComponentConfig.fromJson("{\"signingKeyPath\": \"\"}", THING, null).signingKeyPath()).isNull();
    }

    private List<byte[]> runLifetime(EdgeComponentConfig config, List<TraceSample> samples) throws Exception {
        RecordingUplink uplink = new RecordingUplink();
        ManualSource source = new ManualSource();
        ReeferEdgeComponent component = new ReeferEdgeComponent(config, tmp.resolve("spool"), source, uplink);
        component.start();
        source.feed(samples);
        component.close();
        List<byte[]> out = new ArrayList<>();
        uplink.sent().forEach(s -> out.add(s.payload()));
        return out;
    }

    private static int run(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Sends every publish but loses the PUBACK of the very first one. */
    private static final class LosingFirstPuback implements Uplink {
        final List<byte[]> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile java.util.function.Consumer<byte[]> confirmations;

        @Override
        public boolean subscribeConfirmations(String topic, java.util.function.Consumer<byte[]> handler) {
            confirmations = handler;
            return true;
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] payload) {
            attempts.add(payload.clone());
            if (attempts.size() == 1) {
                return CompletableFuture.failedFuture(new java.io.IOException("PUBACK lost"));
            }
            RecordingUplink.confirm(confirmations, payload);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isConnected() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
