package io.waybill.local.cli;

import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.domain.identity.Sscc;
import io.waybill.local.iot.LocalDeviceAuthority;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.CertificateStatus;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code ./waybill devices register|assign|unassign|revoke|list}: the device registry's administration, on the
 * running local stack (table {@code waybill-devices} on its dynalite; revoke also revokes the thing's certificate at
 * the local device authority, so the broker refuses it) or on a deployed stage ({@code --stage}: the table named by
 * the stack output {@value #REGISTRY_TABLE_OUTPUT}; revoke also sets each certificate attached to the thing to
 * {@code REVOKED} in AWS IoT: {@code iot:ListThingPrincipals}, {@code iot:UpdateCertificate}). The registry class is
 * the one ingest reads ({@link DynamoDbDeviceRegistry}).
 */
final class DevicesCommand {
    /** The stage stack's output naming the registry table (infra-cdk's StackOutputs, construct DeviceRegistry). */
    static final String REGISTRY_TABLE_OUTPUT = "DeviceRegistryTableName";
    static final List<String> ACTIONS = List.of("register", "assign", "unassign", "revoke", "list");
    private static final Pattern THING_NAME = Pattern.compile("[A-Za-z0-9:_-]{1,128}");
    private static final Pattern ADAPTER = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    /** Revokes a thing's certificates where its devices authenticate; returns the certificate ids revoked. */
    @FunctionalInterface
    interface CertificateRevoker {
        List<String> revoke(String thing);
    }

    private final DynamoDbDeviceRegistry registry;
    private final CertificateRevoker certificates;
    private final String where;
    private final Clock clock;
    private final PrintStream out;

    DevicesCommand(DynamoDbDeviceRegistry registry, CertificateRevoker certificates, String where, Clock clock,
                   PrintStream out) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.certificates = Objects.requireNonNull(certificates, "certificates");
        this.where = Objects.requireNonNull(where, "where");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** The local stack's revoker: the local device authority's certificate of the thing. */
    static CertificateRevoker localAuthority(LocalDeviceAuthority authority) {
        return thing -> authority.revoke(thing).map(List::of).orElse(List.of());
    }

    /**
     * AWS IoT's revoker: every certificate attached to the thing ({@code ListThingPrincipals}, principals
     * {@code arn:aws:iot:<region>:<account>:cert/<certificateId>}) set to {@code REVOKED}: AWS IoT then refuses its
     * connections.
     */
    static CertificateRevoker awsIot(IotClient iot) {
        return thing -> {
            List<String> revoked = new ArrayList<>();
            for (String principal : iot.listThingPrincipalsPaginator(r -> r.thingName(thing)).principals()) {
                int cert = principal.indexOf(":cert/");
                if (cert < 0) {
                    continue; // a Cognito identity or another principal: not a certificate
                }
                String id = principal.substring(cert + ":cert/".length());
                iot.updateCertificate(r -> r.certificateId(id).newStatus(CertificateStatus.REVOKED));
                revoked.add(id);
            }
            return revoked;
        };
    }

    /**
     * @param publicKey file with the device's public key: base64 of its SubjectPublicKeyInfo DER, or PEM
     *                  ({@code -----BEGIN PUBLIC KEY-----}); null: a device that does not sign
     * @param scope     {@code shipment} or {@code site}; null: the adapter's default
     */
    int register(String thing, String adapter, Path publicKey, String scope, boolean replace) {
        requireThing(thing);
        if (adapter == null || !ADAPTER.matcher(adapter).matches()) {
            throw new IllegalArgumentException("--adapter must match " + ADAPTER.pattern() + ", was " + adapter);
        }
        if (LocalDeviceAuthority.PARTNER_ADAPTERS.contains(adapter)) {
            throw new IllegalArgumentException("--adapter " + adapter + " is a partner adapter: partners are no"
                    + " devices and are not registered");
        }
        DeviceScope chosen = scope == null ? DeviceScope.defaultFor(adapter) : scope(scope);
        Map<String, ECPublicKey> keys = Map.of();
        if (publicKey != null) {
            ECPublicKey key = readPublicKey(publicKey);
            keys = Map.of(DeviceKeys.keyId(key), key);
        }
        try {
            registry.register(new RegisteredDevice(thing, adapter, DeviceStatus.ACTIVE, chosen, keys, List.of(),
                    Map.of(), clock.instant()), replace);
        } catch (DynamoDbDeviceRegistry.RegistryConflictException e) {
            throw UserError.failed(e.getMessage() + " (--replace to register it again)");
        }
        out.println("registered " + thing + " in " + where + ": adapter " + adapter + ", scope " + chosen
                + (keys.isEmpty() ? ", no signing key (its messages need no signature)"
                : ", signing key " + keys.keySet().iterator().next()));
        return 0;
    }

    int assign(String thing, String sscc, String from, String until) {
        requireThing(thing);
        ShipmentAssignment a = new ShipmentAssignment(sscc(sscc), instant("--from", from),
                until == null ? null : instant("--until", until));
        try {
            registry.assign(thing, a);
        } catch (DynamoDbDeviceRegistry.RegistryConflictException e) {
            throw UserError.failed(e.getMessage() + " (register it first)");
        }
        out.println("assigned " + thing + " to shipment " + a.sscc() + " from " + a.from()
                + (a.until() == null ? " (open)" : " until " + a.until()) + " in " + where);
        return 0;
    }

    int unassign(String thing, String sscc, String from) {
        requireThing(thing);
        String s = sscc(sscc);
        Instant f = instant("--from", from);
        if (!registry.unassign(thing, s, f)) {
            throw UserError.failed(thing + " has no assignment to " + s + " from " + f + " in " + where
                    + " (./waybill devices list shows its assignments)");
        }
        out.println("unassigned " + thing + " from shipment " + s + " (assignment from " + f + ") in " + where);
        return 0;
    }

    int revoke(String thing) {
        requireThing(thing);
        Instant at = clock.instant();
        try {
            registry.revoke(thing, at);
        } catch (DynamoDbDeviceRegistry.RegistryConflictException e) {
            throw UserError.failed(e.getMessage());
        }
        List<String> revoked = certificates.revoke(thing);
        out.println("revoked " + thing + " in " + where + " at " + at + ": registry status REVOKED (ingest refuses"
                + " its records, DEVICE_REVOKED); " + (revoked.isEmpty() ? "no certificate attached to it"
                : "certificate" + (revoked.size() == 1 ? " " : "s ") + String.join(", ", revoked)
                + " REVOKED (the broker refuses its connections)"));
        return 0;
    }

    int list() {
        List<RegisteredDevice> devices = registry.list();
        out.println("devices in " + where + ": " + devices.size());
        if (devices.isEmpty()) {
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"THING", "ADAPTER", "STATUS", "SCOPE", "KEYS", "ASSIGNMENTS"});
        for (RegisteredDevice d : devices) {
            rows.add(new String[] {d.thing(), d.adapter(), d.status().name(), d.scope().name(),
                    d.keys().isEmpty() ? "-" : d.keys().keySet().stream().sorted().map(DevicesCommand::shortKid)
                            .collect(Collectors.joining(",")),
                    d.assignments().isEmpty() ? "-" : d.assignments().stream()
                            .map(a -> a.sscc() + " " + a.from() + ".." + (a.until() == null ? "" : a.until()))
                            .collect(Collectors.joining("; "))});
        }
        int[] width = new int[5];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder b = new StringBuilder("  ");
            for (int i = 0; i < width.length; i++) {
                b.append(String.format(Locale.ROOT, "%-" + width[i] + "s  ", r[i]));
            }
            out.println(b.append(r[5]).toString().stripTrailing());
        }
        return 0;
    }

    /** A key id shortened for the table (the whole id is 43 characters). */
    private static String shortKid(String kid) {
        return kid.length() <= 12 ? kid : kid.substring(0, 12) + "…";
    }

    /**
     * A public key file: base64 of the SubjectPublicKeyInfo DER ({@code openssl pkey -pubout -outform DER | base64})
     * or PEM ({@code openssl pkey -pubout}).
     *
     * @throws IllegalArgumentException when it is not a P-256 public key in either form
     */
    static ECPublicKey readPublicKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("--public-key: cannot read " + file + ": " + e.getMessage(), e);
        }
        String body = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return DeviceKeys.decodePublic(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--public-key " + file + ": " + e.getMessage(), e);
        }
    }

    static DeviceScope scope(String scope) {
        try {
            return DeviceScope.valueOf(scope.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--scope must be shipment or site, was " + scope, e);
        }
    }

    /** An ISO-8601 instant, {@code Z} or an offset ({@code 2026-11-26T06:00:00+01:00}). */
    static Instant instant(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " INSTANT is required (ISO-8601, e.g. 2026-11-26T06:00:00Z)");
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be an ISO-8601 instant with Z or an offset, e.g."
                    + " 2026-11-26T06:00:00Z, was " + value, e);
        }
    }

    private static String sscc(String sscc) {
        if (sscc == null) {
            throw new IllegalArgumentException("--sscc is required");
        }
        try {
            return Sscc.parse(sscc, "--sscc");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static void requireThing(String thing) {
        if (thing == null) {
            throw new IllegalArgumentException("--thing is required");
        }
        if (!THING_NAME.matcher(thing).matches()) {
            throw new IllegalArgumentException("--thing '" + thing + "' is not a thing name (" + THING_NAME.pattern()
                    + ")");
        }
    }

    /** The options an action takes; any other given is a usage error. */
    static List<String> optionsOf(String action) {
        return switch (action) {
            case "register" -> List.of("--thing", "--adapter", "--public-key", "--scope", "--replace");
            case "assign" -> List.of("--thing", "--sscc", "--from", "--until");
            case "unassign" -> List.of("--thing", "--sscc", "--from");
            case "revoke" -> List.of("--thing");
            case "list" -> List.of();
            default -> throw new IllegalArgumentException("unknown action '" + action + "' (expected "
                    + String.join(", ", ACTIONS) + ")");
        };
    }

    /** Whatever the stage's stack outputs name as the registry table. */
    static Optional<String> registryTable(Map<String, String> outputs) {
        return Optional.ofNullable(outputs.get(REGISTRY_TABLE_OUTPUT));
    }
}
