package io.waybill.local.backfill;

import io.waybill.aws.stream.RecordRedrive;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.local.archive.ArchiveObject;
import io.waybill.local.iot.LocalIotRule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code ./waybill backfill}: re-drives archived raw records through today's adapters by putting them back on the raw
 * stream, where the ingest function normalises them as it does any record. Reads every object of the window's hour
 * folders ({@link BackfillWindow}), un-gzips it, splits it on newlines ({@link ArchiveObject}) and puts each selected
 * record with the partition key the IoT rule gives it ({@code ${topic(5)}} of {@code dt/waybill/<stage>/<wb_route>}:
 * the producer), through {@link RecordRedrive} (PutRecords within Kinesis' limits, rejected entries retried with
 * backoff). Idempotent: ingest's stable ids make a re-driven record that is already stored a duplicate, absorbed.
 *
 * <p>Nothing is dropped silently: a blank line, a line that is no JSON object, or one without a valid
 * {@code wb_route} is a {@link Skipped} entry of the report with its object key and line number; an object that is
 * no GZIP is reported unreadable; a record still not put after every attempt is named.
 */
public final class Backfill {
    private static final Logger LOG = LoggerFactory.getLogger(Backfill.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the IoT rule and the partner gateway write in {@code wb_route} (events-samples/README.md). */
    private static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9._:-]+/[A-Za-z0-9._:-]+");
    /** The skipped lines a report names one by one; more are counted. */
    public static final int MAX_SKIPPED_NAMED = 1000;

    /**
     * Which records to re-drive.
     *
     * @param adapters only these adapters ({@code wb_route}'s first part); empty: every adapter
     * @param devices  only these producers ({@code wb_route}'s second part, the thing name); empty: every producer
     */
    public record Selection(Set<String> adapters, Set<String> devices) {
        public Selection {
            adapters = Set.copyOf(adapters);
            devices = Set.copyOf(devices);
        }

        public static Selection everything() {
            return new Selection(Set.of(), Set.of());
        }

        boolean selects(String adapter, String device) {
            return (adapters.isEmpty() || adapters.contains(adapter)) && (devices.isEmpty() || devices.contains(device));
        }
    }

    /** Why a line was not re-driven. */
    public enum SkipReason {
        BLANK("blank line"),
        NOT_JSON_OBJECT("not a JSON object"),
        NO_ROUTE("no valid wb_route");

        private final String text;

        SkipReason(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /** A line not re-driven: {@code key:line}, and why. */
    public record Skipped(String key, int line, SkipReason reason) {
        @Override
        public String toString() {
            return key + ":" + line + " (" + reason.text() + ")";
        }
    }

    /**
     * What a backfill did.
     *
     * @param objects        objects read (readable or not)
     * @param lines          lines in the readable objects
     * @param redriven       records put on the stream (a dry run: records it would put)
     * @param notSelected    records {@code --adapter}/{@code --device} left out
     * @param skippedCount   lines skipped, by any reason
     * @param skipped        the first {@value #MAX_SKIPPED_NAMED} of them, named
     * @param unreadable     objects that could not be read or un-gzipped: key and why
     * @param notPut         records still not put after every attempt: {@code key:line} and the last error
     */
    public record Report(String where, String stream, BackfillWindow window, Selection selection, boolean dryRun,
                         int objects, long lines, long redriven, long notSelected, long skippedCount,
                         List<Skipped> skipped, List<String> unreadable, List<String> notPut) {
        public Report {
            skipped = List.copyOf(skipped);
            unreadable = List.copyOf(unreadable);
            notPut = List.copyOf(notPut);
        }

        /** Every readable record was put or deliberately left out; every object was read. */
        public boolean complete() {
            return unreadable.isEmpty() && notPut.isEmpty();
        }

        public long skipped(SkipReason reason) {
            return skipped.stream().filter(s -> s.reason() == reason).count();
        }
    }

    private final S3Client s3;
    private final RecordRedrive redrive;
    private final LocalIotRule rule;

    public Backfill(S3Client s3, RecordRedrive redrive) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.redrive = Objects.requireNonNull(redrive, "redrive");
        this.rule = LocalIotRule.telemetryToKinesis();
    }

