package io.waybill.domain.provenance;

import java.util.List;
import java.util.Optional;

/** The per-event proofs of confirmed anchors (DynamoDB in AWS and locally), read by the ops API and the CLI. */
public interface EventProofs {
    /**
     * Stores the proofs of one confirmed batch. Idempotent: a redelivered write stores the same items; a batch
     * re-anchored after a reorganisation overwrites its own events' proofs with the new transaction and block.
     *
     * @throws io.waybill.domain.ingestion.TransientDependencyException when the store could not answer
     */
    void putAll(List<EventProof> proofs);

    /** The event's proof, empty while the event is not (yet) anchored or was never selected. */
    Optional<EventProof> find(String eventId);
}
