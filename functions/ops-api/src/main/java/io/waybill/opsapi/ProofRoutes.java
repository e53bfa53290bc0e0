package io.waybill.opsapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.ingestion.StoredEventLookup;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.ChainUnavailableException;
import io.waybill.domain.provenance.EventProof;
import io.waybill.domain.provenance.EventProofs;
import io.waybill.domain.provenance.ProofCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /events/{eventId}/proof?source=...}: an anchored event's proof for people (exactly what
 * {@code StandardMerkleTree.verify(root, leafEncoding, leaf, proof)} takes, plus chain id, contract, transaction and
 * block) followed by {@code "check"}: the event as stored now hashed again, the proof walked to the root, the
 * registry's {@code anchoredAt(root)} and the transaction's receipt asked of the chain now ({@link ProofCheck}).
 *
 * <p>The event store keys an event by CloudEvents {@code source} + {@code id}, so the route takes the source as a
 * query parameter (the history route lists both); the proofs table keys by the id alone.
 *
 * <ul>
 *   <li>200: the proof and the check; {@code check.verified} false when anything does not match (a tampered event)</li>
 *   <li>404 {@code not-found}: no such event; 404 {@code not-anchored}: the event exists but has no proof (not
 *       anchored yet, or not selected for anchoring); 404 {@code anchoring-off}: this stage does not anchor</li>
 *   <li>503: the chain did not answer; the body still carries the stored proof under {@code "proof"}</li>
 * </ul>
 */
public final class ProofRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    public static final String ROOT = "events";
    /** CloudEvents sources are URNs of a few dozen characters; longer text is refused. */
    static final int MAX_SOURCE = 512;
    /** Event ids: a message id, a sequence number or a hash. */
    static final int MAX_EVENT_ID = 256;
    private static final Logger LOG = LoggerFactory.getLogger(ProofRoutes.class);

    private final EventProofs proofs;
    private final StoredEventLookup events;
    private final Supplier<AnchorChain> chain;

    /**
     * @param chain builds the chain adapter on the first check that needs it, once (a build that throws is tried again
     *              on the next request); null when anchoring is off in this stage
     */
    public ProofRoutes(EventProofs proofs, StoredEventLookup events, Supplier<AnchorChain> chain) {
        this.proofs = proofs;
        this.events = events;
        this.chain = chain == null ? null : new LazyRouteFamily.Once<>(chain);
        if (chain != null) {
            Objects.requireNonNull(proofs, "proofs");
            Objects.requireNonNull(events, "events");
        }
    }

    /** The routes of a stage that does not anchor: every proof request is a 404 saying so. */
    public static ProofRoutes off() {
        return new ProofRoutes(null, null, null);
    }

    @Override
    public String root() {
        return ROOT;
    }

    @Override
    public ApiResponse route(Call call) {
        if (call.size() != 3 || !call.segment(2).equals("proof")) {
            return null;
        }
        call.allow("GET", Caller.READ);
        String eventId = call.decoded(1, "eventId");
        if (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID) {
            throw Problem.invalidParam("eventId", "1 to " + MAX_EVENT_ID + " characters");
        }
        String source = call.query().text("source", MAX_SOURCE);
        if (source == null || source.isBlank()) {
            throw Problem.invalidParam("source", "required: the event store keys events by CloudEvents source and id");
        }
        if (chain == null) {
            throw anchoringOff();
        }
        ObjectNode stored = events.storedJson(source + "#" + eventId).map(ProofRoutes::parse)
                .orElseThrow(() -> Problem.notFound("no event " + eventId + " from " + source));
        Optional<EventProof> proof = proofs.find(eventId);
        if (proof.isEmpty()) {
            throw new Problem(404, "not-anchored", "Not anchored", "event " + eventId
                    + " has no proof: not anchored yet or not selected for anchoring", null, null);
        }
        try {
            return call.ok(ProofCheck.of(stored, proof.get(), chain.get()).toJson());
        } catch (ChainUnavailableException e) {
            LOG.warn("chain did not answer checking the proof of {}: {}", eventId, e.getMessage());
            throw Problem.unavailable("the chain did not answer; the stored proof is under proof, unchecked; retry "
                    + "later").with("proof", proof.get().toJson());
        }
    }

    static Problem anchoringOff() {
        return new Problem(404, "anchoring-off", "Anchoring off", "provenance anchoring is off in this stage: no "
                + "event has a proof", null, null);
    }

    private static ObjectNode parse(String json) {
        try {
            JsonNode n = CanonicalEventJson.MAPPER.readTree(json);
            if (!(n instanceof ObjectNode o)) {
                throw new IllegalStateException("a stored event is not a JSON object");
            }
            return o;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored event is not JSON", e);
        }
    }
}
