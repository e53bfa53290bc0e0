package io.waybill.local.pipeline;

import io.waybill.domain.normalize.NormalizerConfig;
import io.waybill.aws.coldchain.SqsIncidentNotifier;
import io.waybill.coldchain.ColdChainFunction;
import io.waybill.coldchain.ColdChainHandler;
import io.waybill.aws.kpi.DynamoDbKpiAggregates;
import io.waybill.aws.ops.DynamoDbConsumerWatermarks;
import io.waybill.kpi.KpiAggregatorHandler;
import io.waybill.coldchain.ColdChainSettings;
import io.waybill.coldchain.ColdChainTelemetry;
import io.waybill.aws.coldchain.ColdChainTables;
import io.waybill.aws.deadletter.DeadLetterDeskTables;
import io.waybill.aws.devices.DeviceRegistryTables;
import io.waybill.aws.devices.DynamoDbDeviceRegistry;
import io.waybill.ingest.IngestConfig;
import io.waybill.ingest.IngestFunction;
import io.waybill.ingest.IngestHandler;
import io.waybill.ingest.IngestTelemetry;
import io.waybill.aws.eventstore.DynamoDbShipmentStateStore;
import io.waybill.aws.eventstore.EventStoreTables;
import io.waybill.aws.eventstore.ShipmentItem;
import io.waybill.local.AwsClients;
import io.waybill.local.AwsEndpoints;
import io.waybill.local.archive.ArchiveDeliveryConfig;
import io.waybill.local.archive.LocalArchiveDelivery;
import io.waybill.local.esm.EventSourceMappingConfig;
import io.waybill.local.esm.KinesisEventSourceMapping;
import io.waybill.local.esm.StreamEventSourceMapping;
import io.waybill.local.kcl.KclEventSourceMapping;
import io.waybill.local.stack.StackResources;
import io.waybill.domain.projection.ShipmentState;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueAttributesRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest pipeline deployed on any AWS-compatible back end (the local emulators or LocalStack): stream, tables,
 * queues, the {@link IngestHandler} — the class Lambda runs — and a Kinesis event source mapping driving it (plain
 * GetRecords by default, or the Kinesis Client Library: {@link Builder#consumer(Consumer)}). The same object
 * publishes records the way the IoT rule does and reads back what the pipeline made of them.
 */
public final class LocalPipeline implements AutoCloseable {
    /** Kinesis PutRecords takes at most 500 records a call. */
    public static final int MAX_PUT_RECORDS = 500;
    /** Suffix of the KCL application name (and lease table) after the stream name. */
    public static final String KCL_APPLICATION_SUFFIX = "-ingest";

    /** How the event source mapping reads the stream; both apply Lambda's batch semantics the same way. */
    public enum Consumer {
        /** {@link KinesisEventSourceMapping}: GetShardIterator/GetRecords, checkpoints in memory (the default). */
        GET_RECORDS,
        /**
         * {@link KclEventSourceMapping}: the Kinesis Client Library, application (and lease table) named
         * {@code <stream>}{@value #KCL_APPLICATION_SUFFIX}; a few seconds of start-up before the first record.
         */
        KCL
    }

    private final AwsClients clients;
    private final SdkHttpClient handlerHttp;
    private final DynamoDbClient handlerDynamo;
    private final PipelineNames names;
    private final String deadLetterQueueUrl;
    private final String edgeSettlementQueueUrl;
    private final String onFailureQueueUrl;
    private final BatchTally tally = new BatchTally();
    private final WriteRequestCounter writes = new WriteRequestCounter();
    private final Consumer consumer;
    private final StreamEventSourceMapping mapping;
    private final StreamEventSourceMapping coldChainMapping;
    private final StreamEventSourceMapping kpiAggregatorMapping;
    private final DynamoDbConsumerWatermarks consumerWatermarks;
    private final DynamoDbClient coldChainDynamo;
    private final ColdChainFunction coldChainFunction;
    private final SqsIncidentNotifier incidentNotifications;
    private final LocalArchiveDelivery rawArchive;
    private final boolean enforcesDeviceRegistry;
    private final io.waybill.local.provenance.LocalAnchoring anchoring;
    /** Demand forecasting (issue 15): the model server in this JVM, the intake mapping, the run; null when off. */
    private final io.waybill.modelserver.http.ModelServer modelServer;
    private final io.waybill.local.forecast.LocalForecasting forecasting;
    private final StreamEventSourceMapping demandIntakeMapping;
    private final StreamEventSourceMapping anchorIntakeMapping;
    /** Partner egress (issue 16): the bus, rules, receivers, and the egress mapping; null when off. */
    private final io.waybill.local.partner.LocalPartners partners;
    private final StreamEventSourceMapping partnerEgressMapping;

    private LocalPipeline(Builder b) {
        this.clients = b.clients;
        this.names = b.names;
        StackResources resources = StackResources.using(clients);
        resources.createStream(names.stream(), b.shards);
        // Partitioned by shipment (SSCC) like the raw stream's shard count on AWS by stage configuration; one shard by
        // default keeps a test run's many pipelines light (each shard is one more poller of the cold-chain mapping).
        resources.createStream(names.canonicalStream(), b.canonicalShards);
        resources.createTable(EventStoreTables.events(names.eventsTable()));
        resources.createTable(EventStoreTables.shipments(names.shipmentsTable()));
        // The registry table always exists (the CLI and the simulator register devices in it); ingest checks against it
        // only when the pipeline enforces device identity.
        resources.createTable(DeviceRegistryTables.registry(names.deviceRegistryTable()));
        this.enforcesDeviceRegistry = b.enforceDeviceRegistry;
        this.deadLetterQueueUrl = resources.createQueue(names.deadLetterQueue()).url();
        resources.createTable(DeadLetterDeskTables.desk(names.deadLetterTable()));
        this.edgeSettlementQueueUrl = resources.createQueue(names.edgeSettlementQueue()).url();
        this.onFailureQueueUrl = resources.createQueue(names.onFailureQueue()).url();
        StackResources.createBucket(clients.s3(), names.deadLetterBucket());

        AwsEndpoints endpoints = clients.endpoints();
        this.handlerHttp = AwsClients.newHttpClient();
        // The handler's own DynamoDB client, as in Lambda; the interceptor counts its write requests (benchmark P2).
        this.handlerDynamo = DynamoDbClient.builder()
                .endpointOverride(endpoints.dynamodb()).region(endpoints.region())
                .credentialsProvider(endpoints.credentialsProvider()).httpClient(handlerHttp)
                .overrideConfiguration(c -> {
                    c.addExecutionInterceptor(writes);
                    b.handlerDynamoInterceptors.forEach(c::addExecutionInterceptor);
                })
                .build();
        IngestConfig config = IngestConfig.builder().eventsTable(names.eventsTable())
                .shipmentsTable(names.shipmentsTable()).deadLetterQueueUrl(deadLetterQueueUrl)
                .canonicalStreamName(names.canonicalStream()).deadLetterBucket(names.deadLetterBucket())
                .normalizer(b.normalizer).legacyIdCutover(b.legacyIdCutover)
                .deviceRegistryTable(b.enforceDeviceRegistry ? names.deviceRegistryTable() : null)
                .unassignedPolicy(b.unassignedPolicy).edgeSettlementQueueUrl(edgeSettlementQueueUrl)
                .deadLetterTable(names.deadLetterTable()).build();
        // The consumers' watermarks (the ops API's consumer lag), written through the stack's client, not the
        // handler's: the handler's write count stays the events' own (benchmark P2).
        resources.createTable(DynamoDbConsumerWatermarks.definition(names.consumerWatermarksTable()));
        this.consumerWatermarks = new DynamoDbConsumerWatermarks(clients.dynamoDb(), names.consumerWatermarksTable());
        IngestFunction ingestFunction = IngestFunction.create(config, handlerDynamo, clients.sqs(),
                clients.kinesis(), clients.s3(), new IngestTelemetry(b.metrics, tally));
        IngestHandler handler = new IngestHandler(new IngestFunction(ingestFunction.ingestion(),
                ingestFunction.telemetry(), ingestFunction.clock(), consumerWatermarks)
                .withSources(new io.waybill.aws.ops.DynamoDbSourceWatermarks(clients.dynamoDb(),
                        names.consumerWatermarksTable())));
        EventSourceMappingConfig esm = b.mapping.toBuilder().onFailureDestinationQueueUrl(onFailureQueueUrl).build();
        this.consumer = b.consumer;
        StreamEventSourceMapping started;
        try {
            started = switch (consumer) {
                case GET_RECORDS -> KinesisEventSourceMapping.start(clients.kinesis(), clients.sqs(), names.stream(),
                        esm, handler);
                // Creates the lease table (KclEventSourceMapping.createLeaseTable) and its own async clients.
                // The KCL worker is the stream worker's path: it marks its own consumer watermark per finished batch.
                case KCL -> KclEventSourceMapping.start(endpoints, names.stream(), kclApplicationName(names), esm,
                        handler).recordingWatermark(consumerWatermarks,
                        io.waybill.domain.ops.ConsumerWatermarks.STREAM_WORKER);
            };
        } catch (RuntimeException | Error e) {
            handlerDynamo.close();
            handlerHttp.close();
            throw e;
        }
        this.mapping = started;
        if (b.coldChain) {
            resources.createTable(ColdChainTables.exposure(names.exposureTable()));
            resources.createTable(ColdChainTables.incidents(names.incidentsTable()));
            resources.createTable(ColdChainTables.compliance(names.complianceTable()));
            String coldChainOnFailure = resources.createQueue(names.coldChainOnFailureQueue()).url();
            this.coldChainDynamo = DynamoDbClient.builder()
                    .endpointOverride(endpoints.dynamodb()).region(endpoints.region())
                    .credentialsProvider(endpoints.credentialsProvider()).httpClient(handlerHttp).build();
            ColdChainSettings settings = new ColdChainSettings(names.eventsTable(), names.shipmentsTable(),
                    names.exposureTable(), names.incidentsTable(), names.complianceTable(), null, b.coldChainConfig,
                    null, null).withCanonicalStreamName(names.canonicalStream());
            // Locally an SQS queue stands in for the SNS incident topic (the emulators have no SNS).
            this.incidentNotifications = new SqsIncidentNotifier(clients.sqs(),
                    resources.createQueue(names.incidentNotificationsQueue()).url());
            // Its decision events go onto the canonical stream, as on AWS (the anchorer reads them there).
            this.coldChainFunction = ColdChainFunction.create(settings, coldChainDynamo, clients.kinesis(),
                    incidentNotifications,
                    new ColdChainTelemetry(null, b.decisionListener)).withWatermarks(consumerWatermarks);
            ColdChainHandler coldChain = new ColdChainHandler(coldChainFunction);
            // The consumer of the canonical event stream, as its event source mapping on AWS.
            this.coldChainMapping = KinesisEventSourceMapping.start(clients.kinesis(), clients.sqs(), names.canonicalStream(),
                    b.mapping.toBuilder().functionName("waybill-local-coldchain")
                            .onFailureDestinationQueueUrl(coldChainOnFailure).build(), coldChain);
            // The canonical stream's second consumer (issue 12): lane and facility KPI aggregates, read by
            // ./waybill kpis and the KPI publisher instead of a scan of the event store.
            resources.createTable(DynamoDbKpiAggregates.definition(names.kpiAggregatesTable()));
            String kpiOnFailure = resources.createQueue(names.kpiAggregatorOnFailureQueue()).url();
            this.kpiAggregatorMapping = KinesisEventSourceMapping.start(clients.kinesis(), clients.sqs(),
                    names.canonicalStream(), b.mapping.toBuilder().functionName("waybill-local-kpi-aggregator")
                            .onFailureDestinationQueueUrl(kpiOnFailure).build(),
                    new KpiAggregatorHandler(new DynamoDbKpiAggregates(coldChainDynamo,
                            names.kpiAggregatesTable()), consumerWatermarks, java.time.Clock.systemUTC()));
        } else {
            this.coldChainMapping = null;
            this.kpiAggregatorMapping = null;
            this.coldChainDynamo = null;
            this.coldChainFunction = null;
            this.incidentNotifications = null;
        }
        // Provenance anchoring (issue 14): the intake behind the canonical stream's mapping, the run on a schedule.
        if (b.ethereum != null) {
            resources.createTable(io.waybill.aws.provenance.DynamoDbAnchorLedger.definition(names.anchorLedgerTable()));
            resources.createTable(io.waybill.aws.provenance.DynamoDbEventProofs.definition(names.proofsTable()));
            String intakeOnFailure = resources.createQueue(names.anchorIntakeOnFailureQueue()).url();
            this.anchoring = io.waybill.local.provenance.LocalAnchoring.start(b.ethereum, clients.dynamoDb(),
                    names.anchorLedgerTable(), names.proofsTable(), b.anchorSelection, b.anchorPolicy,
                    b.anchorRunSettings, b.anchorPassEvery);
            this.anchorIntakeMapping = KinesisEventSourceMapping.start(clients.kinesis(), clients.sqs(),
                    names.canonicalStream(), b.mapping.toBuilder().functionName("waybill-local-anchor-intake")
                            .onFailureDestinationQueueUrl(intakeOnFailure).build(), anchoring.intakeHandler());
        } else {
            this.anchoring = null;
            this.anchorIntakeMapping = null;
        }
        // Demand forecasting (issue 15): the model server stands in for the SageMaker endpoint (the forecaster reaches it
        // through the real SageMaker runtime client), the demand intake sits behind the canonical stream's mapping.
        if (b.forecasting) {
            try {
                this.modelServer = io.waybill.modelserver.http.ModelServer.start(
                        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("the local model server could not start", e);
            }
            this.forecasting = io.waybill.local.forecast.LocalForecasting.start(clients, null, b.mapping,
                    io.waybill.local.forecast.LocalForecasting.settings(names.demandTable(), names.forecastTable(),
                            b.forecastEnvironment),
                    java.net.URI.create("http://127.0.0.1:" + modelServer.port()));
            String demandOnFailure = resources.createQueue(names.demandIntakeOnFailureQueue()).url();
            this.demandIntakeMapping = KinesisEventSourceMapping.start(clients.kinesis(), clients.sqs(),
                    names.canonicalStream(), b.mapping.toBuilder()
                            .functionName(io.waybill.local.forecast.LocalForecasting.INTAKE_FUNCTION)
                            .reportBatchItemFailures(true).onFailureDestinationQueueUrl(demandOnFailure).build(),
                    forecasting.intakeHandler());
        } else {
            this.modelServer = null;
            this.forecasting = null;
            this.demandIntakeMapping = null;
        }
        // Partner egress (issue 16): the partner bus and rules, the partners' receivers, and the egress handler behind
        // the canonical stream's mapping (partial batch responses on, as the stage's mapping).
        if (b.partners != null) {
            this.partners = io.waybill.local.partner.LocalPartners.start(clients, names, b.partners);
            String egressOnFailure = resources.createQueue(names.partnerEgressOnFailureQueue()).url();
            this.partnerEgressMapping = KinesisEventSourceMapping.start(clients.kinesis(), clients.sqs(),
                    names.canonicalStream(), b.mapping.toBuilder()
                            .functionName(io.waybill.local.partner.LocalPartners.EGRESS_FUNCTION)
                            .reportBatchItemFailures(true).onFailureDestinationQueueUrl(egressOnFailure).build(),
                    partners.egressHandler());
        } else {
            this.partners = null;
            this.partnerEgressMapping = null;
        }
        // The raw archive: the deployed stage's Firehose delivery into S3, a second reader of the raw stream.
        this.rawArchive = b.rawArchiveBucket == null ? null : startRawArchive(b.rawArchiveBucket, b.rawArchiveConfig);
    }

    private LocalArchiveDelivery startRawArchive(String bucket, ArchiveDeliveryConfig config) {
        try {
            LocalArchiveDelivery.createBucket(clients.s3(), bucket);
            return LocalArchiveDelivery.start(clients.kinesis(), clients.s3(), names.stream(), bucket, config);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The raw archive delivery, or null when the pipeline was deployed without it. */
    public LocalArchiveDelivery rawArchive() {
        return rawArchive;
    }

    /**
     * The confirmation pass the scheduled {@code PendingBreachHandler} runs on AWS: acts on breach verdicts that have
     * held for the confirmation delay, withdraws those that no longer hold.
     *
     * @throws IllegalStateException when the pipeline was deployed without the cold-chain function
     */
    public io.waybill.domain.decision.ColdChainLoop.Confirmation confirmPendingBreaches() {
        if (coldChainFunction == null) {
            throw new IllegalStateException("deployed without the cold-chain function");
        }
        return coldChainFunction.loop().confirmPending();
    }

    /** The cold-chain consumer's mapping, or null when the pipeline was deployed without it. */
    /** The KPI aggregator's mapping on the canonical stream; null when deployed without the cold-chain function. */
    public StreamEventSourceMapping kpiAggregatorMapping() {
        return kpiAggregatorMapping;
    }

    public StreamEventSourceMapping coldChainMapping() {
        return coldChainMapping;
    }

    /** Demand forecasting, or null when the pipeline was deployed without it. */
    public io.waybill.local.forecast.LocalForecasting forecasting() {
        return forecasting;
    }

    /** The model server standing in for the SageMaker endpoint, or null when forecasting is off. */
    public io.waybill.modelserver.http.ModelServer modelServer() {
        return modelServer;
    }

    /** Partner egress (bus, receivers, queues, the ingress hook), or null when deployed without partners. */
    public io.waybill.local.partner.LocalPartners partners() {
        return partners;
    }

    /** The partner egress mapping on the canonical stream, or null when deployed without partners. */
    public StreamEventSourceMapping partnerEgressMapping() {
        return partnerEgressMapping;
    }

    /** Provenance anchoring, or null when the pipeline was deployed without an Ethereum node. */
    public io.waybill.local.provenance.LocalAnchoring anchoring() {
        return anchoring;
    }

    public static Builder builder(AwsClients clients) {
        return new Builder(clients);
    }

    /**
     * @param names the pipeline's names
     * @return the KCL application name (= lease table name): stream name + {@value #KCL_APPLICATION_SUFFIX}
     */
    public static String kclApplicationName(PipelineNames names) {
        return names.stream() + KCL_APPLICATION_SUFFIX;
    }

    /** Puts records on the stream as the IoT rule does (PutRecords, at most 500 a call), retrying throttled entries. */
    public void publish(List<byte[]> payloads, List<String> partitionKeys) {
        publish(clients.kinesis(), names.stream(), payloads, partitionKeys);
    }

    /** Puts records on any stream as the IoT rule does (PutRecords, at most 500 a call), retrying throttled entries. */
    public static void publish(KinesisClient kinesis, String stream, List<byte[]> payloads, List<String> partitionKeys) {
        for (int from = 0; from < payloads.size(); from += MAX_PUT_RECORDS) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(payloads.size(), from + MAX_PUT_RECORDS); i++) {
                entries.add(PutRecordsRequestEntry.builder().data(SdkBytes.fromByteArray(payloads.get(i)))
                        .partitionKey(partitionKeys.get(i)).build());
            }
            putAll(kinesis, stream, entries);
        }
    }

    private static void putAll(KinesisClient kinesis, String stream, List<PutRecordsRequestEntry> entries) {
        List<PutRecordsRequestEntry> pending = entries;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            if (attempt > 10) {
                throw new IllegalStateException(pending.size() + " records could not be put on " + stream);
            }
            PutRecordsResponse response = kinesis.putRecords(PutRecordsRequest.builder()
                    .streamName(stream).records(pending).build());
            if (response.failedRecordCount() == null || response.failedRecordCount() == 0) {
                return;
            }
            List<PutRecordsRequestEntry> retry = new ArrayList<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i).errorCode() != null) {
                    retry.add(pending.get(i));
                }
            }
            pending = retry;
            sleep(50L << Math.min(attempt, 5));
        }
    }

    /** Waits until every record put so far has been handled (every shard caught up, nothing in flight). */
    public boolean awaitIdle(Duration timeout) {
        try {
            return mapping.awaitIdle(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Every item of the events table (paginated scan). */
    public List<Map<String, AttributeValue>> storedEvents() {
        return scanAll(names.eventsTable());
    }

    /** Every shipment's projected state, by SSCC. */
    public Map<String, ShipmentState> shipments() {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(clients.dynamoDb()).build();
        Map<String, ShipmentState> out = new HashMap<>();
        enhanced.table(names.shipmentsTable(), TableSchema.fromBean(ShipmentItem.class)).scan().items()
                .forEach(i -> out.put(i.getShipmentSscc(), DynamoDbShipmentStateStore.toState(i)));
        return out;
    }

    public long deadLetterCount() {
        return approximateMessages(deadLetterQueueUrl);
    }

    public long onFailureCount() {
        return approximateMessages(onFailureQueueUrl);
    }

    /** Receives (and optionally deletes) every message currently in the dead-letter queue. */
    public List<Message> drainDeadLetters(boolean delete) {
        List<Message> all = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (true) {
            List<Message> batch = clients.sqs().receiveMessage(ReceiveMessageRequest.builder().queueUrl(deadLetterQueueUrl)
                    .maxNumberOfMessages(10).waitTimeSeconds(0).visibilityTimeout(60)
                    .messageAttributeNames("All").build()).messages();
            batch = batch.stream().filter(m -> seen.add(m.messageId())).toList();
            if (batch.isEmpty()) {
                break;
            }
            all.addAll(batch);
        }
        // Peeked messages become visible again at once (or are deleted), so a replay sees them next.
        for (Message m : all) {
            if (delete) {
                clients.sqs().deleteMessage(DeleteMessageRequest.builder().queueUrl(deadLetterQueueUrl)
                        .receiptHandle(m.receiptHandle()).build());
            } else {
                clients.sqs().changeMessageVisibility(ChangeMessageVisibilityRequest.builder().queueUrl(deadLetterQueueUrl)
                        .receiptHandle(m.receiptHandle()).visibilityTimeout(0).build());
            }
        }
        return all;
    }

    private long approximateMessages(String url) {
        Map<QueueAttributeName, String> a = clients.sqs().getQueueAttributes(GetQueueAttributesRequest.builder()
                .queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE).build()).attributes();
        return Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0"))
                + Long.parseLong(a.getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE, "0"));
    }

    private List<Map<String, AttributeValue>> scanAll(String table) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse page = clients.dynamoDb().scan(ScanRequest.builder().tableName(table).exclusiveStartKey(start).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    public PipelineNames names() {
        return names;
    }

    /** The queue every new or escalated incident is sent to, when the cold chain runs. */
    public java.util.Optional<SqsIncidentNotifier> incidentNotifications() {
        return java.util.Optional.ofNullable(incidentNotifications);
    }

    /** Where ingest announces dead-lettered edge messages ({@code io.waybill.local.iot.LocalEdgeAcknowledgement} reads it). */
    public String edgeSettlementQueueUrl() {
        return edgeSettlementQueueUrl;
    }

    public String deadLetterQueueUrl() {
        return deadLetterQueueUrl;
    }

    /** Whether ingest checks every device record against {@link #deviceRegistry()} ({@link Builder#enforceDeviceRegistry}). */
    public boolean enforcesDeviceRegistry() {
        return enforcesDeviceRegistry;
    }

    /**
     * The pipeline's device registry table ({@link PipelineNames#deviceRegistryTable()}), for registering, assigning
     * and revoking devices; no cache, so what it answers is the table. Ingest has its own instance (with the
     * configured cache), as in Lambda.
     */
    public DynamoDbDeviceRegistry deviceRegistry() {
        return new DynamoDbDeviceRegistry(clients.dynamoDb(), names.deviceRegistryTable(), java.time.Duration.ZERO,
                java.time.Clock.systemUTC());
    }

    public BatchTally tally() {
        return tally;
    }

    public WriteRequestCounter handlerWrites() {
        return writes;
    }

    /** @return the event source mapping; a {@link KclEventSourceMapping} when {@link #consumer()} is KCL */
    public StreamEventSourceMapping mapping() {
        return mapping;
    }

    /** @return how the mapping reads the stream */
    public Consumer consumer() {
        return consumer;
    }

    public AwsClients clients() {
        return clients;
    }

    @Override
    public void close() {
        if (rawArchive != null) {
            rawArchive.close();
        }
        mapping.close();
        if (partnerEgressMapping != null) {
            partnerEgressMapping.close();
        }
        if (partners != null) {
            partners.close();
        }
        if (demandIntakeMapping != null) {
            demandIntakeMapping.close();
            forecasting.close();
            modelServer.close();
        }
        if (anchorIntakeMapping != null) {
            anchorIntakeMapping.close();
            anchoring.close();
        }
        if (coldChainMapping != null) {
            kpiAggregatorMapping.close();
            coldChainMapping.close();
            coldChainDynamo.close();
        }
        handlerDynamo.close();
        handlerHttp.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How to deploy: names, shard count, normaliser configuration, event source mapping settings, metrics. */
    public static final class Builder {
        /**
         * Shards of the local stream: several, so per-shard order and cross-shard concurrency both show, and 8 because
         * kinesis-mock appends in time proportional to the records already in the shard (measured: 5,000 puts on one
         * shard take 7 s, then 21 s, then 45 s as it fills; on 16 shards 3 s each time).
         */
        public static final int DEFAULT_SHARDS = 8;

        private final AwsClients clients;
        private PipelineNames names = PipelineNames.withPrefix("waybill");
        private int shards = DEFAULT_SHARDS;
        private int canonicalShards = 1;
        private final List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> handlerDynamoInterceptors =
                new ArrayList<>();
        private NormalizerConfig normalizer = NormalizerConfig.defaults();
        private java.time.Instant legacyIdCutover;
        private EventSourceMappingConfig mapping = EventSourceMappingConfig.defaults();
        private Consumer consumer = Consumer.GET_RECORDS;
        private software.amazon.lambda.powertools.metrics.Metrics metrics;
        private boolean coldChain;
        private io.waybill.domain.coldchain.ColdChainConfig coldChainConfig =
                io.waybill.domain.coldchain.ColdChainConfig.defaults();
        private ColdChainTelemetry.DecisionListener decisionListener;
        private String rawArchiveBucket;
        private ArchiveDeliveryConfig rawArchiveConfig;
        private boolean enforceDeviceRegistry;
        private io.waybill.local.stack.LocalEthereum ethereum;
        private boolean forecasting;
        private java.util.Map<String, String> forecastEnvironment = java.util.Map.of();
        private io.waybill.local.partner.LocalPartners.Settings partners;
        private io.waybill.domain.provenance.ProvenanceSelection anchorSelection =
                io.waybill.domain.provenance.ProvenanceSelection.defaults();
        private io.waybill.domain.provenance.AnchorBatchPolicy anchorPolicy =
                io.waybill.domain.provenance.AnchorBatchPolicy.defaults();
        private io.waybill.domain.provenance.AnchorRunSettings anchorRunSettings =
                io.waybill.domain.provenance.AnchorRunSettings.defaults();
        private java.time.Duration anchorPassEvery = io.waybill.local.provenance.LocalAnchoring.DEFAULT_PASS_EVERY;
        private io.waybill.domain.device.ProducerVerification.UnassignedPolicy unassignedPolicy =
                io.waybill.domain.device.ProducerVerification.UnassignedPolicy.REJECT;

        private Builder(AwsClients clients) {
            this.clients = clients;
        }

        public Builder names(PipelineNames names) {
            this.names = names;
            return this;
        }

        public Builder shards(int shards) {
            this.shards = shards;
            return this;
        }

        /**
         * An interceptor on the ingest handler's DynamoDB client, after the request counter: a test's way to make the
         * emulator answer one request with a real error (e.g. an item grown past DynamoDB's 400 KB).
         */
        public Builder handlerDynamoInterceptor(software.amazon.awssdk.core.interceptor.ExecutionInterceptor i) {
            this.handlerDynamoInterceptors.add(i);
            return this;
        }

        /** Shards of the canonical event stream (default 1; the demo and the benchmarks use as many as the raw one). */
        public Builder canonicalShards(int shards) {
            this.canonicalShards = shards;
            return this;
        }

        public Builder normalizer(NormalizerConfig config) {
            this.normalizer = config;
            return this;
        }

        /** The ingest function's {@code WAYBILL_LEGACY_ID_CUTOVER}; null (the default): no legacy data. */
        public Builder legacyIdCutover(java.time.Instant cutover) {
            this.legacyIdCutover = cutover;
            return this;
        }

        public Builder mapping(EventSourceMappingConfig config) {
            this.mapping = config;
            return this;
        }

        public Builder mapping(java.util.function.Consumer<EventSourceMappingConfig.Builder> change) {
            EventSourceMappingConfig.Builder b = mapping.toBuilder();
            change.accept(b);
            this.mapping = b.build();
            return this;
        }

        /** How the mapping reads the stream: {@link Consumer#GET_RECORDS} (default) or {@link Consumer#KCL}. */
        public Builder consumer(Consumer consumer) {
            this.consumer = java.util.Objects.requireNonNull(consumer, "consumer");
            return this;
        }

        /** EMF metrics for every batch (Powertools); none by default locally. */
        public Builder metrics(software.amazon.lambda.powertools.metrics.Metrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /**
         * Also deploys the cold-chain function (its exposure, incidents and compliance tables, and a second event
         * source mapping on the stream invoking {@code ColdChainHandler}); off by default.
         *
         * @param listener receives every decision batch in-process (the demo's report), or null
         */
        public Builder coldChain(io.waybill.domain.coldchain.ColdChainConfig config,
                                 ColdChainTelemetry.DecisionListener listener) {
            this.coldChain = true;
            this.coldChainConfig = java.util.Objects.requireNonNull(config, "config");
            this.decisionListener = listener;
            return this;
        }

        /**
         * Also archives the raw stream into {@code bucket} (created if missing) as the stage's Firehose delivery does
         * ({@link LocalArchiveDelivery}); off by default (tests that do not need it run one reader less).
         */
        public Builder rawArchive(String bucket, ArchiveDeliveryConfig config) {
            this.rawArchiveBucket = java.util.Objects.requireNonNull(bucket, "bucket");
            this.rawArchiveConfig = java.util.Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Whether ingest checks each device record against the registry table (registered, its adapter, not revoked,
         * signed, not replayed, assigned), as Lambda always does. Default false: tests that publish devices nobody
         * registered keep working; the table is created either way.
         */
        public Builder enforceDeviceRegistry(boolean enforce) {
            this.enforceDeviceRegistry = enforce;
            return this;
        }

        /** The ingest function's {@code WAYBILL_UNASSIGNED_POLICY} when the registry is enforced (default reject). */
        public Builder unassignedPolicy(io.waybill.domain.device.ProducerVerification.UnassignedPolicy policy) {
            this.unassignedPolicy = java.util.Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Anchors the provenance-worthy events of the canonical stream on the stack's Ethereum node (issue 14), with
         * the function's default selection, batch policy and run settings.
         */
        public Builder anchoring(io.waybill.local.stack.LocalEthereum node) {
            this.ethereum = java.util.Objects.requireNonNull(node, "node");
            return this;
        }

        /**
         * Anchoring with other settings.
         *
         * @param passEvery how often the scheduled run passes; null for none (the caller passes)
         */
        public Builder anchoring(io.waybill.local.stack.LocalEthereum node,
                                 io.waybill.domain.provenance.ProvenanceSelection selection,
                                 io.waybill.domain.provenance.AnchorBatchPolicy policy,
                                 io.waybill.domain.provenance.AnchorRunSettings settings, java.time.Duration passEvery) {
            this.ethereum = java.util.Objects.requireNonNull(node, "node");
            this.anchorSelection = java.util.Objects.requireNonNull(selection, "selection");
            this.anchorPolicy = java.util.Objects.requireNonNull(policy, "policy");
            this.anchorRunSettings = java.util.Objects.requireNonNull(settings, "settings");
            this.anchorPassEvery = passEvery;
            return this;
        }

        /**
         * Demand forecasting (issue 15): the demand intake on the canonical stream, the forecast run (driven by the
         * caller: {@code forecasting().runOnce(asOf)}), and the model server in this JVM as the SageMaker endpoint.
         *
         * @param environment {@code WAYBILL_FORECAST_*} settings as the function reads them (horizon, service level,
         *                    quantiles...); the tables and endpoint are the pipeline's
         */
        public Builder forecasting(java.util.Map<String, String> environment) {
            this.forecasting = true;
            this.forecastEnvironment = java.util.Map.copyOf(environment);
            return this;
        }

        /**
         * Partner egress (issue 16): the partner table seeded with {@code settings.partners()}, the local partner bus
         * with the rules of {@code infra-cdk/event-rules/}, a webhook receiver per partner destination, and
         * {@code PartnerEgressHandler} behind the canonical stream's mapping, and the partner function
         * ({@code PartnerIngressHandler}) as the ingress rule's target, writing onto the pipeline's ingest stream.
         */
        public Builder partners(io.waybill.local.partner.LocalPartners.Settings settings) {
            this.partners = java.util.Objects.requireNonNull(settings, "settings");
            return this;
        }

        public LocalPipeline deploy() {
            return new LocalPipeline(this);
        }
    }
}