    /**
     * Re-drives (or, {@code dryRun}, counts) the window's archived records from {@code bucket} onto {@code stream}.
     *
     * @param where for the report: {@code the local stack}, {@code stage prod (...)}
     * @throws SdkException when the bucket cannot be listed or the stream refuses a call as a whole
     */
    public Report run(String where, String bucket, String stream, BackfillWindow window, Selection selection,
                      boolean dryRun) {
        int objects = 0;
        long lines = 0;
        long redriven = 0;
        long notSelected = 0;
        long skippedCount = 0;
        List<Skipped> skipped = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        List<String> notPut = new ArrayList<>();
        for (String prefix : window.prefixes()) {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                objects++;
                List<ArchiveObject.Line> content;
                try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(o.key()))) {
                    content = ArchiveObject.lines(ArchiveObject.decompress(in));
                } catch (IOException e) {
                    unreadable.add(o.key() + " (" + e.getMessage() + ")");
                    LOG.warn("backfill: unreadable object bucket={} key={}: {}", bucket, o.key(), e.toString());
                    continue;
                }
                lines += content.size();
                List<RecordRedrive.Entry> entries = new ArrayList<>();
                List<Integer> entryLines = new ArrayList<>();
                for (ArchiveObject.Line line : content) {
                    Object verdict = classify(line);
                    if (verdict instanceof SkipReason reason) {
                        skippedCount++;
                        LOG.info("backfill skipped line bucket={} key={} line={} reason={}", bucket, o.key(),
                                line.number(), reason);
                        if (skipped.size() < MAX_SKIPPED_NAMED) {
                            skipped.add(new Skipped(o.key(), line.number(), reason));
                        }
                    } else if (verdict instanceof Route route) {
                        if (!selection.selects(route.adapter(), route.device())) {
                            notSelected++;
                            continue;
                        }
                        entries.add(new RecordRedrive.Entry(route.partitionKey(), SdkBytes.fromByteArray(line.data())));
                        entryLines.add(line.number());
                    }
                }
                if (dryRun) {
                    redriven += entries.size();
                } else if (!entries.isEmpty()) {
                    RecordRedrive.Outcome out = redrive.put(stream, entries);
                    redriven += out.put();
                    out.notPut().forEach(n -> notPut.add(o.key() + ":" + entryLines.get(n.index()) + " " + n.error()));
                }
                LOG.info("backfill object bucket={} key={} lines={} selected={} dryRun={}", bucket, o.key(),
                        content.size(), entries.size(), dryRun);
            }
        }
        return new Report(where, stream, window, selection, dryRun, objects, lines, redriven, notSelected,
                skippedCount, skipped, unreadable, notPut);
    }

    private record Route(String adapter, String device, String partitionKey) {
    }

    /** A {@link SkipReason} or the record's {@link Route}. */
    private Object classify(ArchiveObject.Line line) {
        if (line.blank()) {
            return SkipReason.BLANK;
        }
        JsonNode node;
        try {
            node = JSON.readTree(line.data());
        } catch (IOException e) {
            return SkipReason.NOT_JSON_OBJECT;
        }
        if (node == null || !node.isObject()) {
            return SkipReason.NOT_JSON_OBJECT;
        }
        JsonNode route = node.get(RecordNormalizer.ROUTE_FIELD);
        if (route == null || !route.isTextual() || !ROUTE.matcher(route.asText()).matches()) {
            return SkipReason.NO_ROUTE;
        }
        String r = route.asText();
        int slash = r.indexOf('/');
        // The topic the record came in on, as far as the rule's partition key reads it: dt/waybill/<stage>/<route>.
        String topic = "dt/waybill/" + LocalIotRule.LOCAL_STAGE + "/" + r;
        String key;
        try {
            key = rule.partitionKey(topic, 0);
        } catch (RuntimeException e) {
            return SkipReason.NO_ROUTE;
        }
        return new Route(r.substring(0, slash), r.substring(slash + 1), key);
    }
}
