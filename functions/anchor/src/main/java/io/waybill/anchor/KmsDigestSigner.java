package io.waybill.anchor;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.provenance.ChainUnavailableException;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.EthereumSignature;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

import java.util.Objects;

/**
 * The anchoring key in AWS KMS ({@code ECC_SECG_P256K1}): the private key never leaves KMS. The public key is fetched
 * once, lazily ({@code GetPublicKey}); each digest is signed as given ({@code MessageType=DIGEST},
 * {@code ECDSA_SHA_256}: KMS does not hash it again) and the DER result made into a low-s Ethereum signature with its
 * recovery id ({@link EthereumSignature#fromKms}). Web3j's {@code HSMAwsKMSRequestProcessor} is not used: it hashes
 * the digest again and never normalises s. A throttle, a timeout or a 5xx from KMS is a
 * {@link ChainUnavailableException}: the batch waits for the next pass; an access or key-state error is permanent
 * and thrown as classified.
 */
public final class KmsDigestSigner implements DigestSigner {
    private final KmsClient kms;
    private final String keyId;
    private volatile byte[] publicKeyInfo;
    private volatile EthereumAddress address;

    public KmsDigestSigner(KmsClient kms, String keyId) {
        this.kms = Objects.requireNonNull(kms, "kms");
        this.keyId = Objects.requireNonNull(keyId, "keyId");
    }

    @Override
    public EthereumAddress address() {
        EthereumAddress a = address;
        if (a == null) {
            synchronized (this) {
                if (address == null) {
                    byte[] der = call("GetPublicKey", () -> kms.getPublicKey(b -> b.keyId(keyId)).publicKey()
                            .asByteArray());
                    publicKeyInfo = der;
                    address = EthereumAddress.ofSubjectPublicKeyInfo(der);
                }
                a = address;
            }
        }
        return a;
    }

    @Override
    public EthereumSignature sign(byte[] digest) {
        if (digest == null || digest.length != 32) {
            throw new IllegalArgumentException("a digest to sign is 32 bytes");
        }
        EthereumAddress signer = address();
        byte[] der = call("Sign", () -> kms.sign(b -> b.keyId(keyId).message(SdkBytes.fromByteArray(digest))
                .messageType(MessageType.DIGEST).signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))
                .signature().asByteArray());
        return EthereumSignature.fromKms(digest, der, signer);
    }

    private <T> T call(String operation, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (SdkException e) {
            RuntimeException classified = DependencyFailures.classify("KMS " + operation + " " + keyId, e);
            if (classified instanceof TransientDependencyException) {
                throw new ChainUnavailableException("KMS " + operation + " did not answer: " + e.getMessage(), e);
            }
            throw classified;
        }
    }
}
