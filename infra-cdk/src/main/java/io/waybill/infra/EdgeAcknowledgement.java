package io.waybill.infra;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.EventSourceMappingOptions;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Storage confirmations to the edge devices (issue 12, "edge durability end to end"): the functions of
 * {@code functions/edge-acknowledgement} that tell each edge device, on {@code cmd/waybill/<stage>/<thing>/stored},
 * which of its messages it may forget from its spool.
 * <ul>
 * <li>{@code waybill-<stage>-edge-acknowledgement} ({@code EdgeAcknowledgementHandler}): a consumer of the
 * {@link CanonicalEventStream} like the cold-chain and KPI consumers ({@link StreamConsumer}: ReportBatchItemFailures,
 * retried until the record age, batches given up to {@code …-edge-acknowledgement-failed-batches}); it publishes the
 * sequences of the stored events of the {@code waybill-edge} adapter;</li>
 * <li>{@code waybill-<stage>-edge-settlement} ({@code DeadLetterSettlementHandler}, same jar): reads the settlement
 * notices ingest sends for each dead-lettered edge message once its letter is kept ({@link DeadLetterQueues#edgeSettlements()},
 * ReportBatchItemFailures; a notice failed {@value DeadLetterQueues#SETTLEMENT_MAX_RECEIVES} times goes to
 * {@code …-edge-settlements-failed}) and publishes those sequences the same way: a message the cloud refused is kept in
 * the dead-letter queue and the raw archive, so the device may forget it instead of sending it every two minutes for
 * ever.</li>
 * </ul>
 * Both publish through the IoT data plane and may {@code iot:Publish} only on {@code topic/cmd/waybill/<stage>/*}{@code
 * /stored} (their own stage's confirmation topics), and {@code iot:DescribeEndpoint} (no resource-level permissions):
 * the account's data endpoint is not a CloudFormation attribute, so each function finds it once per execution
 * environment ({@code IotEndpointDiscovery}). No table.
 */
public final class EdgeAcknowledgement extends Construct {
    public static final String HANDLER = "io.waybill.edgeack.EdgeAcknowledgementHandler::handleRequest";
    public static final String SETTLEMENT_HANDLER = "io.waybill.edgeack.DeadLetterSettlementHandler::handleRequest";
    public static final String ALIAS_NAME = IngestService.ALIAS_NAME;
    /** Small work per batch: group sequences, one HTTPS publish per device of the batch. */
    public static final int MEMORY_MB = 512;
    public static final Duration TIMEOUT = Duration.seconds(60);
    /** The settlement function's timeout, in seconds (the notices queue's visibility timeout is six times it). */
    public static final int SETTLEMENT_TIMEOUT_SECONDS = 30;
    /** Notices per settlement invocation (SQS' largest batch without a batching window). */
    public static final int SETTLEMENT_BATCH_SIZE = 10;
    /**
     * One batch per shard at a time: confirmations are idempotent, so more would be safe, but one is enough for one
     * small publish per device per batch.
     */
    public static final int PARALLELIZATION_FACTOR = 1;
    public static final String METRICS_SERVICE = "edge-acknowledgement";
    public static final String SETTLEMENT_METRICS_SERVICE = "edge-settlement";
    public static final String METRICS_NAMESPACE = "Waybill";
    /** The function's stage ({@code EdgeAcknowledgementConfig}). */
    public static final String ENV_STAGE = "STAGE";
    /** What Lambda's documentation lists for an SQS event source's execution role. */
    static final List<String> QUEUE_CONSUMER_ACTIONS = List.of("sqs:ReceiveMessage", "sqs:DeleteMessage",
            "sqs:GetQueueAttributes");

    private final Function function;
    private final Alias alias;
    private final Role role;
    private final Function settlementFunction;
    private final Alias settlementAlias;
    private final Role settlementRole;
    private final String confirmationTopicArn;

    public EdgeAcknowledgement(Construct scope, String id, StageConfig config, Path jar, CanonicalEventStream stream,
                               DeadLetterQueues queues) {
        super(scope, id);
        this.confirmationTopicArn = confirmationTopicArn(config.stage());

        Construct confirmations = new Construct(this, "Confirmations");
        JavaFunction stored = JavaFunction.in(confirmations, config.resourceName("edge-acknowledgement"))
                .roleDescription("Waybill " + config.stage() + " edge acknowledgement function")
                .description("Canonical event stream -> per edge device, the sequences stored -> "
                        + "cmd/waybill/" + config.stage() + "/<thing>/stored")
                .handler(HANDLER)
                .code(jar, "functions/edge-acknowledgement")
                .memoryMb(MEMORY_MB)
                .timeout(TIMEOUT)
                .snapStartAlias(ALIAS_NAME)
                .environment(environment(config, METRICS_SERVICE))
                .build();
        this.function = stored.function();
        this.alias = stored.alias();
        this.role = stored.role();
        allowConfirmations(role);
        StreamConsumer.attach(alias, stream, queues.edgeAcknowledgementFailedBatches(), queues.key(),
                PARALLELIZATION_FACTOR);

        Construct settlements = new Construct(this, "Settlements");
        JavaFunction settled = JavaFunction.in(settlements, config.resourceName("edge-settlement"))
                .roleDescription("Waybill " + config.stage() + " edge settlement function")
                .description("Dead-lettered edge messages (ingest's notices) -> cmd/waybill/" + config.stage()
                        + "/<thing>/stored")
                .handler(SETTLEMENT_HANDLER)
                .code(jar, "functions/edge-acknowledgement")
                .memoryMb(MEMORY_MB)
                .timeout(Duration.seconds(SETTLEMENT_TIMEOUT_SECONDS))
                .snapStartAlias(ALIAS_NAME)
                .environment(environment(config, SETTLEMENT_METRICS_SERVICE))
                .build();
        this.settlementFunction = settled.function();
        this.settlementAlias = settled.alias();
        this.settlementRole = settled.role();
        allowConfirmations(settlementRole);
        // The mapping as CDK's SqsEventSource renders it, with its grants written out (SqsEventSource's
        // grantConsumeMessages adds ChangeMessageVisibility, GetQueueUrl and a key grant without kms:ViaService).
        settlementAlias.addEventSourceMapping("SqsEventSource", EventSourceMappingOptions.builder()
                .eventSourceArn(queues.edgeSettlements().getQueueArn())
                .batchSize(SETTLEMENT_BATCH_SIZE)
                .reportBatchItemFailures(true)
                .build());
        settlementRole.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(QUEUE_CONSUMER_ACTIONS)
                .resources(List.of(queues.edgeSettlements().getQueueArn()))
                .build());
        KeyUse.allow(settlementAlias, queues.key(), KeyUse.SQS, "kms:Decrypt");
    }

    /**
     * {@code arn:<partition>:iot:<region>:<account>:topic/cmd/waybill/<stage>/*}{@code /stored}: the stage's
     * confirmation topics, one per device.
     */
    static String confirmationTopicArn(String stage) {
        return "arn:" + Aws.PARTITION + ":iot:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":topic/"
                + IotIngress.confirmationTopicPrefix(stage) + "*/stored";
    }

    private static Map<String, String> environment(StageConfig config, String service) {
        return Map.of(
                ENV_STAGE, config.stage(),
                "POWERTOOLS_SERVICE_NAME", service,
                "POWERTOOLS_METRICS_NAMESPACE", METRICS_NAMESPACE);
    }

    private void allowConfirmations(IGrantable grantee) {
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("iot:Publish"))
                .resources(List.of(confirmationTopicArn))
                .build());
        grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("iot:DescribeEndpoint"))
                .resources(List.of("*"))
                .build());
    }

    public Function function() {
        return function;
    }

    public Alias alias() {
        return alias;
    }

    public Role role() {
        return role;
    }

    public Function settlementFunction() {
        return settlementFunction;
    }

    public Alias settlementAlias() {
        return settlementAlias;
    }

    public Role settlementRole() {
        return settlementRole;
    }
}
