package io.waybill.local.iot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A device's X.509 certificate and private key, PEM files, as AWS IoT Core issues them per thing.
 *
 * @param certificatePem the certificate (PEM)
 * @param privateKeyPem  its private key (PEM, PKCS#8 or traditional); never logged, never committed
 */
public record DeviceCertificate(Path certificatePem, Path privateKeyPem) {
    /** File name suffix of a thing's certificate in a credentials folder (AWS IoT's connect-kit naming). */
    public static final String CERTIFICATE_SUFFIX = ".cert.pem";
    /** File name suffix of a thing's private key in a credentials folder (AWS IoT's connect-kit naming). */
    public static final String PRIVATE_KEY_SUFFIX = ".private.key";

    public DeviceCertificate {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
    }

    /**
     * The thing's files in a credentials folder: {@code <dir>/<thingName>.cert.pem} and
     * {@code <dir>/<thingName>.private.key}, the names of AWS IoT Core's "connect one device" kit.
     *
     * @throws IllegalArgumentException when either file is missing, naming it
     */
    public static DeviceCertificate inFolder(Path dir, String thingName) {
        DeviceCertificate c = new DeviceCertificate(dir.resolve(thingName + CERTIFICATE_SUFFIX),
                dir.resolve(thingName + PRIVATE_KEY_SUFFIX));
        for (Path p : new Path[] {c.certificatePem, c.privateKeyPem}) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no credentials for thing '" + thingName + "': " + p + " is missing");
            }
        }
        return c;
    }
}
