package io.waybill.anchor;

import io.waybill.domain.provenance.ChainUnavailableException;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.EthereumSignature;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The KMS signer against a KMS stand-in that signs with Bouncy Castle as KMS does (DER, s high or low as it comes).
 * The key is anvil's first dev key, whose address 0xf39F...2266 is published (foundry's docs), not derived here.
 */
class KmsDigestSignerTest {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());
    /** n from SEC 2 section 2.4.1. */
    private static final BigInteger HALF_N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16).shiftRight(1);
    private static final BigInteger D =
            new BigInteger("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", 16);
    private static final ECPoint Q = CURVE.getG().multiply(D).normalize();

    /** KMS as the signer sees it: GetPublicKey and Sign, counting calls, failing on demand. */
    static final class FakeKms implements KmsClient {
        final List<SignRequest> signs = new ArrayList<>();
        int publicKeyCalls;
        RuntimeException failure;

        @Override
        public GetPublicKeyResponse getPublicKey(GetPublicKeyRequest request) {
            publicKeyCalls++;
            if (failure != null) {
                throw failure;
            }
            try {
                byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey,
                        SECObjectIdentifiers.secp256k1), Q.getEncoded(false)).getEncoded("DER");
                return GetPublicKeyResponse.builder().keyId(request.keyId()).publicKey(SdkBytes.fromByteArray(spki))
                        .build();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public SignResponse sign(SignRequest request) {
            signs.add(request);
            if (failure != null) {
                throw failure;
            }
            ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
            signer.init(true, new ECPrivateKeyParameters(D, DOMAIN));
            BigInteger[] rs = signer.generateSignature(request.message().asByteArray()); // s not normalised
            ASN1EncodableVector v = new ASN1EncodableVector();
            v.add(new ASN1Integer(rs[0]));
            v.add(new ASN1Integer(rs[1]));
            try {
                return SignResponse.builder().signature(SdkBytes.fromByteArray(new DERSequence(v).getEncoded("DER")))
                        .build();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public String serviceName() {
            return "kms";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void signsTheDigestAsGivenWithALowSSignatureThatVerifies() throws Exception {
        FakeKms kms = new FakeKms();
        KmsDigestSigner signer = new KmsDigestSigner(kms, "alias/waybill-anchor");
        assertThat(signer.address()).isEqualTo(EthereumAddress.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
        for (int i = 0; i < 40; i++) {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("anchor tx " + i).getBytes());
            EthereumSignature sig = signer.sign(digest);
            SignRequest sent = kms.signs.get(i);
            assertThat(sent.messageType()).isEqualTo(MessageType.DIGEST);
            assertThat(sent.signingAlgorithm()).isEqualTo(SigningAlgorithmSpec.ECDSA_SHA_256);
            assertThat(sent.message().asByteArray()).isEqualTo(digest);
            assertThat(sent.keyId()).isEqualTo("alias/waybill-anchor");
            assertThat(sig.s()).isLessThanOrEqualTo(HALF_N);
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, new ECPublicKeyParameters(Q, DOMAIN));
            assertThat(verifier.verifySignature(digest, sig.r(), sig.s())).isTrue();
        }
        assertThat(kms.publicKeyCalls).isEqualTo(1);
    }

    @Test
    void aThrottledOrFailingKmsMakesTheBatchWait() {
        FakeKms kms = new FakeKms();
        KmsDigestSigner signer = new KmsDigestSigner(kms, "k");
        signer.address();
        kms.failure = KmsException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("ThrottlingException").errorMessage("Rate exceeded").build()).build();
        assertThatThrownBy(() -> signer.sign(new byte[32])).isInstanceOf(ChainUnavailableException.class);
        kms.failure = KmsException.builder().statusCode(500).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("KMSInternalException").errorMessage("internal").build()).build();
        assertThatThrownBy(() -> signer.sign(new byte[32])).isInstanceOf(ChainUnavailableException.class);
        kms.failure = KmsException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("AccessDeniedException").errorMessage("no").build()).build();
        assertThatThrownBy(() -> signer.sign(new byte[32])).isNotInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("AccessDenied");
        assertThatThrownBy(() -> signer.sign(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThat(HexFormat.of().formatHex(new byte[1])).isEqualTo("00");
    }
}
