package io.waybill.local.iot;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
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
 * <p>Revoked certificates ({@link LocalDeviceAuthority#revoke}): a CONNECT over mutual TLS with one is refused
 * ({@code NOT_AUTHORIZED} CONNACK), a publish with one is refused, and a client already connected with one is
 * disconnected within {@link #REVOCATION_POLL} of the revocation (the authority's file is watched, so a revocation
 * by another process counts the same).
 *
 * <p>HiveMQ's extension {@link Services} are static: one broker with this extension per JVM at a time.
 */
final class DevicePolicyExtension implements ExtensionMain {
    private static final Logger LOG = LoggerFactory.getLogger(DevicePolicyExtension.class);
    /** How often the revoked certificates are checked against the connected clients: 200 ms. */
    static final java.time.Duration REVOCATION_POLL = java.time.Duration.ofMillis(200);

    /** Clients connected over mutual TLS: client id -> certificate id. */
    private final java.util.Map<String, String> connected = new java.util.concurrent.ConcurrentHashMap<>();
    private java.util.concurrent.ScheduledExecutorService watcher;

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
        SimpleAuthenticator authenticator = this::authenticate;
        Services.securityRegistry().setAuthenticatorProvider(input -> authenticator);
        ClientLifecycleEventListener lifecycle = new ClientLifecycleEventListener() {
            @Override
            public void onMqttConnectionStart(ConnectionStartInput input) {
            }

            @Override
            public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
            }

            @Override
            public void onDisconnect(DisconnectEventInput input) {
                connected.remove(input.getClientInformation().getClientId());
            }
        };
        Services.eventRegistry().setClientLifecycleEventListener(input -> lifecycle);
        watcher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "waybill-revocation-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(this::disconnectRevoked, REVOCATION_POLL.toMillis(),
                REVOCATION_POLL.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
        if (watcher != null) {
            watcher.shutdownNow();
        }
    }

    /** CONNECT: a client of the mutual-TLS listener with a revoked certificate is refused. */
    private void authenticate(SimpleAuthInput in, SimpleAuthOutput out) {
        Optional<X509Certificate> certificate = in.getConnectionInformation().getClientTlsInformation()
                .flatMap(ClientTlsInformation::getClientCertificate);
        if (certificate.isEmpty()) {
            out.authenticateSuccessfully();
            return;
        }
        String clientId = in.getClientInformation().getClientId();
        if (authority.isRevoked(certificate.get())) {
            LOG.warn("connect refused: certificate {} of '{}' is revoked",
                    LocalDeviceAuthority.certificateId(certificate.get()), commonName(certificate.get()));
            out.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "certificate revoked");
            return;
        }
        connected.put(clientId, LocalDeviceAuthority.certificateId(certificate.get()));
        out.authenticateSuccessfully();
    }

    /** Disconnects the clients connected with a certificate revoked since they connected. */
    private void disconnectRevoked() {
        try {
            java.util.Set<String> revoked = authority.revokedCertificateIds();
            if (revoked.isEmpty()) {
                return;
            }
            connected.forEach((clientId, certificateId) -> {
                if (revoked.contains(certificateId) && connected.remove(clientId, certificateId)) {
                    LOG.warn("disconnecting '{}': its certificate {} was revoked", clientId, certificateId);
                    Services.clientService().disconnectClient(clientId, false,
                            DisconnectReasonCode.NOT_AUTHORIZED, "certificate revoked");
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("revocation check failed: {}", e.toString());
        }
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
        Optional<String> refusal = certificate.isPresent() && authority.isRevoked(certificate.get())
                ? Optional.of("certificate " + LocalDeviceAuthority.certificateId(certificate.get()) + " is revoked")
                : authority.publishRefusal(stage, clientId,
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
