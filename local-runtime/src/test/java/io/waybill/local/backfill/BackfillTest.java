package io.waybill.local.backfill;

import io.waybill.aws.stream.RecordRedrive;
import io.waybill.domain.ingestion.RecordOutcome;
import io.waybill.local.archive.ArchiveDeliveryConfig;
import io.waybill.local.archive.LocalArchiveDelivery;
import io.waybill.local.pipeline.LocalPipeline;
import io.waybill.local.pipeline.PipelineNames;
import io.waybill.local.replay.ReplayStackTestBase;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backfill on the emulators: the 17 sample records went through a pipeline whose raw stream the local archive
 * delivery archived; then the three swiftlog events were lost from the event store (deleted, as a restore from an
 * older backup would lose them). Hand-worked: 17 records re-driven, 3 stored new (the swiftlog ones: arrived,
 * departed, proof of delivery), 14 absorbed as duplicates; a second backfill stores nothing new.
 */
@Timeout(180)
class BackfillTest extends ReplayStackTestBase {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The swiftlog samples' event keys (source#id), from events-samples/canonical/swiftlog/*.json. */
    private static final Set<String> SWIFTLOG_KEYS = Set.of(
            "urn:waybill:swiftlog:SWIFTLOG#SL-20261127-001207",
            "urn:waybill:swiftlog:SWIFTLOG#SL-20261127-000981",
            "urn:waybill:swiftlog:SWIFTLOG#SL-20261127-001244");

    private LocalPipeline pipeline;

    @AfterEach
    void stopPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private record Fixture(String bucket, BackfillWindow window, Map<String, Map<String, AttributeValue>> stored) {
    }

    /** Stores the 17 samples, archives them (then stops archiving, so re-driven records are not archived again). */
    private Fixture archivedAndPartlyLost() {
        PipelineNames names = PipelineNames.withPrefix("bf" + suffix());
        String bucket = "archive-" + suffix();
        pipeline = LocalPipeline.builder(stack.clients()).names(names).shards(2).deploy();
        LocalArchiveDelivery.createBucket(s3, bucket);
        List<byte[]> samples = SampleCatalog.valid().stream().map(SampleCatalog.ValidCase::compactRaw).toList();
        Instant first = Instant.now().truncatedTo(ChronoUnit.HOURS);
        try (LocalArchiveDelivery archive = LocalArchiveDelivery.start(kinesis, s3, names.stream(), bucket,
                new ArchiveDeliveryConfig("test-archive", 1024 * 1024, Duration.ofMillis(500), Duration.ofMillis(100)))) {
            pipeline.publish(samples, samples.stream().map(s -> "producer").toList());
            assertThat(pipeline.awaitIdle(WAIT)).isTrue();
            assertThat(archive.awaitDelivered(WAIT)).isTrue();
        }
        Instant last = Instant.now().truncatedTo(ChronoUnit.HOURS);
        Map<String, Map<String, AttributeValue>> all = events(names);
        assertThat(all).hasSize(17).containsKeys(SWIFTLOG_KEYS.toArray(String[]::new));
        for (String key : SWIFTLOG_KEYS) {
            stack.clients().dynamoDb().deleteItem(d -> d.tableName(names.eventsTable())
                    .key(Map.of("eventKey", AttributeValue.fromS(key))));
        }
        assertThat(events(names)).hasSize(14);
        return new Fixture(bucket, new BackfillWindow(first, last), all);
    }

    private Backfill.Report backfill(Fixture f, Backfill.Selection selection, boolean dryRun) {
        return new Backfill(s3, new RecordRedrive(kinesis)).run("test", f.bucket(), pipeline.names().stream(),
                f.window(), selection, dryRun);
    }

    @Test
    void backfillStoresExactlyTheLostEventsAndASecondBackfillStoresNothingNew() {
        Fixture f = archivedAndPartlyLost();
        long storedBefore = pipeline.tally().count(RecordOutcome.STORED);
        long duplicatesBefore = pipeline.tally().duplicates();
        int onStream = recordsIn(pipeline.names().stream()).size();

        Backfill.Report first = backfill(f, Backfill.Selection.everything(), false);
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();

        assertThat(first.lines()).isEqualTo(17);
        assertThat(first.redriven()).isEqualTo(17);
        assertThat(first.skippedCount()).isZero();
        assertThat(first.complete()).isTrue();
        assertThat(pipeline.tally().count(RecordOutcome.STORED) - storedBefore).as("stored new").isEqualTo(3);
        assertThat(pipeline.tally().duplicates() - duplicatesBefore).as("absorbed").isEqualTo(14);
        assertThat(events(pipeline.names()).keySet()).isEqualTo(f.stored().keySet());

        Backfill.Report second = backfill(f, Backfill.Selection.everything(), false);
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();

        assertThat(second.redriven()).isEqualTo(17);
        assertThat(pipeline.tally().count(RecordOutcome.STORED) - storedBefore).as("nothing new the second time")
                .isEqualTo(3);
        assertThat(pipeline.tally().duplicates() - duplicatesBefore).isEqualTo(31);
        assertThat(events(pipeline.names()).keySet()).isEqualTo(f.stored().keySet());
        assertThat(pipeline.deadLetterCount()).isZero();

        // Partition keys as the IoT rule gives them (topic(5) = the producer of wb_route), e.g. thermotrack/TT-0042.
        Set<String> keys = recordsIn(pipeline.names().stream()).stream().map(r -> r.partitionKey())
                .collect(Collectors.toSet());
        assertThat(keys).contains("TT-0042", "SWIFTLOG", "ACME-TMS", "CC-0009", "FB-77", "reefer-07", "dc-hamburg-01",
                "IMEI-356938035643809", "DOCK-DOOR-3", "producer");
        assertThat(recordsIn(pipeline.names().stream())).hasSize(onStream + 34);
    }

