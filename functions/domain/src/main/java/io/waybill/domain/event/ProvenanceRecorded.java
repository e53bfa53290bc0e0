package io.waybill.domain.event;

/**
 * A batch of events was anchored on a ledger: only the Merkle root goes on chain, never the events.
 *
 * @param batchId         the anchor batch id
 * @param merkleRoot      0x-prefixed 32-byte hex root over the batch's event hashes (SHA-256 leaves)
 * @param eventCount      number of events in the batch
 * @param chainId         EIP-155 chain id
 * @param contractAddress 0x-prefixed 20-byte hex address of the anchor registry
 * @param transactionHash 0x-prefixed 32-byte hex hash of the anchoring transaction
 * @param blockNumber     block the transaction was included in
 */
public record ProvenanceRecorded(String batchId, String merkleRoot, int eventCount, long chainId,
                                 String contractAddress, String transactionHash, long blockNumber)
        implements EventData {
    @Override
    public String subject() {
        return batchId;
    }
}
