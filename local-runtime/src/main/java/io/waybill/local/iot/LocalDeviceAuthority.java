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
import java.util.Objects;

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
 */
public final class LocalDeviceAuthority {
    /** Validity of every certificate it issues. */
    public static final Duration VALIDITY = Duration.ofDays(365);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
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
     * The thing's certificate and key, issued on first use (subject {@code CN=<thingName>}, client-auth usage).
     */
    public DeviceCertificate deviceCertificate(String thingName) {
        Objects.requireNonNull(thingName, "thingName");
        if (!thingName.matches("[A-Za-z0-9:_-]{1,128}")) {
            throw new IllegalArgumentException("not a valid thing name: '" + thingName + "'");
        }
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
