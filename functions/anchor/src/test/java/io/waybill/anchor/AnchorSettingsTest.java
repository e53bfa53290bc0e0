package io.waybill.anchor;

import io.waybill.domain.provenance.EthereumAddress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnchorSettingsTest {
    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("WAYBILL_ANCHOR_LEDGER_TABLE", "waybill-anchor-ledger");
        env.put("WAYBILL_PROOFS_TABLE", "waybill-event-proofs");
        env.put("WAYBILL_ANCHOR_KMS_KEY_ID", "alias/waybill-anchor");
        env.put("WAYBILL_CHAIN_RPC_URL", "http://127.0.0.1:8545");
        env.put("WAYBILL_CHAIN_ID", "31337");
        env.put("WAYBILL_ANCHOR_REGISTRY", "0x5fbdb2315678afecb367f032d93f642f64180aa3");
        return env;
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        AnchorSettings s = AnchorSettings.fromEnvironment(minimal());
        assertThat(s.rpcAuth()).isEqualTo(AnchorSettings.RpcAuth.NONE);
        assertThat(s.chainId()).isEqualTo(31337);
        assertThat(s.registry()).isEqualTo(EthereumAddress.parse("0x5fbdb2315678afecb367f032d93f642f64180aa3"));
        assertThat(s.batchPolicy().maxEvents()).isEqualTo(1000);
        assertThat(s.batchPolicy().maxWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(s.run().confirmations()).isEqualTo(2);
        assertThat(s.run().stuckAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.run().feeBumpPercent()).isEqualTo(15);
        assertThat(s.run().uri("0xab")).isEqualTo("urn:waybill:anchor-batch:0xab");
    }

    @Test
    void everySettingIsRead() {
        Map<String, String> env = minimal();
        env.put("WAYBILL_CHAIN_RPC_AUTH", "sigv4");
        env.put("WAYBILL_ANCHOR_BATCH_MAX_EVENTS", "10000");
        env.put("WAYBILL_ANCHOR_BATCH_MAX_WAIT", "PT1M");
        env.put("WAYBILL_ANCHOR_CONFIRMATIONS", "12");
        env.put("WAYBILL_ANCHOR_STUCK_AFTER", "PT3M");
        env.put("WAYBILL_ANCHOR_FEE_BUMP_PERCENT", "10");
        env.put("WAYBILL_ANCHOR_URI_BASE", "https://proofs.example/batch/");
        env.put("WAYBILL_ANCHOR_SELECT", "custody,waybill.shipment.departed.v1");
        AnchorSettings s = AnchorSettings.fromEnvironment(env);
        assertThat(s.rpcAuth()).isEqualTo(AnchorSettings.RpcAuth.SIGV4);
        assertThat(s.batchPolicy().maxEvents()).isEqualTo(10000);
        assertThat(s.batchPolicy().maxWait()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.run().confirmations()).isEqualTo(12);
        assertThat(s.run().stuckAfter()).isEqualTo(Duration.ofMinutes(3));
        assertThat(s.run().feeBumpPercent()).isEqualTo(10);
        assertThat(s.run().uri("0xab")).isEqualTo("https://proofs.example/batch/0xab");
    }

    @Test
    void missingOrInvalidSettingsAreNamed() {
        for (String name : new String[]{"WAYBILL_ANCHOR_LEDGER_TABLE", "WAYBILL_PROOFS_TABLE",
                "WAYBILL_ANCHOR_KMS_KEY_ID", "WAYBILL_CHAIN_RPC_URL", "WAYBILL_CHAIN_ID", "WAYBILL_ANCHOR_REGISTRY"}) {
            Map<String, String> env = minimal();
            env.remove(name);
            assertThatThrownBy(() -> AnchorSettings.fromEnvironment(env)).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
        }
        assertInvalid("WAYBILL_ANCHOR_BATCH_MAX_WAIT", "20s");
        assertInvalid("WAYBILL_ANCHOR_FEE_BUMP_PERCENT", "5");
        assertInvalid("WAYBILL_ANCHOR_BATCH_MAX_EVENTS", "10001");
        assertInvalid("WAYBILL_ANCHOR_CONFIRMATIONS", "two");
        assertInvalid("WAYBILL_CHAIN_RPC_AUTH", "token");
        assertInvalid("WAYBILL_CHAIN_RPC_URL", "ws://node:8546");
        assertInvalid("WAYBILL_ANCHOR_REGISTRY", "0x1234");
        assertInvalid("WAYBILL_ANCHOR_SELECT", "custody,waybill.temperature.observed.v1");
        assertInvalid("WAYBILL_ANCHOR_SELECT", "waybill.provenance.recorded.v1");
    }

    private static void assertInvalid(String name, String value) {
        Map<String, String> env = minimal();
        env.put(name, value);
        assertThatThrownBy(() -> AnchorSettings.fromEnvironment(env)).as(name + "=" + value)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
    }
}
