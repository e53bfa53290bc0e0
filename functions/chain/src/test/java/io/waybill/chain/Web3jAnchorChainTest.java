package io.waybill.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.waybill.domain.provenance.AnchorChain.AnchorCall;
import io.waybill.domain.provenance.AnchorChain.AnchorTx;
import io.waybill.domain.provenance.AnchorChain.Fees;
import io.waybill.domain.provenance.ChainRejectedException;
import io.waybill.domain.provenance.ChainUnavailableException;
import io.waybill.domain.provenance.EthereumAddress;

/**
 * The adapter's error mapping against a fake node answering what geth and anvil answer (their messages written
 * here as they print them). The real node's behaviour is checked on anvil in local-runtime (LocalEthereumTest).
 */
class Web3jAnchorChainTest {

    private static final EthereumAddress REGISTRY = EthereumAddress.parse("0x" + "22".repeat(20));
    private static final String ROOT = "0x" + "ab".repeat(32);

    @Test
    void aNodeOnAnotherChainIsRefusedBeforeAnythingIsSent() throws Exception {
        try (FakeNode node = new FakeNode(method -> method.equals("eth_chainId")
                ? FakeNode.Answer.result("\"0x1\"") : FakeNode.Answer.result("\"0x5\""));
             Web3jAnchorChain chain = Web3jAnchorChain.connect(node.url(), REGISTRY, 31337, RpcAuth.none())) {
            assertThatThrownBy(() -> chain.broadcast(new byte[] {2, 1}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("chain 1, expected chain 31337");
            assertThat(node.requests).hasSize(1); // eth_chainId only: the raw transaction never left
        }
    }

    @Test
    void aClosedPortIsUnavailableWithinTheConnectTimeout() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        } // closed: nothing listens there now
        try (Web3jAnchorChain chain = Web3jAnchorChain.connect(URI.create("http://127.0.0.1:" + port), REGISTRY,
                31337, RpcAuth.none())) {
            long t0 = System.nanoTime();
            assertThatThrownBy(chain::blockNumber).isInstanceOf(ChainUnavailableException.class)
                    .hasMessageContaining("unreachable");
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("closed port -> ChainUnavailableException in " + millis + " ms");
            assertThat(millis).isLessThan(2_000);
        }
    }

    @Test
    void aNodeThatAcceptsButNeverAnswersTimesOutAsUnavailable() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             Web3jAnchorChain chain = Web3jAnchorChain.connect(URI.create("http://127.0.0.1:" + silent.getLocalPort()),
                     REGISTRY, 31337, RpcAuth.none(), new RpcTimeouts(Duration.ofMillis(500), Duration.ofMillis(300)))) {
            long t0 = System.nanoTime();
            assertThatThrownBy(chain::blockNumber).isInstanceOf(ChainUnavailableException.class);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
        }
    }

    @ParameterizedTest
    @CsvSource({"500", "502", "503", "429"})
    void serverErrorsAndThrottlingAreUnavailable(int status) throws Exception {
        try (FakeNode node = new FakeNode(method -> method.equals("eth_chainId")
                ? FakeNode.Answer.result("\"0x7a69\"") : new FakeNode.Answer(status, "{}"));
             Web3jAnchorChain chain = Web3jAnchorChain.connect(node.url(), REGISTRY, 31337, RpcAuth.none())) {
            assertThatThrownBy(() -> chain.broadcast(new byte[] {2, 1}))
                    .isInstanceOf(ChainUnavailableException.class).hasMessageContaining("HTTP " + status);
        }
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "already known|ALREADY_KNOWN",                                                      // geth
            "transaction already imported|ALREADY_KNOWN",                                       // anvil
            "nonce too low: next nonce 5, tx nonce 4|NONCE_TOO_LOW",                            // geth
            "nonce too low|NONCE_TOO_LOW",                                                      // anvil
            "replacement transaction underpriced|REPLACEMENT_UNDERPRICED",                     // geth, anvil
            "max fee per gas less than block base fee: address 0x1, maxFeePerGas: 1, baseFee: 7|FEE_TOO_LOW", // geth
            "transaction underpriced: tip needed 1, tip permitted 0|FEE_TOO_LOW",              // geth
            "insufficient funds for gas * price + value|FEE_TOO_LOW",                          // geth, anvil
            "execution reverted: custom error 0x3f1b8e8c|REVERTED",                            // anvil
            "execution reverted|REVERTED",                                                      // geth
            "intrinsic gas too low|OTHER"})
    void nodeRefusalsMapToTheirReasons(String message, ChainRejectedException.Reason reason) throws Exception {
        try (FakeNode node = new FakeNode(method -> method.equals("eth_chainId")
                ? FakeNode.Answer.result("\"0x7a69\"") : FakeNode.Answer.error(-32000, message.replace("\"", "")));
             Web3jAnchorChain chain = Web3jAnchorChain.connect(node.url(), REGISTRY, 31337, RpcAuth.none())) {
            assertThatThrownBy(() -> chain.broadcast(new byte[] {2, 1}))
                    .isInstanceOfSatisfying(ChainRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
            assertThatThrownBy(() -> chain.estimateGas(REGISTRY, new AnchorCall(ROOT, 1, "")))
                    .isInstanceOfSatisfying(ChainRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
        }
    }

    @Test
    void signingNeedsNoNodeAndProducesATypeTwoEnvelopeWhoseHashIsKeccakOfItsBytes() {
        // a port nothing listens on: sign() must not touch the network
        try (Web3jAnchorChain chain = Web3jAnchorChain.connect(URI.create("http://127.0.0.1:9"), REGISTRY, 31337,
                RpcAuth.none())) {
            LocalKeySigner signer = LocalKeySigner.fromHex(LocalKeySignerTest.ANVIL_KEY_0);
            var signed = chain.sign(new AnchorTx(BigInteger.ZERO, new Fees(BigInteger.TEN, BigInteger.ONE), 100_000,
                    new AnchorCall(ROOT, 3, "s3://proofs/b1")), signer);
            byte[] raw = signed.raw();
            assertThat(raw[0]).isEqualTo((byte) 0x02);
            assertThat(signed.hash()).isEqualTo("0x" + java.util.HexFormat.of().formatHex(
                    io.waybill.domain.provenance.EthereumAddress.keccak256(raw)));
        }
    }
}
