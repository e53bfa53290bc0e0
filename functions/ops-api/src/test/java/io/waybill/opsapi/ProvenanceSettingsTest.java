package io.waybill.opsapi;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProvenanceSettingsTest {
    private static final Map<String, String> ANVIL = Map.of(
            "WAYBILL_PROOFS_TABLE", "waybill-event-proofs",
            "WAYBILL_CHAIN_RPC_URL", "http://127.0.0.1:8545",
            "WAYBILL_CHAIN_ID", "31337",
            "WAYBILL_ANCHOR_REGISTRY", "0x5FbDB2315678afecb367f032d93F642f64180aa3");

    @Test
    void withoutAProofsTableAnchoringIsOff() {
        ProvenanceSettings s = ProvenanceSettings.fromEnvironment(Map.of("WAYBILL_CHAIN_RPC_URL", "http://x"));
        assertThat(s.configured()).isFalse();
        assertThat(s.routes(null, null, "events")).isInstanceOf(ProofRoutes.class);
    }

    @Test
    void aLocalChainIsReadWithoutSigning() {
        ProvenanceSettings s = ProvenanceSettings.fromEnvironment(ANVIL);
        assertThat(s.configured()).isTrue();
        assertThat(s.rpcUrl()).isEqualTo(URI.create("http://127.0.0.1:8545"));
        assertThat(s.chainId()).isEqualTo(31337);
        assertThat(s.rpcAuth()).isEqualTo(ProvenanceSettings.RpcAuthMode.NONE);
        assertThat(s.registry().toString()).isEqualToIgnoringCase("0x5fbdb2315678afecb367f032d93f642f64180aa3");
    }

    @Test
    void managedBlockchainIsSignedWithSigV4() {
        Map<String, String> env = new java.util.HashMap<>(ANVIL);
        env.put("WAYBILL_CHAIN_RPC_AUTH", "sigv4");
        assertThat(ProvenanceSettings.fromEnvironment(env).rpcAuth()).isEqualTo(ProvenanceSettings.RpcAuthMode.SIGV4);
    }

    @Test
    void aHalfConfiguredChainIsAStartFailure() {
        Map<String, String> env = new java.util.HashMap<>(ANVIL);
        env.remove("WAYBILL_ANCHOR_REGISTRY");
        assertThatThrownBy(() -> ProvenanceSettings.fromEnvironment(env)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("WAYBILL_ANCHOR_REGISTRY");
        env.put("WAYBILL_ANCHOR_REGISTRY", "0x5FbDB2315678afecb367f032d93F642f64180aa3");
        env.put("WAYBILL_CHAIN_RPC_AUTH", "token");
        assertThatThrownBy(() -> ProvenanceSettings.fromEnvironment(env)).hasMessageContaining("none or sigv4");
        env.remove("WAYBILL_CHAIN_RPC_AUTH");
        env.put("WAYBILL_CHAIN_ID", "anvil");
        assertThatThrownBy(() -> ProvenanceSettings.fromEnvironment(env)).hasMessageContaining("whole number");
    }
}
