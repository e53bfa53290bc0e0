package io.waybill.schemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cloud decision with its optional {@code evidenceCommitment} ({@code valid/<type>.decision.json}): valid, closed,
 * and optional (decisions recorded before it existed stay valid).
 */
class DecisionEvidenceCommitmentContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventContract CONTRACT = EventContract.instance();

    private static ObjectNode decisionExample() {
        String resource = "valid/waybill.temperature.breached.v1.decision.json";
        try (InputStream in = DecisionEvidenceCommitmentContractTest.class.getClassLoader()
                .getResourceAsStream(resource)) {
            assertThat(in).as("example %s", resource).isNotNull();
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode commitment(ObjectNode event) {
        return (ObjectNode) event.get("data").get("decision").get("evidenceCommitment");
    }

    @Test
    void aDecisionWithItsEvidenceCommitmentPasses() {
        assertThat(CONTRACT.violations(decisionExample())).isEmpty();
    }

    @Test
    void aDecisionRecordedBeforeCommitmentsStillPasses() {
        ObjectNode event = decisionExample();
        ((ObjectNode) event.get("data").get("decision")).remove("evidenceCommitment");

        assertThat(CONTRACT.violations(event)).isEmpty();
    }

    @Test
    void theDigestIsSixtyFourLowerCaseHexDigits() {
        ObjectNode upper = decisionExample();
        commitment(upper).put("digest", commitment(upper).get("digest").asText().toUpperCase());
        ObjectNode shortDigest = decisionExample();
        commitment(shortDigest).put("digest", "e8f05c3f");

        assertThat(CONTRACT.violations(upper)).anySatisfy(v -> assertThat(v).contains("evidenceCommitment/digest"));
        assertThat(CONTRACT.violations(shortDigest)).anySatisfy(v -> assertThat(v).contains("evidenceCommitment/digest"));
    }

    @Test
    void theCommitmentIsClosedAndComplete() {
        ObjectNode extra = decisionExample();
        commitment(extra).put("salt", "x");
        ObjectNode missing = decisionExample();
        commitment(missing).remove("items");
        ObjectNode negative = decisionExample();
        commitment(negative).put("items", -1);

        assertThat(CONTRACT.violations(extra)).isNotEmpty();
        assertThat(CONTRACT.violations(missing)).isNotEmpty();
        assertThat(CONTRACT.violations(negative)).isNotEmpty();
    }
}
