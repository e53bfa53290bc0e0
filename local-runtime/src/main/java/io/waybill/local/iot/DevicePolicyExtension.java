package io.waybill.local.iot;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * The device policy on the local broker, as an embedded HiveMQ extension: a publish from a client connected over
 * mutual TLS passes only when {@link LocalDeviceAuthority#publishRefusal} finds nothing against it (client id = the
 * certificate's thing, topic = {@code dt/waybill/<stage>/<the thing's adapter>/<thing>}); otherwise the broker refuses
 * it with {@code NOT_AUTHORIZED} (an MQTT 5 PUBACK reason code; HiveMQ disconnects an MQTT 3 client instead). Clients of
 * the plain listener (the rule runner, taps, tests) are the local stack's own and are not restricted.
 *
 * <p>HiveMQ's extension {@link Services} are static: one broker with this extension per JVM at a time.
 */
final class DevicePolicyExtension implements ExtensionMain {
    private static final Logger LOG = LoggerFactory.getLogger(DevicePolicyExtension.class);

    private final LocalDeviceAuthority authority;
    private final String stage;

    DevicePolicyExtension(LocalDeviceAuthority authority, String stage) {
        this.authority = Objects.requireNonNull(authority, "authority");
        this.stage = Objects.requireNonNull(stage, "stage");
    }

    @Override
    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
        PublishAuthorizer authorizer = this::authorizePublish;
        Services.securityRegistry().setAuthorizerProvider(input -> authorizer);
    }

    @Override
    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
        // nothing held
    }

    private void authorizePublish(PublishAuthorizerInput in, PublishAuthorizerOutput out) {
        Optional<ClientTlsInformation> tls = in.getConnectionInformation().getClientTlsInformation();
        Optional<X509Certificate> certificate = tls.flatMap(ClientTlsInformation::getClientCertificate);
        if (tls.isEmpty()) {
            out.authorizeSuccessfully();
            return;
        }
        String clientId = in.getClientInformation().getClientId();
        String topic = in.getPublishPacket().getTopic();
        Optional<String> refusal = authority.publishRefusal(stage, clientId,
                certificate.map(DevicePolicyExtension::commonName).orElse(null), topic);
        if (refusal.isEmpty()) {
            out.authorizeSuccessfully();
        } else {
            LOG.warn("publish refused by the device policy: {}", refusal.get());
            out.failAuthorization(AckReasonCode.NOT_AUTHORIZED, refusal.get());
        }
    }

    /** The subject's CN (the thing name the local authority issued the certificate for), or null. */
    static String commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            return null;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
