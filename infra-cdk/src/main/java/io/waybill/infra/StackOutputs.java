package io.waybill.infra;

import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.services.sqs.Queue;

/**
 * What other teams get from a stage: one {@code CfnOutput} per value, created directly in the stack so its logical
 * id is the id given here (stable: renaming one breaks its consumers), exported as {@code waybill-<stage>-<name>}
 * for {@code Fn::ImportValue}, each with a description.
 */
final class StackOutputs {
    private StackOutputs() {
    }

    static void addTo(WaybillStack stack) {
        StageConfig config = stack.config();
        var out = new Object() {
            void add(String id, String exportSuffix, String value, String description) {
                CfnOutput.Builder.create(stack, id)
                        .value(value)
                        .exportName(config.resourceName(exportSuffix))
                        .description(description)
                        .build();
            }

            void queue(String id, String exportSuffix, Queue queue, String what) {
                add(id + "Url", exportSuffix + "-url", queue.getQueueUrl(), what + ": queue URL");
                add(id + "Arn", exportSuffix + "-arn", queue.getQueueArn(), what + ": queue ARN");
            }
        };
        out.add("TelemetryStreamName", "telemetry-stream-name", stack.telemetry().stream().getStreamName(),
                "Kinesis stream of the stage's device telemetry (the IoT rule's target, both consumers' source)");
        out.add("TelemetryStreamArn", "telemetry-stream-arn", stack.telemetry().stream().getStreamArn(),
                "ARN of the telemetry stream");
        out.add("TelemetryStreamKeyArn", "telemetry-stream-key-arn", stack.telemetry().key().getKeyArn(),
                "KMS key of the telemetry stream (a producer needs kms:GenerateDataKey, a consumer kms:Decrypt)");
        out.add("CanonicalStreamName", "canonical-stream-name", stack.canonicalEvents().stream().getStreamName(),
                "Kinesis stream of canonical events (every stored event, partitioned by shipment): what consumers read");
        out.add("CanonicalStreamArn", "canonical-stream-arn", stack.canonicalEvents().stream().getStreamArn(),
                "ARN of the canonical event stream");
        out.add("CanonicalStreamKeyArn", "canonical-stream-key-arn", stack.canonicalEvents().key().getKeyArn(),
                "KMS key of the canonical event stream (a consumer needs kms:Decrypt)");
        out.add("RawArchiveBucketName", "raw-archive-bucket-name", stack.rawArchive().bucket().getBucketName(),
                "S3 bucket of the raw archive: every telemetry record, one per line in GZIP objects under raw/ "
                        + "(./waybill backfill reads it)");
        out.add("DeadLetterBucketName", "dead-letter-bucket-name", stack.deadLetterPayloads().bucket().getBucketName(),
                "S3 bucket of dead-letter payloads too large for SQS (the dead letter carries the object's key)");
        out.queue("IngestDeadLetters", "ingest-dead-letters", stack.deadLetters().ingestDeadLetters(),
                "Records the ingest function rejected, with reason and raw payload (./waybill replay-dlq --queue-url)");
        out.queue("IngestFailedBatches", "ingest-failed-batches", stack.deadLetters().failedBatches(),
                "Ingest event source mapping's on-failure destination (batch metadata)");
        out.queue("IotRuleErrors", "iot-rule-errors", stack.deadLetters().iotRuleErrors(),
                "The telemetry topic rule's error action (IoT Core's error JSON)");
        out.queue("ColdChainFailedBatches", "coldchain-failed-batches", stack.deadLetters().coldChainFailedBatches(),
                "Cold-chain event source mapping's on-failure destination (batch metadata)");
        out.add("EventsTableName", "events-table-name", stack.eventStore().events().getTableName(),
                "DynamoDB event store: one item per canonical event (append-only)");
        out.add("ShipmentsTableName", "shipments-table-name", stack.eventStore().shipments().getTableName(),
                "DynamoDB shipment projection: each shipment's current state");
        out.add("ExposureTableName", "exposure-table-name", stack.coldChainStore().exposure().getTableName(),
                "DynamoDB cold-chain evidence and each shipment's standing");
        out.add("IncidentsTableName", "incidents-table-name", stack.coldChainStore().incidents().getTableName(),
                "DynamoDB shipment exceptions (one per breach)");
        out.add("ComplianceTableName", "compliance-table-name", stack.coldChainStore().compliance().getTableName(),
                "DynamoDB compliance records (decision event and its SHA-256)");
        out.add("DeviceRegistryTableName", "device-registry-table-name",
                stack.deviceRegistry().table().getTableName(),
                "DynamoDB device registry: profiles (adapter, status, public keys), shipment assignments, signature "
                        + "sequences (./waybill devices ... --stage)");
        out.add("TelemetryTopicPrefix", "telemetry-topic-prefix", IotIngress.telemetryTopicPrefix(config.stage()),
                "MQTT topic prefix of the stage's device telemetry: devices publish on <prefix><adapter>/<thingName>");
        out.add("TelemetryRuleName", "telemetry-rule-name", stack.iot().rule().getRuleName(),
                "AWS IoT topic rule that puts the stage's telemetry on the stream");
        out.add("ThingTypeName", "thing-type-name", stack.iot().thingType().getThingTypeName(),
                "AWS IoT thing type of the stage's devices");
        out.add("DevicePolicyName", "device-policy-name", stack.iot().devicePolicy().getPolicyName(),
                "AWS IoT policy for a device certificate: connect as its thing, publish its own telemetry");
        out.add("ProvisioningTemplateName", "provisioning-template-name",
                stack.deviceProvisioning().template().getTemplateName(),
                "AWS IoT fleet provisioning template (by claim): registered ACTIVE devices only, adapter from the registry");
        out.add("ProvisioningClaimPolicyName", "provisioning-claim-policy-name",
                stack.deviceProvisioning().claimPolicy().getPolicyName(),
                "AWS IoT policy for the fleet's claim certificate: CSR exchange and RegisterThing on the template only");
        out.add("EdgeThingGroupName", "edge-thing-group-name", stack.edgeThingGroup().name(),
                "Thing group of the stage's Greengrass core devices, target of the edge deployment");
        out.add("EdgeThingGroupArn", "edge-thing-group-arn", stack.edgeThingGroup().arn(),
                "ARN of the edge thing group");
        out.add("GreengrassRoleAliasName", "greengrass-role-alias-name",
                stack.tokenExchangeRole().roleAlias().getRoleAlias(),
                "IoT role alias a Greengrass core's nucleus is configured with (iotRoleAlias)");
        out.add("OpsApiUrl", "ops-api-url", stack.opsApi().url(),
                "URL of the operations API ($default stage): send a Cognito access token as Authorization: Bearer");
        out.add("OpsUserPoolId", "ops-user-pool-id", stack.opsApi().userPool().getUserPoolId(),
                "Cognito user pool of the stage's operations staff (scopes waybill/ops.read, waybill/ops.write)");
        out.add("OpsUserPoolClientId", "ops-user-pool-client-id", stack.opsApi().client().getUserPoolClientId(),
                "Cognito app client of the ops API (public, authorization code grant with PKCE)");
        out.add("OpsAuthUrl", "ops-auth-url", stack.opsApi().domain().baseUrl(),
                "Cognito domain of the ops user pool: /oauth2/authorize and /oauth2/token issue the scoped access tokens");
        out.add("GreengrassCorePolicyName", "greengrass-core-policy-name",
                stack.tokenExchangeRole().corePolicy().getPolicyName(),
                "AWS IoT policy for a Greengrass core's certificate (assume the token exchange role alias)");
        stack.partners().ifPresent(partners -> {
            out.add("PartnerBusName", "partner-bus-name", partners.bus().getRef(),
                    "EventBridge bus partners put their events on (PutEvents only from the configured accounts)");
            out.add("PartnerBusArn", "partner-bus-arn", partners.bus().getAttrArn(),
                    "ARN of the partner bus (what a partner's PutEvents names as EventBusName)");
            out.add("PartnerArchiveName", "partner-archive-name", partners.archive().getRef(),
                    "Archive of every partner bus event, for aws events start-replay after a receiver or adapter "
                            + "is fixed");
            out.add("PartnerTableName", "partner-table-name", partners.table().getTableName(),
                    "DynamoDB partner directory, shipment parties and egress ledger");
        });
        out.add("EpcisTableName", "epcis-table-name", stack.epcis().table().getTableName(),
                "DynamoDB EPCIS 2.0 repository behind the ops API's EPCIS capture and query routes");
        stack.forecasting().ifPresent(forecasting -> {
            out.add("ForecastEndpointName", "forecast-endpoint-name", forecasting.endpointName(),
                    "SageMaker endpoint of the demand forecast model (DeepAR's JSON inference format; "
                            + "sagemaker-runtime InvokeEndpoint)");
            out.add("DemandTableName", "demand-table-name", forecasting.demand().getTableName(),
                    "DynamoDB demand history: daily demand per SKU and location from canonical events");
            out.add("ForecastTableName", "forecast-table-name", forecasting.forecasts().getTableName(),
                    "DynamoDB forecasts: quantiles, model name and version, reorder recommendations");
        });
        stack.anchoring().ifPresent(anchoring -> {
            out.add("AnchorRegistryAddress", "anchor-registry-address", anchoring.anchoring().registry(),
                    "AnchorRegistry contract the stage anchors to (chain id " + anchoring.anchoring().chainId()
                            + "); a partner checks a proof's root with its anchoredAt(root)");
            out.add("AnchorSignerKeyId", "anchor-signer-key-id", anchoring.signerKey().getKeyId(),
                    "KMS key (ECC_SECG_P256K1) whose Ethereum address is the registry's authorised anchorer");
            out.add("AnchorSignerKeyArn", "anchor-signer-key-arn", anchoring.signerKey().getKeyArn(),
                    "ARN of the anchor signer key (kms:GetPublicKey gives the address to authorise)");
            out.add("ProofsTableName", "proofs-table-name", anchoring.proofs().getTableName(),
                    "DynamoDB proofs: one per anchored event (root, Merkle proof, tx, block, chain id, contract)");
            out.add("AnchorLedgerTableName", "anchor-ledger-table-name", anchoring.ledger().getTableName(),
                    "DynamoDB anchor ledger: queued events, batches, nonces and signed transactions");
            anchoring.ambNode().ifPresent(node -> out.add("AnchorNodeId", "anchor-node-id", node.getAttrNodeId(),
                    "Amazon Managed Blockchain Ethereum node (mainnet) the stage anchors through (SigV4)"));
        });
    }
}
