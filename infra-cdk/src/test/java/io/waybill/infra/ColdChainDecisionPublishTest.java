package io.waybill.infra;

import io.waybill.coldchain.ColdChainSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14: the cold chain's decision events go onto the canonical stream (for the anchorer and partner egress). Both
 * functions that record decisions (the decision function and the breach confirmer) name the stream in the variable
 * ColdChainSettings reads and may put records on it, and nothing more on it than a producer needs.
 */
class ColdChainDecisionPublishTest {
    private static SynthesizedStacks.Synthesized dev;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
    }

    @Test
    void bothDecidingFunctionsNameTheCanonicalStream() {
        Object streamName = Map.of("Ref", dev.logicalId(dev.stack().canonicalEvents().stream()));
        for (var fn : List.of(dev.stack().coldChain().function(), dev.stack().breachConfirmer().function())) {
            assertThat(asMap(asMap(dev.properties(fn).get("Environment")).get("Variables"))).as(dev.logicalId(fn))
                    .containsEntry(ColdChainSettings.ENV_CANONICAL_STREAM_NAME, streamName);
        }
    }

    @Test
    void bothDecidingFunctionsMayPutRecordsOnTheCanonicalStreamWithItsKey() {
        Object stream = Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().canonicalEvents().stream()), "Arn"));
        Object key = Map.of("Fn::GetAtt", List.of(dev.logicalId(dev.stack().canonicalEvents().key()), "Arn"));
        for (var role : List.of(dev.stack().coldChain().role(), dev.stack().breachConfirmer().role())) {
            var statements = dev.policyStatements(role);
            assertThat(IngestServiceTest.actionsOn(statements, stream)).as(dev.logicalId(role))
                    .contains("kinesis:PutRecords").doesNotContain("kinesis:PutRecord", "kinesis:*");
            assertThat(IngestServiceTest.actionsOn(statements, key)).as(dev.logicalId(role))
                    .contains("kms:GenerateDataKey").doesNotContain("kms:Encrypt", "kms:ReEncrypt*", "kms:*");
            // the statement that allows the put names the canonical stream alone
            assertThat(statements).filteredOn(s -> s.actions().contains("kinesis:PutRecords")).singleElement()
                    .satisfies(s -> assertThat(s.resources()).containsExactly(stream));
        }
    }
}
