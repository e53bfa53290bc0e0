package io.waybill.local.cli;

import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.local.devices.LocalDeviceRegistry;
import io.waybill.local.iot.DeviceCertificate;
import io.waybill.local.iot.LocalDeviceAuthority;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.ListThingPrincipalsRequest;
import software.amazon.awssdk.services.iot.model.ListThingPrincipalsResponse;
import software.amazon.awssdk.services.iot.model.UpdateCertificateRequest;
import software.amazon.awssdk.services.iot.model.UpdateCertificateResponse;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ./waybill devices} on the local emulators (dynalite): register with a public key made by the openssl CLI,
 * assign, unassign, list, revoke (the registry and the local device authority's certificate); and the stage's
 * revocation in AWS IoT (ListThingPrincipals, UpdateCertificate REVOKED) against a recording IoT client.
 */
@Timeout(120)
class DevicesCommandTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final String SSCC = "106141412345678908";
    @TempDir
    static Path dir;
    private static LocalAwsStack stack;
    private static DynamoDbDeviceRegistry registry;
    private static LocalDeviceAuthority authority;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        registry = LocalDeviceRegistry.create(stack.clients());
        authority = LocalDeviceAuthority.openOrCreate(dir.resolve("iot"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static final class Run {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final DevicesCommand command = new DevicesCommand(registry, DevicesCommand.localAuthority(authority),
                "the test registry", Clock.fixed(NOW, ZoneOffset.UTC), new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void registeredKeyIdIsTheRfc7638ThumbprintOfTheOpensslKeyAndListShowsTheDevice() throws Exception {
        Path key = dir.resolve("reefer-cli-1.key");
        Assumptions.assumeTrue(run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-out", key.toString()) == 0, "openssl CLI available");
        Path pem = dir.resolve("reefer-cli-1.pub.pem");
        Path der = dir.resolve("reefer-cli-1.pub.der");
        assertThat(run("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pem.toString())).isZero();
        assertThat(run("openssl", "pkey", "-in", key.toString(), "-pubout", "-outform", "DER", "-out",
                der.toString())).isZero();
        Path base64 = dir.resolve("reefer-cli-1.pub.b64");
        Files.writeString(base64, Base64.getEncoder().encodeToString(Files.readAllBytes(der)) + "\n");
        String expectedKid = thumbprint(Files.readAllBytes(der));

        Run r = new Run();
        r.command.register("reefer-cli-1", "waybill-edge", pem, null, false);
        r.command.register("IMEI-111", "gps-tracker", base64, "site", false);
        r.command.assign("reefer-cli-1", SSCC, "2026-12-01T11:00:00+01:00", "2026-12-03T10:00:00Z");
        r.command.list();

        RegisteredDevice reefer = registry.get("reefer-cli-1").orElseThrow();
        assertThat(reefer.keys()).containsOnlyKeys(expectedKid);
        assertThat(reefer.keys().get(expectedKid).getEncoded()).isEqualTo(Files.readAllBytes(der));
        assertThat(reefer.scope()).isEqualTo(DeviceScope.SHIPMENT);
        assertThat(reefer.assignments()).containsExactly(new ShipmentAssignment(SSCC,
                Instant.parse("2026-12-01T10:00:00Z"), Instant.parse("2026-12-03T10:00:00Z")));
        assertThat(registry.get("IMEI-111").orElseThrow().scope()).isEqualTo(DeviceScope.SITE);
        assertThat(r.out()).contains("registered reefer-cli-1", "signing key " + expectedKid)
                .containsPattern("reefer-cli-1\\s+waybill-edge\\s+ACTIVE\\s+SHIPMENT\\s+" + expectedKid.substring(0, 12)
                        + "…\\s+" + SSCC + " 2026-12-01T10:00:00Z\\.\\.2026-12-03T10:00:00Z");

        assertThatThrownBy(() -> r.command.register("reefer-cli-1", "waybill-edge", null, null, false))
                .isInstanceOf(UserError.class).hasMessageContaining("--replace");
        r.command.register("reefer-cli-1", "waybill-edge", null, null, true);
        assertThat(registry.get("reefer-cli-1").orElseThrow().keys()).isEmpty();
    }

    @Test
    void unassignRemovesExactlyThatAssignment() {
        Run r = new Run();
        r.command.register("IMEI-222", "gps-tracker", null, null, false);
        r.command.assign("IMEI-222", SSCC, "2026-12-01T00:00:00Z", null);
        r.command.assign("IMEI-222", "106141412345678915", "2026-12-02T00:00:00Z", "2026-12-03T00:00:00Z");

        r.command.unassign("IMEI-222", SSCC, "2026-12-01T00:00:00Z");

        assertThat(registry.get("IMEI-222").orElseThrow().assignments()).containsExactly(new ShipmentAssignment(
                "106141412345678915", Instant.parse("2026-12-02T00:00:00Z"), Instant.parse("2026-12-03T00:00:00Z")));
        assertThatThrownBy(() -> r.command.unassign("IMEI-222", SSCC, "2026-12-01T00:00:00Z"))
                .isInstanceOf(UserError.class).hasMessageContaining("no assignment");
        assertThatThrownBy(() -> r.command.assign("IMEI-999", SSCC, "2026-12-01T00:00:00Z", null))
                .isInstanceOf(UserError.class).hasMessageContaining("not registered");
        assertThatThrownBy(() -> r.command.assign("IMEI-222", "106141412345678909", "2026-12-01T00:00:00Z", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.command.assign("IMEI-222", SSCC, "yesterday", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--from");
    }

    @Test
    void revokeMarksTheRegistryAndRevokesTheThingsCertificateAtTheLocalAuthority() throws Exception {
        Run r = new Run();
        DeviceCertificate cert = authority.deviceCertificate("reefer-cli-3", "waybill-edge");
        r.command.register("reefer-cli-3", "waybill-edge", null, null, false);

        r.command.revoke("reefer-cli-3");

        RegisteredDevice d = registry.get("reefer-cli-3").orElseThrow();
        assertThat(d.status()).isEqualTo(DeviceStatus.REVOKED);
        X509Certificate x509;
        try (InputStream in = Files.newInputStream(cert.certificatePem())) {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(LocalDeviceAuthority.openOrCreate(dir.resolve("iot")).isRevoked(x509)).isTrue();
        assertThat(r.out()).contains("REVOKED", x509.getSerialNumber().toString(16));
        assertThatThrownBy(() -> r.command.revoke("reefer-never-registered"))
                .isInstanceOf(UserError.class).hasMessageContaining("not registered");
    }

    @Test
    void stageRevocationSetsEveryCertificateOfTheThingRevokedInAwsIot() {
        List<Object> calls = new ArrayList<>();
        IotClient iot = (IotClient) Proxy.newProxyInstance(IotClient.class.getClassLoader(),
                new Class<?>[] {IotClient.class}, (proxy, method, args) -> {
                    if (method.isDefault() && args != null && args.length == 1
                            && args[0] instanceof java.util.function.Consumer<?>) {
                        return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                    }
                    switch (method.getName()) {
                        case "listThingPrincipals" -> {
                            calls.add(args[0]);
                            return ListThingPrincipalsResponse.builder().principals(
                                    "arn:aws:iot:eu-west-1:123456789012:cert/aa11",
                                    "eu-west-1:1f2e3d4c-cognito-identity",
                                    "arn:aws:iot:eu-west-1:123456789012:cert/bb22").build();
                        }
                        case "updateCertificate" -> {
                            calls.add(args[0]);
                            return UpdateCertificateResponse.builder().build();
                        }
                        case "serviceName" -> {
                            return "iot";
                        }
                        case "close" -> {
                            return null;
                        }
                        default -> {
                            if (method.isDefault()) {
                                return java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args);
                            }
                            throw new UnsupportedOperationException(method.getName());
                        }
                    }
                });

        List<String> revoked = DevicesCommand.awsIot(iot).revoke("reefer-07");

        assertThat(revoked).containsExactly("aa11", "bb22");
        assertThat(calls.get(0)).isInstanceOfSatisfying(ListThingPrincipalsRequest.class,
                r -> assertThat(r.thingName()).isEqualTo("reefer-07"));
        assertThat(calls.subList(1, calls.size())).extracting(c -> (UpdateCertificateRequest) c)
                .extracting(UpdateCertificateRequest::certificateId, c -> c.newStatusAsString())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("aa11", "REVOKED"),
                        org.assertj.core.groups.Tuple.tuple("bb22", "REVOKED"));
    }

    @Test
    void actionsTakeOnlyTheirOwnOptionsOnTheCommandLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = WaybillCli.run(new String[] {"devices", "revoke", "--thing", "x", "--sscc", SSCC},
                InputStream.nullInputStream(), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), dir);
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--sscc does not go with revoke");
        err.reset();
        exit = WaybillCli.run(new String[] {"devices", "enrol"}, InputStream.nullInputStream(),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), dir);
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown action 'enrol'");
    }

    /**
     * RFC 7638 by hand: the JWK members crv, kty, x, y in that order, x and y the 32-byte coordinates that close the
     * uncompressed point at the end of the P-256 SubjectPublicKeyInfo DER, base64url without padding; SHA-256.
     */
    private static String thumbprint(byte[] spki) throws Exception {
        byte[] point = Arrays.copyOfRange(spki, spki.length - 65, spki.length);
        assertThat(point[0]).isEqualTo((byte) 0x04);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String jwk = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + b64.encodeToString(Arrays.copyOfRange(point, 1, 33))
                + "\",\"y\":\"" + b64.encodeToString(Arrays.copyOfRange(point, 33, 65)) + "\"}";
        return b64.encodeToString(MessageDigest.getInstance("SHA-256").digest(jwk.getBytes(StandardCharsets.UTF_8)));
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
}
