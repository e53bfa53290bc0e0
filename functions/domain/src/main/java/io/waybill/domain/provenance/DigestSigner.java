package io.waybill.domain.provenance;

/**
 * The anchoring key: signs a 32-byte digest (an EIP-1559 transaction's signing hash) and never lets the private key
 * out. In AWS an {@code ECC_SECG_P256K1} KMS key ({@code Sign} with {@code MessageType=DIGEST}, the DER result made
 * into r, s, v by {@link EthereumSignature#fromKms}); locally the dev node's key.
 */
public interface DigestSigner {
    /** The signer's Ethereum address (the anchorer the registry authorises). */
    EthereumAddress address();

    /**
     * @param digest exactly 32 bytes, signed as given (not hashed again)
     * @return a low-s signature whose recovery id recovers {@link #address()}
     * @throws ChainUnavailableException when the key service could not be reached (the batch waits, nothing is lost)
     */
    EthereumSignature sign(byte[] digest);
}
