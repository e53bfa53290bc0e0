package io.waybill.local.iot;

import io.waybill.local.testing.LoopbackProbe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT broker standing in for AWS IoT Core listens on loopback only, on both its listeners: 127.0.0.2 (another
 * loopback address of this machine) reaches a wildcard-bound socket but not a 127.0.0.1-bound one.
 */
@Timeout(60)
class LocalMqttBrokerBindTest {

    @Test
    void bothListenersAreReachableOnLoopbackOnly(@TempDir Path dir) throws IOException {
        try (ServerSocket wildcard = new ServerSocket(0)) {
            assertThat(LoopbackProbe.acceptsOn("127.0.0.2", wildcard.getLocalPort())).as("control: wildcard socket").isTrue();
        }
        LocalDeviceAuthority authority = LocalDeviceAuthority.openOrCreate(dir.resolve("iot"));
        try (LocalMqttBroker broker = LocalMqttBroker.startWithMutualTls(dir.resolve("mqtt"), authority)) {
            assertThat(LoopbackProbe.acceptsOn("127.0.0.1", broker.port())).as("plain listener on 127.0.0.1").isTrue();
            assertThat(LoopbackProbe.acceptsOn("127.0.0.2", broker.port())).as("plain listener on 127.0.0.2").isFalse();
            assertThat(LoopbackProbe.acceptsOn("127.0.0.2", broker.mutualTlsPort())).as("mTLS listener on 127.0.0.2").isFalse();
        }
    }

}
