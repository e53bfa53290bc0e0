package io.waybill.infra;

import io.waybill.aws.deadletter.DeadLetterDeskTables;
import io.waybill.aws.deadletter.DynamoDbDeadLetterDesk;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static io.waybill.infra.SynthesizedStacks.attributeTypes;
import static io.waybill.infra.SynthesizedStacks.keyTypes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dead-letter desk table ({@link DeadLetterPayloads#desk()}): the ledger conventions, the same keys as the
 * functions' table definition, the ingest function's one write and the ops API's reads, claims and re-drives.
 */
class DeadLetterDeskTest {
    private final SynthesizedStacks.Synthesized dev = SynthesizedStacks.dev();
    private final Map<String, Object> desk = dev.properties(dev.stack().deadLetterDesk().table());

    @Test
    void theDeskIsALedgerTableOnDemandWithPitrAndTheDeadLettersKey() {
        String key = dev.logicalId(dev.stack().deadLetterDesk().key());
        assertThat(desk).containsEntry("TableName", "waybill-dev-dead-letters")
                .containsEntry("BillingMode", "PAY_PER_REQUEST")
                .containsEntry("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))
                .containsEntry("SSESpecification", Map.of("SSEEnabled", true, "SSEType", "KMS",
                        "KMSMasterKeyId", Map.of("Fn::GetAtt", List.of(key, "Arn"))));
    }

    @Test
    void theDeskDeclaresTheSameKeysAsTheFunctionsTableDefinition() {
        CreateTableRequest local = DeadLetterDeskTables.desk("desk");
        assertThat(attributeTypes(desk)).isEqualTo(local.attributeDefinitions().stream()
                .collect(Collectors.toMap(a -> a.attributeName(), a -> a.attributeTypeAsString())));
        assertThat(keyTypes(asList(desk.get("KeySchema")))).isEqualTo(Map.of(DynamoDbDeadLetterDesk.ID, "HASH"));
        Map<String, Object> gsi = asMap(asList(desk.get("GlobalSecondaryIndexes")).get(0));
        assertThat(gsi).containsEntry("IndexName", DynamoDbDeadLetterDesk.BY_REASON_INDEX)
                .containsEntry("Projection", Map.of("ProjectionType", "ALL"));
        assertThat(keyTypes(asList(gsi.get("KeySchema")))).isEqualTo(Map.of(DynamoDbDeadLetterDesk.REASON, "HASH",
                DynamoDbDeadLetterDesk.DEAD_LETTERED_AT, "RANGE"));
    }

    @Test
    void ingestOnlyPutsAndTheOpsApiReadsClaimsAndMarks() {
        String deskId = dev.logicalId(dev.stack().deadLetterDesk().table());
        Set<String> ingest = dev.policyStatements(dev.stack().ingest().role()).stream()
                .filter(s -> s.resources().toString().contains(deskId))
                .flatMap(s -> s.actions().stream()).collect(Collectors.toSet());
        assertThat(ingest).containsExactly("dynamodb:PutItem");
        Set<String> ops = dev.policyStatements(dev.stack().opsApi().role()).stream()
                .filter(s -> s.resources().toString().contains(deskId))
                .flatMap(s -> s.actions().stream()).collect(Collectors.toSet());
        assertThat(ops).containsExactlyInAnyOrder("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Scan",
                "dynamodb:Query");
        String stream = dev.logicalId(dev.stack().telemetry().stream());
        assertThat(dev.policyStatements(dev.stack().opsApi().role()).stream()
                .filter(s -> s.resources().toString().contains(stream))
                .flatMap(s -> s.actions().stream()).collect(Collectors.toSet())).containsExactly("kinesis:PutRecords");
    }

    @Test
    void bothFunctionsAreToldTheDesk() {
        Map<String, String> ref = Map.of("Ref", dev.logicalId(dev.stack().deadLetterDesk().table()));
        Map<String, Object> ingestEnv = asMap(asMap(dev.properties(dev.stack().ingest().function())
                .get("Environment")).get("Variables"));
        assertThat(ingestEnv).containsEntry(io.waybill.ingest.IngestConfig.ENV_DEAD_LETTER_TABLE, ref);
        Map<String, Object> opsEnv = asMap(asMap(dev.properties(dev.stack().opsApi().function())
                .get("Environment")).get("Variables"));
        assertThat(opsEnv).containsEntry(io.waybill.opsapi.DeadLetterDeskSettings.ENV_DEAD_LETTER_TABLE, ref)
                .containsEntry(io.waybill.opsapi.DeadLetterDeskSettings.ENV_INGEST_STREAM_NAME,
                        Map.of("Ref", dev.logicalId(dev.stack().telemetry().stream())));
    }
}
