package io.waybill.local.devices;

import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.DeviceScope;
import io.waybill.domain.device.DeviceStatus;
import io.waybill.domain.device.RegisteredDevice;
import io.waybill.domain.device.ShipmentAssignment;
import io.waybill.edge.component.SigningKey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identities of simulated devices, as onboarding gives real ones: each device gets a P-256 signing key made at the
 * start of the simulation ({@link DeviceKeys#generate()}), kept as PKCS#8 PEM in {@code <keys folder>/<thing>.pem}
 * (the stack's {@code .waybill/devices/keys/}, git-ignored, owner-only) so an edge component reads it like the
 * provisioned key on a gateway, and is registered in the device registry with its public key, its adapter, its scope
 * and its shipment assignments ({@link #enrol}) before it publishes.
 *
 * <p>A fresh key per simulation keeps every device's signing sequence strictly increasing without any state carried
 * between runs: the sequence is per key ({@code wb_sig.seq}), and each run's key starts at 0. Registering replaces
 * the thing's profile (and so its keys); a thing the registry has <em>revoked</em> is left revoked: the simulation
 * does not undo an operator's revocation, its messages are refused ({@link Enrolment#revoked()}).
 */
public final class SimulatedDevices {
    /** The keys folder under a stack's data directory ({@code .waybill}). */
    public static Path keysFolder(Path waybillDir) {
        return waybillDir.resolve("devices").resolve("keys");
    }

    /** A travelling device's assignment reaches this far beyond its trip and the run. */
    public static final java.time.Duration ASSIGNMENT_MARGIN = java.time.Duration.ofDays(1);

    /**
     * The assignment of a travelling device to the shipment it reports on: its trip's device times and the live clock
     * of the run, {@link #ASSIGNMENT_MARGIN} either side. A replayed trip can be months old: ingest then takes the
     * broker's time as the event time (the device clock is implausible), which is now, so both must be covered.
     */
    public static ShipmentAssignment tripAssignment(String sscc, Instant first, Instant last, Instant now) {
        Instant from = first.isBefore(now) ? first : now;
        Instant until = last.isAfter(now) ? last : now;
        return new ShipmentAssignment(sscc, from.minus(ASSIGNMENT_MARGIN), until.plus(ASSIGNMENT_MARGIN));
    }

    /** What {@link #enrol} did for one thing. */
    public record Enrolment(String thing, String adapter, SigningKey key, Path keyFile, boolean registered,
                            boolean revoked) {
    }

    private final Path keysFolder;
    private final DynamoDbDeviceRegistry registry;
    private final Map<String, Enrolment> enrolled = new ConcurrentHashMap<>();

    /**
     * @param keysFolder where the private keys go
     * @param registry   the registry to enrol in, or null: keys and signatures only (a target whose registry is not
     *                   reachable from here, e.g. another broker; register them with {@code ./waybill devices})
     */
    public SimulatedDevices(Path keysFolder, DynamoDbDeviceRegistry registry) {
        this.keysFolder = Objects.requireNonNull(keysFolder, "keysFolder");
        this.registry = registry;
    }

    /**
     * Makes the thing's key (a new one, written to {@code <thing>.pem}) and registers the thing with it.
     *
     * @param signs       false for a device that does not sign (registered without keys)
     * @param assignments the shipments it reports on, with windows covering the simulated trip
     */
    public Enrolment enrol(String thing, String adapter, DeviceScope scope, boolean signs,
                           List<ShipmentAssignment> assignments) {
        SigningKey key = null;
        Path file = null;
        if (signs) {
            KeyPair pair = DeviceKeys.generate();
            file = keysFolder.resolve(thing + ".pem");
            writeOwnerOnly(file, DeviceKeys.encodePrivatePem(pair.getPrivate()));
            key = new SigningKey(pair.getPrivate(), (ECPublicKey) pair.getPublic(),
                    DeviceKeys.keyId((ECPublicKey) pair.getPublic()));
        }
        boolean registered = false;
        boolean revoked = false;
        if (registry != null) {
            Optional<RegisteredDevice> existing = registry.get(thing);
            revoked = existing.map(d -> d.status() == DeviceStatus.REVOKED).orElse(false);
            if (!revoked) {
                registry.register(new RegisteredDevice(thing, adapter, DeviceStatus.ACTIVE, scope,
                        key == null ? Map.of() : Map.of(key.kid(), key.publicKey()), List.of(), Map.of(),
                        Instant.now()), true);
                for (ShipmentAssignment a : assignments) {
                    registry.assign(thing, a);
                }
                registered = true;
            }
        }
        Enrolment e = new Enrolment(thing, adapter, key, file, registered, revoked);
        enrolled.put(thing, e);
        return e;
    }

    /** The signing key of an enrolled thing, or null (not enrolled, or enrolled without a key). */
    public SigningKey keyOf(String thing) {
        Enrolment e = enrolled.get(thing);
        return e == null ? null : e.key();
    }

    /** Every enrolment so far. */
    public List<Enrolment> enrolments() {
        return new ArrayList<>(enrolled.values());
    }

    /** Whether enrolments go to a registry. */
    public boolean registers() {
        return registry != null;
    }

    public Path keysFolder() {
        return keysFolder;
    }

    private static void writeOwnerOnly(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the device key " + file, e);
        }
    }
}
