package io.waybill.chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

import io.waybill.domain.provenance.EthereumAddress;

/**
 * Each JSON-RPC POST carries a SigV4 signature for service managedblockchain. The oracle is a SigV4 computation written
 * here from the AWS documentation ("Create a signed AWS API request": canonical request, string to sign, derived key),
 * applied to the request exactly as the server received it; no AWS endpoint is involved.
 */
class SigV4InterceptorTest {

    private static final String ACCESS_KEY = "AKIDEXAMPLE";
    private static final String SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"; // AWS's documentation example

    @Test
    void everyJsonRpcPostIsSignedForManagedBlockchainAndTheSignatureVerifies() throws Exception {
        try (FakeNode node = new FakeNode(method -> switch (method) {
            case "eth_chainId" -> FakeNode.Answer.result("\"0x1\"");
            case "eth_blockNumber" -> FakeNode.Answer.result("\"0x10\"");
            default -> FakeNode.Answer.error(-32601, "method not found");
        }); Web3jAnchorChain chain = Web3jAnchorChain.connect(node.url(),
                EthereumAddress.parse("0x" + "11".repeat(20)), 1,
                RpcAuth.sigV4(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)),
                        Region.US_EAST_1))) {

            assertThat(chain.blockNumber()).isEqualTo(16);

            assertThat(node.requests).hasSize(2); // eth_chainId (the chain check), then eth_blockNumber
            for (FakeNode.Captured request : node.requests) {
                String amzDate = request.header("X-Amz-Date");
                assertThat(amzDate).matches("\\d{8}T\\d{6}Z");
                String authorization = request.header("Authorization");
                assertThat(authorization).startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/"
                        + amzDate.substring(0, 8) + "/us-east-1/managedblockchain/aws4_request, SignedHeaders=");
                assertThat(authorization).isEqualTo(expectedAuthorization(request, amzDate));
            }
        }
    }

    @Test
    void noAuthSendsNoAuthorizationHeader() throws Exception {
        try (FakeNode node = new FakeNode(method -> method.equals("eth_chainId") ? FakeNode.Answer.result("\"0x1\"")
                : FakeNode.Answer.result("\"0x10\""));
             Web3jAnchorChain chain = Web3jAnchorChain.connect(node.url(),
                     EthereumAddress.parse("0x" + "11".repeat(20)), 1, RpcAuth.none())) {
            chain.blockNumber();
            assertThat(node.requests).allSatisfy(r -> {
                assertThat(r.header("Authorization")).isNull();
                assertThat(r.header("X-Amz-Date")).isNull();
            });
        }
    }

    /** SigV4 by hand, from the signed header names the request lists and the values the server received. */
    private static String expectedAuthorization(FakeNode.Captured request, String amzDate) throws Exception {
        String authorization = request.header("Authorization");
        String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        List<String> names = Arrays.asList(signedHeaders.split(";"));
        assertThat(names).contains("host", "x-amz-date");
        String canonicalHeaders = names.stream()
                .map(n -> n + ":" + request.header(n).trim() + "\n").collect(Collectors.joining());
        String canonicalRequest = request.method() + "\n" + request.path() + "\n" + "" + "\n" + canonicalHeaders
                + "\n" + signedHeaders + "\n" + hex(sha256(request.body()));
        String date = amzDate.substring(0, 8);
        String scope = date + "/us-east-1/managedblockchain/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, "us-east-1");
        key = hmac(key, "managedblockchain");
        key = hmac(key, "aws4_request");
        String signature = hex(hmac(key, stringToSign));
        return "AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/" + scope + ", SignedHeaders=" + signedHeaders
                + ", Signature=" + signature;
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes).toLowerCase(Locale.ROOT);
    }
}
