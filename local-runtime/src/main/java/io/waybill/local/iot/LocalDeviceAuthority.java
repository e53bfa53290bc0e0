package io.waybill.local.iot;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A local certificate authority for device identities: it plays the part AWS IoT Core's certificate registration
 * plays in the cloud, so the local stack authenticates devices the same way, by X.509 client certificates over
 * mutual TLS. It signs a certificate per thing (subject CN = thing name, the files of {@link DeviceCertificate})
 * and the broker's server certificate for the loopback address, with the keystore and truststore the broker's
 * mutual-TLS listener needs ({@link LocalMqttBroker#startWithMutualTls}).
 *
 * <p>Keys are EC P-256, certificates SHA256withECDSA, made with Bouncy Castle (the JDK has no public API to issue
 * certificates). Everything lives in one folder (default {@code .waybill/iot/} of the repository, not committed):
 * {@code ca.pem}, {@code ca.key} (owner-only permissions), {@code broker.p12}, {@code broker-trust.p12} and
 * {@code devices/<thing>.cert.pem|.private.key}. The keystore password is random per authority and written beside
 * the keystores ({@code broker.password}, owner-only): these are throwaway local credentials, never AWS ones.
 *
 * <p>It also plays the thing registry's part for what the device policy needs: a thing is registered with its
 * adapter ({@link #register}, the thing attribute {@value #ADAPTER_ATTRIBUTE} of infra-cdk's {@code IotIngress}), kept
 * in {@code devices/<thing>.thing.json} (the shape of IoT's {@code DescribeThing}: {@code thingName},
 * {@code attributes}), and {@link #publishRefusal} is the device policy the broker's mutual-TLS listener enforces:
 * a thing publishes only on {@code dt/waybill/<stage>/<its adapter>/<its name>}. Partner adapters
 * ({@link #PARTNER_ADAPTERS}) are never a thing's adapter.
 *
 * <p>And the certificate status AWS IoT keeps ({@code UpdateCertificate ... REVOKED}): {@link #revoke} marks the
 * thing's certificate revoked in {@code revoked-certificates.json} (certificate id = its serial number, hex); the
 * broker's mutual-TLS listener then refuses its CONNECT and disconnects a client connected with it
 * ({@link DevicePolicyExtension}). The file is the only state, so a revocation made by another process (the
 * {@code ./waybill devices revoke} CLI next to a running stack) reaches the broker too.
 */
public final class LocalDeviceAuthority {
    /** Validity of every certificate it issues. */
    public static final Duration VALIDITY = Duration.ofDays(365);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The thing attribute naming the device's adapter (infra-cdk {@code IotIngress.ADAPTER_ATTRIBUTE}). */
    public static final String ADAPTER_ATTRIBUTE = "adapter";
    /**
     * Adapters of partners (the 3PL's {@code swiftlog}, shipment plans' {@code waybill-plan}, suppliers' advance ship
     * notices {@code asn}): their messages come over a partner route (the partner ingress function), never from a
     * device topic, so no thing may carry one. The telemetry rule's WHERE excludes the same list (a test keeps the two
     * equal).
     */
    public static final Set<String> PARTNER_ADAPTERS = Set.of(io.waybill.domain.adapter.SwiftLogPartnerAdapter.ID,
            io.waybill.domain.adapter.WaybillPlanAdapter.ID, io.waybill.domain.adapter.AdvanceShipNoticeAdapter.ID,
            io.waybill.domain.adapter.EpcisAdapter.ID);
    /** File name suffix of a thing's registry entry in the devices folder. */
    public static final String THING_SUFFIX = ".thing.json";
    private static final Pattern ADAPTER = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** Adapters of registered things; an adapter never changes once registered, so a hit stays true. */
    private final Map<String, String> adapters = new ConcurrentHashMap<>();

    /** File of the revoked certificates, by certificate id. */
    public static final String REVOKED_FILE = "revoked-certificates.json";

    private final Path dir;
    /** The revoked certificate ids as last read, with the file's modification stamp they were read at. */
    private volatile RevokedSnapshot revoked = new RevokedSnapshot(-1, -1, Set.of());
    private final X509Certificate caCertificate;
    private final PrivateKey caKey;

    private LocalDeviceAuthority(Path dir, X509Certificate caCertificate, PrivateKey caKey) {
        this.dir = dir;
        this.caCertificate = caCertificate;
        this.caKey = caKey;
    }

    /** Opens the authority in {@code dir}, creating its CA key and certificate on first use. */
    public static LocalDeviceAuthority openOrCreate(Path dir) {
        Objects.requireNonNull(dir, "dir");
        try {
            Files.createDirectories(dir);
            Path caPem = dir.resolve("ca.pem");
            Path caKeyPem = dir.resolve("ca.key");
            if (Files.isRegularFile(caPem) && Files.isRegularFile(caKeyPem)) {
                return new LocalDeviceAuthority(dir, readCertificate(caPem), readPrivateKey(caKeyPem));
            }
            KeyPair ca = newKeyPair();
            X500Name name = new X500Name("CN=Waybill local device CA,O=Waybill");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minusSeconds(60)),
                    Date.from(now.plus(VALIDITY)), name, ca.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(ca.getPublic()));
            X509Certificate cert = convert(b.build(signer(ca.getPrivate())));
            writePem(caKeyPem, ca.getPrivate(), true);
            writePem(caPem, cert, false);
            return new LocalDeviceAuthority(dir, cert, ca.getPrivate());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the local device CA in " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create the local device CA in " + dir + ": " + e, e);
        }
    }

    /** The CA certificate (PEM) devices trust for the broker, and the broker trusts for devices. */
    public Path certificateAuthorityPem() {
        return dir.resolve("ca.pem");
    }

    /** Folder of the device credentials ({@code <thing>.cert.pem}, {@code <thing>.private.key}). */
    public Path devicesFolder() {
        return dir.resolve("devices");
    }

    /**
     * Registers a thing with its adapter (the thing attribute {@value #ADAPTER_ATTRIBUTE}), as onboarding does on AWS.
     * Registering again with the same adapter changes nothing.
     *
     * @throws IllegalArgumentException when the adapter is a partner's ({@link #PARTNER_ADAPTERS}) or not a topic-level
     *                                  name, or the thing is registered with another adapter (re-onboard it instead)
     */
    public void register(String thingName, String adapter) {
        requireThingName(thingName);
        Objects.requireNonNull(adapter, "adapter");
        if (PARTNER_ADAPTERS.contains(adapter)) {
            throw new IllegalArgumentException("thing '" + thingName + "' cannot carry adapter '" + adapter
                    + "': it is a partner adapter, reachable only from the partner route, never from a device topic");
        }
        if (!ADAPTER.matcher(adapter).matches()) {
            throw new IllegalArgumentException("adapter '" + adapter + "' must match " + ADAPTER.pattern());
        }
        Optional<String> existing = adapterOf(thingName);
        if (existing.isPresent()) {
            if (!existing.get().equals(adapter)) {
                throw new IllegalArgumentException("thing '" + thingName + "' is registered with adapter '"
                        + existing.get() + "', not '" + adapter + "'");
            }
            return;
        }
        Map<String, Object> thing = Map.of("thingName", thingName, "attributes", Map.of(ADAPTER_ATTRIBUTE, adapter));
        try {
            Files.createDirectories(devicesFolder());
            Path file = devicesFolder().resolve(thingName + THING_SUFFIX);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, JSON.writeValueAsBytes(thing));
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register thing " + thingName, e);
        }
        adapters.put(thingName, adapter);
    }

    /** The thing's adapter attribute; empty when the thing is not registered (it can then publish nowhere). */
    public Optional<String> adapterOf(String thingName) {
        String cached = adapters.get(thingName);
        if (cached != null) {
            return Optional.of(cached);
        }
        if (!thingName.matches(THING_NAME)) {
            return Optional.empty();
        }
        Path file = devicesFolder().resolve(thingName + THING_SUFFIX);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String adapter = JSON.readTree(file.toFile()).path("attributes").path(ADAPTER_ATTRIBUTE).asText("");
            if (adapter.isEmpty()) {
                return Optional.empty();
            }
            adapters.put(thingName, adapter);
            return Optional.of(adapter);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the registry entry of thing " + thingName, e);
        }
    }

    /**
     * The device policy of a stage (infra-cdk's {@code IotIngress} device policy): why a publish of a client
     * connected over mutual TLS is refused, or empty when it is allowed. Allowed only when the client id is the
     * certificate's thing name and the topic is {@code dt/waybill/<stage>/<the thing's adapter>/<thing name>}.
     *
     * @param stage           the stage level of the topic namespace the broker serves
     * @param clientId        the MQTT client id
     * @param certificateThing the thing the certificate names (its subject CN)
     * @param topic           the topic published on
     */
    public Optional<String> publishRefusal(String stage, String clientId, String certificateThing, String topic) {
        if (certificateThing == null || !certificateThing.equals(clientId)) {
            return Optional.of("client id '" + clientId + "' is not the certificate's thing '" + certificateThing + "'");
        }
        Optional<String> adapter = adapterOf(certificateThing);
        if (adapter.isEmpty()) {
            return Optional.of("thing '" + certificateThing + "' has no " + ADAPTER_ATTRIBUTE + " attribute");
        }
        String allowed = "dt/waybill/" + stage + "/" + adapter.get() + "/" + certificateThing;
        return allowed.equals(topic) ? Optional.empty()
                : Optional.of("thing '" + certificateThing + "' may publish only on " + allowed + ", not " + topic);
    }

    /**
     * Registers the thing with {@code adapter} ({@link #register}) and returns its certificate and key, issued on
     * first use (subject {@code CN=<thingName>}, client-auth usage).
     */
    public DeviceCertificate deviceCertificate(String thingName, String adapter) {
        register(thingName, adapter);
        return deviceCertificate(thingName);
    }

    /**
     * The thing's certificate and key, issued on first use (subject {@code CN=<thingName>}, client-auth usage). A
     * thing without an adapter ({@link #register}) authenticates but may publish nowhere.
     */
    public DeviceCertificate deviceCertificate(String thingName) {
        requireThingName(thingName);
        Path folder = devicesFolder();
        DeviceCertificate c = new DeviceCertificate(folder.resolve(thingName + DeviceCertificate.CERTIFICATE_SUFFIX),
                folder.resolve(thingName + DeviceCertificate.PRIVATE_KEY_SUFFIX));
        if (Files.isRegularFile(c.certificatePem()) && Files.isRegularFile(c.privateKeyPem())) {
            return c;
        }
        try {
            Files.createDirectories(folder);
            KeyPair device = newKeyPair();
            X509Certificate cert = issue(new X500Name("CN=" + thingName), device, KeyPurposeId.id_kp_clientAuth, null);
            writePem(c.privateKeyPem(), device.getPrivate(), true);
            writePem(c.certificatePem(), cert, false);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the credentials of " + thingName, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate for " + thingName + ": " + e, e);
        }
    }

    /**
     * A certificate that is well-formed but signed by a different, unknown CA: what a device presents when its
     * certificate was never registered. For tests of the broker's refusal.
     */
    public static DeviceCertificate fromUnknownAuthority(Path folder, String thingName) {
        return openOrCreate(folder.resolve("unknown-ca")).deviceCertificate(thingName);
    }

    /** A certificate's id in the local authority: its serial number, lower-case hex (AWS's is a SHA-256 hex). */
    public static String certificateId(X509Certificate certificate) {
        return certificate.getSerialNumber().toString(16);
    }

    /** The id of the certificate the authority issued to {@code thingName}, if it issued one. */
    public Optional<String> certificateIdOf(String thingName) {
        requireThingName(thingName);
        Path pem = devicesFolder().resolve(thingName + DeviceCertificate.CERTIFICATE_SUFFIX);
        if (!Files.isRegularFile(pem)) {
            return Optional.empty();
        }
        try {
            return Optional.of(certificateId(readCertificate(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the certificate of " + thingName, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificate of " + thingName + ": " + e, e);
        }
    }

    /**
     * Revokes the certificate issued to {@code thingName} (AWS: {@code UpdateCertificate --new-status REVOKED}): the
     * broker refuses its CONNECT from now on and disconnects a client connected with it. Revoking again changes
     * nothing. The thing keeps its files; a revoked certificate is never valid again.
     *
     * @return the revoked certificate's id, or empty when the thing has no certificate from this authority
     */
    public synchronized Optional<String> revoke(String thingName) {
        Optional<String> id = certificateIdOf(thingName);
        if (id.isEmpty()) {
            return id;
        }
        try {
            Path file = dir.resolve(REVOKED_FILE);
            com.fasterxml.jackson.databind.node.ObjectNode all = Files.isRegularFile(file)
                    ? (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(file.toFile())
                    : JSON.createObjectNode();
            if (!all.has(id.get())) {
                all.putObject(id.get()).put("thingName", thingName).put("revokedAt", Instant.now().toString());
                Path tmp = file.resolveSibling(REVOKED_FILE + "." + ProcessHandle.current().pid() + ".tmp");
                Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
                Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot revoke the certificate of " + thingName, e);
        }
    }

    /** Whether {@code certificate} was revoked ({@link #revoke}, by this or another process). */
    public boolean isRevoked(X509Certificate certificate) {
        return revokedCertificateIds().contains(certificateId(certificate));
    }

    /** The ids of the revoked certificates, re-read when the file changed (by any process). */
    public Set<String> revokedCertificateIds() {
        Path file = dir.resolve(REVOKED_FILE);
        try {
            if (!Files.isRegularFile(file)) {
                return Set.of();
            }
            long modified = Files.getLastModifiedTime(file).toMillis();
            long size = Files.size(file);
            RevokedSnapshot current = revoked;
            if (current.modified() == modified && current.size() == size) {
                return current.ids();
            }
            Set<String> ids = new java.util.HashSet<>();
            JSON.readTree(file.toFile()).fieldNames().forEachRemaining(ids::add);
            revoked = new RevokedSnapshot(modified, size, Set.copyOf(ids));
            return revoked.ids();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private record RevokedSnapshot(long modified, long size, Set<String> ids) {
    }

    /** The broker's key material: a PKCS#12 keystore with its certificate and a truststore with this CA. */
    public record BrokerKeyMaterial(Path keystore, Path truststore, String password) {
        @Override
        public String toString() {
            return "BrokerKeyMaterial[keystore=" + keystore + ", truststore=" + truststore + ", password=***]";
        }
    }

    /** Issues (or reuses) the broker's certificate for 127.0.0.1 and localhost, and its stores. */
    public BrokerKeyMaterial brokerKeyMaterial() {
        Path keystore = dir.resolve("broker.p12");
        Path truststore = dir.resolve("broker-trust.p12");
        Path passwordFile = dir.resolve("broker.password");
        try {
            if (Files.isRegularFile(keystore) && Files.isRegularFile(truststore) && Files.isRegularFile(passwordFile)) {
                return new BrokerKeyMaterial(keystore, truststore, Files.readString(passwordFile).strip());
            }
            String password = HexFormat.of().formatHex(RANDOM.generateSeed(16));
            KeyPair broker = newKeyPair();
            GeneralNames names = new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")});
            X509Certificate cert = issue(new X500Name("CN=localhost"), broker, KeyPurposeId.id_kp_serverAuth, names);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("broker", broker.getPrivate(), password.toCharArray(),
                    new Certificate[] {cert, caCertificate});
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("waybill-local-device-ca", caCertificate);
            store(ks, keystore, password);
            store(ts, truststore, password);
            writeOwnerOnly(passwordFile, password);
            return new BrokerKeyMaterial(keystore, truststore, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the broker's key material in " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue the broker's certificate: " + e, e);
        }
    }

    private static final String THING_NAME = "[A-Za-z0-9:_-]{1,128}";

    private static void requireThingName(String thingName) {
        Objects.requireNonNull(thingName, "thingName");
        if (!thingName.matches(THING_NAME)) {
            throw new IllegalArgumentException("not a valid thing name: '" + thingName + "'");
        }
    }

    private X509Certificate issue(X500Name subject, KeyPair keys, KeyPurposeId purpose, GeneralNames altNames)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(caCertificate, serial(),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(caCertificate));
        if (altNames != null) {
            b.addExtension(Extension.subjectAlternativeName, false, altNames);
        }
        return convert(b.build(signer(caKey)));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(SIGNATURE).build(key);
    }

    private static X509Certificate convert(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static void writePem(Path file, Object object, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        if (secret) {
            restrictToOwner(tmp);
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII);
             JcaPEMWriter pem = new JcaPEMWriter(w)) {
            // A PrivateKey is written as PKCS#8 ("BEGIN PRIVATE KEY"), which aws-crt (s2n) reads.
            pem.writeObject(object instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null)
                    : object);
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        restrictToOwner(file);
        Files.writeString(file, text);
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing finer to set
        }
    }

    private static void store(KeyStore ks, Path file, String password) throws IOException, GeneralSecurityException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password.toCharArray());
        }
    }

    private static X509Certificate readCertificate(Path pem) throws IOException, GeneralSecurityException {
        try (Reader r = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            if (!(o instanceof X509CertificateHolder h)) {
                throw new IOException(pem + " holds no certificate");
            }
            return convert(h);
        }
    }

    private static PrivateKey readPrivateKey(Path pem) throws IOException {
        try (Reader r = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            Object o = p.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IOException(pem + " holds no private key");
        }
    }
}