    @Test
    void dryRunChangesNothingAndAdapterSelectionCountsOnlyThatAdapter() {
        Fixture f = archivedAndPartlyLost();
        int onStream = recordsIn(pipeline.names().stream()).size();
        long finished = pipeline.tally().finished();

        Backfill.Report dry = backfill(f, new Backfill.Selection(Set.of("swiftlog"), Set.of()), true);
        assertThat(pipeline.awaitIdle(WAIT)).isTrue();

        assertThat(dry.redriven()).as("would be re-driven: the 3 swiftlog records").isEqualTo(3);
        assertThat(dry.notSelected()).isEqualTo(14);
        assertThat(recordsIn(pipeline.names().stream())).hasSize(onStream);
        assertThat(pipeline.tally().finished()).isEqualTo(finished);
        assertThat(events(pipeline.names())).hasSize(14);
    }

    @Test
    void aWindowWithoutObjectsReadsNothing() {
        Fixture f = new Fixture("archive-" + suffix(), BackfillWindow.parse("2001-01-01T00", "2001-01-01T05"), Map.of());
        LocalArchiveDelivery.createBucket(s3, f.bucket());
        String stream = newStream(1);

        Backfill.Report r = new Backfill(s3, new RecordRedrive(kinesis)).run("test", f.bucket(), stream, f.window(),
                Backfill.Selection.everything(), false);

        assertThat(r.objects()).isZero();
        assertThat(r.redriven()).isZero();
        assertThat(r.complete()).isTrue();
        assertThat(recordsIn(stream)).isEmpty();
    }

    /** A hand-made archive object: a record, a blank line, a line that is no JSON, one without a route, a record. */
    @Test
    void blankAndUndecodableLinesAreReportedByKeyAndLineNeverDroppedSilently() throws Exception {
        String bucket = "archive-" + suffix();
        LocalArchiveDelivery.createBucket(s3, bucket);
        String stream = newStream(1);
        byte[] thermotrack = SampleCatalog.valid().stream().filter(c -> c.name().equals("thermotrack/window-summary"))
                .findFirst().orElseThrow().compactRaw();
        String key = "raw/2001/01/01/00/hand-made-1-2001-01-01-00-00-00-x.gz";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(thermotrack);
            out.write("\n\nnot json\n{\"dev\":\"x\"}\n".getBytes(StandardCharsets.UTF_8));
            out.write(thermotrack);
            out.write('\n');
        }
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(gz.toByteArray()));

        Backfill.Report r = new Backfill(s3, new RecordRedrive(kinesis)).run("test", bucket, stream,
                BackfillWindow.parse("2001-01-01T00", "2001-01-01T00"), Backfill.Selection.everything(), false);

        assertThat(r.objects()).isEqualTo(1);
        assertThat(r.lines()).isEqualTo(5);
        assertThat(r.redriven()).isEqualTo(2);
        assertThat(r.skipped()).containsExactly(
                new Backfill.Skipped(key, 2, Backfill.SkipReason.BLANK),
                new Backfill.Skipped(key, 3, Backfill.SkipReason.NOT_JSON_OBJECT),
                new Backfill.Skipped(key, 4, Backfill.SkipReason.NO_ROUTE));
        var put = recordsIn(stream);
        assertThat(put).hasSize(2).allSatisfy(rec -> {
            assertThat(rec.data().asByteArray()).isEqualTo(thermotrack);
            assertThat(rec.partitionKey()).isEqualTo("TT-0042");
        });
    }

    private static Map<String, Map<String, AttributeValue>> events(PipelineNames names) {
        return stack.clients().dynamoDb().scanPaginator(b -> b.tableName(names.eventsTable()).consistentRead(true))
                .items().stream().collect(Collectors.toMap(i -> i.get("eventKey").s(), i -> i));
    }
}
