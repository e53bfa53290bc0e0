package io.waybill.local.stack;

import java.util.List;

import io.waybill.chain.LocalKeySigner;
import io.waybill.domain.provenance.DigestSigner;

/**
 * anvil's first deterministic dev accounts (mnemonic "test test ... junk", paths m/44'/60'/0'/0/i), each funded with
 * 10,000 ETH at start. These keys are published by Foundry and known to everyone: they are for the local node only,
 * never for a real chain. Still, nothing here prints them.
 */
public final class AnvilDevAccounts {

    // Foundry's published dev keys (anvil prints them at start); public test keys, not secrets.
    private static final List<String> KEYS = List.of(
            "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
            "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
            "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a");

    private AnvilDevAccounts() {
    }

    /** How many dev accounts this class knows (anvil funds ten). */
    public static int count() {
        return KEYS.size();
    }

    /** A signer for dev account {@code index} (0 is the registry's owner and anchorer on the local stack). */
    public static DigestSigner signer(int index) {
        if (index < 0 || index >= KEYS.size()) {
            throw new IllegalArgumentException("dev account index must be 0 to " + (KEYS.size() - 1) + ": " + index);
        }
        return LocalKeySigner.fromHex(KEYS.get(index));
    }
}
