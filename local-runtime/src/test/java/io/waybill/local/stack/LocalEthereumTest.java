package io.waybill.local.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.waybill.chain.RpcAuth;
import io.waybill.chain.Web3jAnchorChain;
import io.waybill.domain.provenance.AnchorChain.AnchorCall;
import io.waybill.domain.provenance.AnchorChain.AnchorTx;
import io.waybill.domain.provenance.AnchorChain.Fees;
import io.waybill.domain.provenance.AnchorChain.Inclusion;
import io.waybill.domain.provenance.AnchorChain.SignedAnchor;
import io.waybill.domain.provenance.ChainRejectedException;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.local.testing.LoopbackProbe;

/**
 * The chain adapter (Web3jAnchorChain, LocalKeySigner, the deployed AnchorRegistry) on the real anvil of the local
 * stack. Oracles: anvil itself (the sender it recovers, the receipt's block, its own dev account list), and the
 * published address of anvil's dev account 0 written here.
 */
class LocalEthereumTest {

    /** anvil's dev account 0, as anvil prints it at start (and every Foundry guide lists it). */
    private static final String DEV_ACCOUNT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

    private static LocalAwsStack stack;
    private static LocalEthereum ethereum;
    private static Web3jAnchorChain chain;
    private static AnvilControl anvil;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start();
        ethereum = stack.ethereum();
        chain = ethereum.connect();
        anvil = ethereum.control();
    }

    @AfterAll
    static void stop() {
        if (chain != null) {
            chain.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static String newRoot() {
        return "0x" + (UUID.randomUUID().toString() + UUID.randomUUID()).replace("-", "");
    }

    /** The receipt of an automined transaction, waited for up to 10 s (a loaded machine answers late). */
    private static Inclusion mined(String txHash) {
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Optional<Inclusion> receipt = chain.inclusion(txHash);
            if (receipt.isPresent()) {
                return receipt.get();
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("no receipt for " + txHash + " within 10 s (automine)");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static SignedAnchor signed(DigestSigner signer, AnchorCall call, long gasLimit) {
        BigInteger nonce = chain.nonce(signer.address(), true);
        return chain.sign(new AnchorTx(nonce, chain.suggestedFees(), gasLimit, call), signer);
    }

    @Test
    void anvilStartsFastOnLoopbackWithTheRegistryDeployedByDevAccountZero() {
        long startMs = stack.startTimeMillis(Emulator.ETHEREUM);
        System.out.println("anvil ready + AnchorRegistry deployed in " + startMs + " ms; deployment gas "
                + ethereum.deploymentGasUsed());
        assertThat(ethereum.chainId()).isEqualTo(31337);
        assertThat(chain.chainId()).isEqualTo(31337);
        assertThat(ethereum.devSigner().address()).isEqualTo(EthereumAddress.parse(DEV_ACCOUNT_0));
        // Measured 359,120 (solc 0.8.37, optimiser 200, paris). FACTS' 185,000 was a registry with one fixed anchorer;
        // this one has an owner, authorise/revoke and custom errors: its runtime code is about twice as long.
        assertThat(ethereum.deploymentGasUsed()).isBetween(320_000L, 400_000L);
        assertThat(stack.logFile(Emulator.ETHEREUM)).get()
                .satisfies(log -> assertThat(log.getFileName().toString()).isEqualTo("anvil-"
                        + stack.port(Emulator.ETHEREUM) + ".log"));
        assertThat(LoopbackProbe.acceptsOn("127.0.0.2", stack.port(Emulator.ETHEREUM))).isFalse();
        JsonNode code = anvil.call("eth_getCode", List.of(ethereum.registry().toString(), "latest"));
        assertThat(code.asText()).startsWith("0x6080").hasSizeGreaterThan(1000);
    }

    @Test
    void theDevSignersAreAnvilsOwnAccounts() {
        JsonNode accounts = anvil.call("eth_accounts", List.of());
        for (int i = 0; i < AnvilDevAccounts.count(); i++) {
            assertThat(AnvilDevAccounts.signer(i).address())
                    .isEqualTo(EthereumAddress.parse(accounts.get(i).asText().toLowerCase()));
        }
    }

    @Test
    void anAnchorIsMinedFromOurAddressAndTheRegistryRecordsItsBlock() {
        DigestSigner signer = ethereum.devSigner();
        AnchorCall call = new AnchorCall(newRoot(), 100, "s3://waybill-proofs/batch-1");
        long estimate = chain.estimateGas(signer.address(), call);
        SignedAnchor tx = signed(signer, call, estimate * 12 / 10);

        String hash = chain.broadcast(tx.raw());
        assertThat(hash).isEqualTo(tx.hash());
        Inclusion inclusion = mined(hash); // automine: mined on receipt (the receipt may take a moment under load)
        assertThat(inclusion.succeeded()).isTrue();
        assertThat(chain.anchoredAt(call.root())).isEqualTo(OptionalLong.of(inclusion.block()));
        assertThat(chain.blockHash(inclusion.block())).contains(inclusion.blockHash());
        assertThat(chain.knows(hash)).isTrue();

        JsonNode sent = anvil.call("eth_getTransactionByHash", List.of(hash));
        assertThat(sent.get("from").asText()).isEqualToIgnoringCase(DEV_ACCOUNT_0); // anvil recovered OUR address
        assertThat(sent.get("type").asText()).isEqualTo("0x2");
        assertThat(sent.get("to").asText()).isEqualToIgnoringCase(ethereum.registry().toString());

        // FACTS: 48,721 for anchor() with a storage write and the event (the uri's length moves it a little)
        System.out.println("gas used by one anchor(root, 100, \"" + call.uri() + "\"): " + inclusion.gasUsed()
                + " (estimate " + estimate + ")");
        assertThat(inclusion.gasUsed()).isBetween(45_000L, 55_000L);
    }

    @Test
    void aRootIsAnchoredOnlyOnce() {
        DigestSigner signer = ethereum.devSigner();
        AnchorCall call = new AnchorCall(newRoot(), 1, "");
        Inclusion first = mined(chain.broadcast(signed(signer, call, 100_000).raw()));
        assertThat(first.succeeded()).isTrue();

        assertThatThrownBy(() -> chain.estimateGas(signer.address(), call))
                .isInstanceOfSatisfying(ChainRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChainRejectedException.Reason.REVERTED));
        // sent anyway with a fixed gas limit: mined, reverted, and the first block stays recorded
        Inclusion second = mined(chain.broadcast(signed(signer, call, 100_000).raw()));
        assertThat(second.succeeded()).isFalse();
        assertThat(chain.anchoredAt(call.root())).isEqualTo(OptionalLong.of(first.block()));
    }

    @Test
    void anUnauthorisedSignerIsRefused() {
        DigestSigner stranger = AnvilDevAccounts.signer(1);
        AnchorCall call = new AnchorCall(newRoot(), 1, "");
        assertThatThrownBy(() -> chain.estimateGas(stranger.address(), call))
                .isInstanceOfSatisfying(ChainRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChainRejectedException.Reason.REVERTED));
        Inclusion mined = mined(chain.broadcast(signed(stranger, call, 100_000).raw()));
        assertThat(mined.succeeded()).isFalse();
        assertThat(chain.anchoredAt(call.root())).isEmpty();
    }

    @Test
    void aUsedNonceIsNonceTooLow() {
        DigestSigner signer = ethereum.devSigner();
        // nonce 0 of dev account 0 went into the registry's deployment
        SignedAnchor stale = chain.sign(new AnchorTx(BigInteger.ZERO, chain.suggestedFees(), 100_000,
                new AnchorCall(newRoot(), 1, "")), signer);
        assertThatThrownBy(() -> chain.broadcast(stale.raw()))
                .isInstanceOfSatisfying(ChainRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(ChainRejectedException.Reason.NONCE_TOO_LOW));
    }

    /**
     * With automine off: a transaction stays pending; the same bytes again are "already known"; a replacement with
     * the same fees is underpriced; dropped, the node forgets it; a snapshot reverted removes a mined anchor (a
     * reorganisation as the client sees it).
     */
    @Test
    void pendingTransactionsRebroadcastsReplacementsAndReorganisations() {
        DigestSigner signer = AnvilDevAccounts.signer(2);
        // dev account 2 is not an anchorer: the owner authorises it (raw call through anvil's unlocked account)
        String snapshot = anvil.snapshot();
        try {
            AnchorCall call = new AnchorCall(newRoot(), 5, "");
            anvil.setAutomine(false);
            SignedAnchor tx = signed(ethereum.devSigner(), call, 100_000);
            assertThat(chain.broadcast(tx.raw())).isEqualTo(tx.hash());
            assertThat(chain.inclusion(tx.hash())).isEmpty();
            assertThat(chain.knows(tx.hash())).isTrue();

            assertThatThrownBy(() -> chain.broadcast(tx.raw()))
                    .isInstanceOfSatisfying(ChainRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(ChainRejectedException.Reason.ALREADY_KNOWN));
            SignedAnchor sameFeesOtherRoot = chain.sign(new AnchorTx(tx.tx().nonce(), tx.tx().fees(), 100_000,
                    new AnchorCall(newRoot(), 5, "")), ethereum.devSigner());
            assertThatThrownBy(() -> chain.broadcast(sameFeesOtherRoot.raw()))
                    .isInstanceOfSatisfying(ChainRejectedException.class, e -> assertThat(e.reason())
                            .isEqualTo(ChainRejectedException.Reason.REPLACEMENT_UNDERPRICED));

            anvil.dropTransaction(tx.hash());
            assertThat(chain.knows(tx.hash())).isFalse();

            assertThat(chain.broadcast(tx.raw())).isEqualTo(tx.hash()); // the same bytes, rebroadcast
            String beforeMine = anvil.snapshot();
            anvil.mine();
            Inclusion mined = chain.inclusion(tx.hash()).orElseThrow();
            assertThat(mined.succeeded()).isTrue();
            assertThat(chain.anchoredAt(call.root())).hasValue(mined.block());

            assertThat(anvil.revert(beforeMine)).isTrue();
            assertThat(chain.anchoredAt(call.root())).isEmpty();
            assertThat(chain.blockHash(mined.block())).isNotEqualTo(Optional.of(mined.blockHash()));
        } finally {
            // nothing of this test stays in the pool for the next one (a reverted block's transaction returns to it)
            anvil.call("anvil_dropAllTransactions", List.of());
            anvil.setAutomine(true);
            anvil.revert(snapshot);
        }
        assertThat(signer.address()).isNotEqualTo(ethereum.devSigner().address());
    }

    @Test
    void aFeeCapBelowTheNextBaseFeeIsRefused() {
        BigInteger baseFee = new BigInteger(anvil.call("eth_getBlockByNumber", List.of("latest", false))
                .get("baseFeePerGas").asText().substring(2), 16);
        String snapshot = anvil.snapshot();
        try {
            Fees now = chain.suggestedFees();
            anvil.setNextBlockBaseFeePerGas(now.maxFeePerGas().multiply(BigInteger.valueOf(1_000)));
            anvil.mine(); // the raised base fee is now the latest block's
            SignedAnchor cheap = chain.sign(new AnchorTx(chain.nonce(ethereum.devSigner().address(), true), now,
                    100_000, new AnchorCall(newRoot(), 1, "")), ethereum.devSigner());
            assertThatThrownBy(() -> chain.broadcast(cheap.raw()))
                    .isInstanceOfSatisfying(ChainRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(ChainRejectedException.Reason.FEE_TOO_LOW));
        } finally {
            anvil.revert(snapshot);
            anvil.setNextBlockBaseFeePerGas(baseFee); // a snapshot does not restore anvil's fee state
        }
    }

    @Test
    void aNodeOnAnotherChainIdIsRefused() {
        try (Web3jAnchorChain mainnet = Web3jAnchorChain.connect(ethereum.rpcUrl(), ethereum.registry(), 1,
                RpcAuth.none())) {
            assertThatThrownBy(mainnet::blockNumber).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("chain 31337, expected chain 1");
        }
    }

    @Test
    void anvilsRpcUrlIsOnTheStacksHost() {
        URI url = ethereum.rpcUrl();
        assertThat(url.getHost()).isEqualTo(stack.config().host());
        assertThat(url.getPort()).isEqualTo(stack.port(Emulator.ETHEREUM));
    }
}
