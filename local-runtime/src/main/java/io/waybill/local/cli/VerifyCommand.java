package io.waybill.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.aws.provenance.DynamoDbEventProofs;
import io.waybill.chain.Web3jAnchorChain;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.provenance.ChainUnavailableException;
import io.waybill.domain.provenance.EventProof;
import io.waybill.domain.provenance.ProofCheck;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./waybill verify EVENT_ID}: an anchored event's proof checked against the chain on a running stack. The event
 * as stored now is hashed again (RFC 8785, id excluded), its Merkle proof walked to the root, the registry asked
 * {@code anchoredAt(root)} and the transaction's receipt fetched ({@link ProofCheck}); the proof and the check are
 * printed as JSON, then a one-line verdict.
 *
 * <p>Exit codes: {@value #VERIFIED} verified; {@value #NOT_VERIFIED} not verified (the event or its proof does not
 * match the chain: tampered); {@value #NOT_ANCHORED} no such event, or it has no proof (not anchored yet, or not
 * selected for anchoring); {@value #CHAIN_UNREACHABLE} the chain did not answer.
 */
final class VerifyCommand {
    static final int VERIFIED = 0;
    static final int NOT_VERIFIED = 1;
    static final int NOT_ANCHORED = 2;
    static final int CHAIN_UNREACHABLE = 3;

    private final DynamoDbClient dynamo;
    private final StackAnchoring anchoring;

    VerifyCommand(DynamoDbClient dynamo, StackAnchoring anchoring) {
        this.dynamo = dynamo;
        this.anchoring = anchoring;
    }

    int run(String eventId, String source, PrintStream out, PrintStream err) {
        // The event store keys events by source#id and has no index by id: a scan filtered on the id (local sizes).
        List<Map<String, AttributeValue>> found = find(eventId, source);
        if (found.isEmpty()) {
            err.println("verify: no event " + eventId + (source == null ? "" : " from " + source) + " in "
                    + anchoring.eventsTable());
            return NOT_ANCHORED;
        }
        if (found.size() > 1) {
            List<String> sources = found.stream().map(i -> i.get("source").s()).sorted().toList();
            err.println("verify: " + found.size() + " events have the id " + eventId + " (sources " + sources
                    + "): choose one with --source");
            return NOT_ANCHORED;
        }
        Map<String, AttributeValue> item = found.get(0);
        Optional<EventProof> proof = new DynamoDbEventProofs(dynamo, anchoring.proofsTable()).find(eventId);
        if (proof.isEmpty()) {
            err.println("verify: event " + eventId + " (" + item.get("type").s() + ", from " + item.get("source").s()
                    + ") has no proof: not anchored yet (a batch closes within 20 s, then 2 confirmations) or not"
                    + " selected for anchoring (custody transfers and the cloud's breach decisions are)");
            return NOT_ANCHORED;
        }
        ObjectNode stored = parse(item.get("eventJson").s());
        ProofCheck check;
        try (Web3jAnchorChain chain = anchoring.connect()) {
            check = ProofCheck.of(stored, proof.get(), chain);
        } catch (ChainUnavailableException e) {
            out.println(pretty(proof.get().toJson()));
            err.println("verify: the chain did not answer (" + UserError.describe(e) + "); the stored proof is above,"
                    + " unchecked: retry when the node at " + anchoring.rpcUrl() + " is up");
            return CHAIN_UNREACHABLE;
        }
        ObjectNode json = check.toJson();
        json.put("source", item.get("source").s());
        json.put("type", item.get("type").s());
        out.println(pretty(json));
        EventProof p = proof.get();
        if (check.verified()) {
            out.printf("VERIFIED: event %s is anchored in root %s, tx %s, block %d of chain %d (%d confirmations)%n",
                    eventId, p.root(), p.receipt().tx(), p.receipt().block(), p.receipt().chainId(),
                    check.confirmations());
            return VERIFIED;
        }
        List<String> failed = new ArrayList<>();
        if (!check.eventUnaltered()) {
            failed.add("the stored event no longer hashes to the anchored leaf (altered)");
        }
        if (!check.proofLeadsToRoot()) {
            failed.add("the proof does not lead to the root");
        }
        if (!check.rootAnchored()) {
            failed.add("the registry does not hold the root at the proof's block");
        }
        if (!check.transactionIncluded()) {
            failed.add("the transaction is not included in the proof's block");
        }
        out.println("NOT VERIFIED: event " + eventId + ": " + String.join("; ", failed));
        return NOT_VERIFIED;
    }

    private List<Map<String, AttributeValue>> find(String eventId, String source) {
        Map<String, String> names = new HashMap<>(Map.of("#id", "eventId"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":id", AttributeValue.fromS(eventId)));
        String filter = "#id = :id";
        if (source != null) {
            names.put("#src", "source");
            values.put(":src", AttributeValue.fromS(source));
            filter += " AND #src = :src";
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.scanPaginator(ScanRequest.builder().tableName(anchoring.eventsTable()).filterExpression(filter)
                        .expressionAttributeNames(names).expressionAttributeValues(values).consistentRead(true).build())
                .items().forEach(items::add);
        return items;
    }

    private static ObjectNode parse(String json) {
        try {
            JsonNode n = CanonicalEventJson.MAPPER.readTree(json);
            if (!(n instanceof ObjectNode o)) {
                throw new IllegalStateException("the stored event is not a JSON object");
            }
            return o;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pretty(JsonNode n) {
        try {
            return CanonicalEventJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
