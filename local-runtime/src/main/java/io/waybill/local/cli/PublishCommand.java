package io.waybill.local.cli;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./waybill publish}: stdin's lines onto a Kinesis stream, one record a line, each record's data exactly the
 * line's bytes ({@link JsonLines}: split on {@code '\n'}, never decoded, a {@code '\r'} kept), keyed as the IoT rule
 * keys them (the producer id of {@code wb_route}; {@code line-N} without one). Blank lines are skipped.
 *
 * <p>Records go out in PutRecords calls within Kinesis' limits ({@link #MAX_RECORDS_PER_CALL} records and
 * {@link #MAX_BYTES_PER_CALL} per call, {@link #MAX_RECORD_BYTES} per record, partition key included). Entries a
 * call rejects ({@code FailedRecordCount > 0}, e.g. {@code ProvisionedThroughputExceededException}) are sent again,
 * alone, after a backoff, up to {@link #MAX_ATTEMPTS} attempts in all; what still fails (and any line too large for
 * a record) is counted and named in the summary, never dropped silently. Progress goes to stderr after each call.
 */
final class PublishCommand {
    /** Kinesis PutRecords: at most 500 records per call. */
    static final int MAX_RECORDS_PER_CALL = 500;
    /** Kinesis PutRecords: at most 5 MiB per call (data and partition keys). */
    static final int MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
    /** Kinesis: at most 1 MiB per record (data and partition key). */
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    /** Attempts per record, the first included. */
    static final int MAX_ATTEMPTS = 5;
    /** Backoff before the first resend, doubled per attempt up to {@link #MAX_BACKOFF}. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** Failures named one by one in the summary; beyond that only counted. */
    static final int MAX_FAILURES_SHOWN = 10;

    /** The producer part of a record's {@code wb_route}, read without parsing the whole line. */
    private static final Pattern ROUTE_PRODUCER = Pattern.compile("\"wb_route\"\\s*:\\s*\"[^/\"]*/([^\"]{1,200})\"");

    /** Waits between attempts (a test passes one that does not sleep). */
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /**
     * What a publish did.
     *
     * @param lines    lines read
     * @param blank    blank lines skipped
     * @param put      records the stream accepted
     * @param failed   records not put (rejected after every attempt, or too large)
     * @param calls    PutRecords calls
     * @param resent   entries sent again after a call rejected them
     * @param failures the first {@link #MAX_FAILURES_SHOWN} failures, {@code line N: why}
     */
    record Summary(long lines, long blank, long put, long failed, int calls, long resent, List<String> failures) {
    }

    private record Pending(long line, String key, byte[] data, int attempts, String lastError) {
        long size() {
            return data.length + (long) key.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    private final KinesisClient kinesis;
    private final String stream;
    private final PrintStream progress;
    private final Sleeper sleeper;

    private final List<Pending> batch = new ArrayList<>();
    private long batchBytes;
    private long lines;
    private long blank;
    private long put;
    private long failed;
    private int calls;
    private long resent;
    private final List<String> failures = new ArrayList<>();

    PublishCommand(KinesisClient kinesis, String stream, PrintStream progress, Sleeper sleeper) {
        this.kinesis = Objects.requireNonNull(kinesis, "kinesis");
        this.stream = Objects.requireNonNull(stream, "stream");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    PublishCommand(KinesisClient kinesis, String stream, PrintStream progress) {
        this(kinesis, stream, progress, d -> Thread.sleep(d.toMillis()));
    }

    /** Publishes every line of {@code in}. */
    Summary run(InputStream in) throws IOException, InterruptedException {
        InterruptedException[] interrupted = new InterruptedException[1];
        lines = JsonLines.forEach(in, l -> {
            if (interrupted[0] != null) {
                return;
            }
            try {
                accept(l);
            } catch (InterruptedException e) {
                interrupted[0] = e;
            }
        }, null);
        if (interrupted[0] != null) {
            throw interrupted[0];
        }
        flush();
        return new Summary(lines, blank, put, failed, calls, resent, List.copyOf(failures));
    }

    private void accept(JsonLines.Line l) throws InterruptedException {
        if (l.blank()) {
            blank++;
            return;
        }
        Pending p = new Pending(l.number(), partitionKey(l.bytes(), l.number()), l.bytes(), 0, null);
        if (p.size() > MAX_RECORD_BYTES) {
            fail(p, p.size() + " bytes, more than Kinesis' " + MAX_RECORD_BYTES + " per record");
            return;
        }
        if (batch.size() == MAX_RECORDS_PER_CALL || batchBytes + p.size() > MAX_BYTES_PER_CALL) {
            flush();
        }
        batch.add(p);
        batchBytes += p.size();
    }

    /** Sends the batch; resends the entries a call rejected, alone, until each is put or out of attempts. */
    private void flush() throws InterruptedException {
        List<Pending> toSend = new ArrayList<>(batch);
        batch.clear();
        batchBytes = 0;
        Duration backoff = FIRST_BACKOFF;
        while (!toSend.isEmpty()) {
            PutRecordsResponse response = kinesis.putRecords(r -> r.streamName(stream).records(toSend.stream()
                    .map(p -> PutRecordsRequestEntry.builder().partitionKey(p.key())
                            .data(SdkBytes.fromByteArray(p.data())).build())
                    .toList()));
            calls++;
            List<Pending> again = new ArrayList<>();
            List<PutRecordsResultEntry> results = response.records();
            for (int i = 0; i < toSend.size(); i++) {
                Pending p = toSend.get(i);
                PutRecordsResultEntry r = i < results.size() ? results.get(i) : null;
                if (r != null && r.errorCode() == null) {
                    put++;
                    continue;
                }
                String error = r == null ? "no result entry" : r.errorCode() + ": " + r.errorMessage();
                Pending next = new Pending(p.line(), p.key(), p.data(), p.attempts() + 1, error);
                if (next.attempts() >= MAX_ATTEMPTS) {
                    fail(next, "not put after " + MAX_ATTEMPTS + " attempts (" + error + ")");
                } else {
                    again.add(next);
                }
            }
            progress.printf(Locale.ROOT, "publish: %,d records put, %,d failed, %,d to resend%n", put, failed,
                    again.size());
            if (!again.isEmpty()) {
                resent += again.size();
                sleeper.sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
            toSend.clear();
            toSend.addAll(again);
        }
    }

    private void fail(Pending p, String why) {
        failed++;
        if (failures.size() < MAX_FAILURES_SHOWN) {
            failures.add("line " + p.line() + ": " + why);
        }
    }

    /** The producer id from wb_route, as the IoT rule's partition key; the line number for lines without one. */
    static String partitionKey(byte[] line, long lineNumber) {
        Matcher m = ROUTE_PRODUCER.matcher(new String(line, StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "line-" + lineNumber;
    }

    /** The summary, one line (then the failures named, one a line). */
    static void print(Summary s, String stream, PrintStream out) {
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put("put", s.put());
        parts.put("failed", s.failed());
        parts.put("blank lines skipped", s.blank());
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "published %,d of %,d records to %s (",
                s.put(), s.put() + s.failed(), stream));
        parts.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%,d %s, ", v, k)));
        b.append(String.format(Locale.ROOT, "%,d PutRecords call%s, %,d entries resent)", s.calls(),
                s.calls() == 1 ? "" : "s", s.resent()));
        out.println(b);
        for (String f : s.failures()) {
            out.println("  not put: " + f);
        }
        if (s.failed() > s.failures().size()) {
            out.printf(Locale.ROOT, "  ... and %,d more not put%n", s.failed() - s.failures().size());
        }
    }
}
