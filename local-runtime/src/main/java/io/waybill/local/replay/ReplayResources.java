package io.waybill.local.replay;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where a replay reads and writes: the raw telemetry stream, the ingest dead-letter queue, the on-failure queues of
 * the ingest and cold-chain mappings, and the canonical-event stream the cold chain reads once it has one. On a
 * deployed stage these come from its CloudFormation stack's outputs ({@link #fromStackOutputs}); on the laptop from
 * the running local stack.
 *
 * @param where                     the target in reports ({@code local stack}, {@code stage prod (stack Waybill-prod)})
 * @param telemetryStream           the raw stream (ingest's source; dead letters go back onto it)
 * @param deadLetterQueueUrl        ingest's dead letters
 * @param ingestFailedBatchesUrl    the ingest mapping's on-failure destination
 * @param coldChainFailedBatchesUrl the cold-chain mapping's on-failure destination, or null when there is none
 * @param canonicalStream           the canonical-event stream, or null (a stack from before it existed)
 */
public record ReplayResources(String where, String telemetryStream, String deadLetterQueueUrl,
                              String ingestFailedBatchesUrl, String coldChainFailedBatchesUrl,
                              String canonicalStream) {

    /** Stack output: the raw telemetry stream's name. */
    public static final String TELEMETRY_STREAM_NAME = "TelemetryStreamName";
    /** Stack output: the ingest dead-letter queue's URL. */
    public static final String INGEST_DEAD_LETTERS_URL = "IngestDeadLettersUrl";
    /** Stack output: the ingest mapping's on-failure queue URL. */
    public static final String INGEST_FAILED_BATCHES_URL = "IngestFailedBatchesUrl";
    /** Stack output: the cold-chain mapping's on-failure queue URL. */
    public static final String COLD_CHAIN_FAILED_BATCHES_URL = "ColdChainFailedBatchesUrl";
    /** Stack output: the canonical-event stream's name (absent in stacks deployed before it existed). */
    public static final String CANONICAL_STREAM_NAME = "CanonicalStreamName";

    /** The outputs a replay cannot do without. */
    public static final List<String> REQUIRED_OUTPUTS = List.of(TELEMETRY_STREAM_NAME, INGEST_DEAD_LETTERS_URL,
            INGEST_FAILED_BATCHES_URL, COLD_CHAIN_FAILED_BATCHES_URL);

    public ReplayResources {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(telemetryStream, "telemetryStream");
        Objects.requireNonNull(deadLetterQueueUrl, "deadLetterQueueUrl");
        Objects.requireNonNull(ingestFailedBatchesUrl, "ingestFailedBatchesUrl");
    }

    /**
     * The resources of a deployed stage, from its stack's outputs (output key to value, as {@code aws cloudformation
     * describe-stacks} lists them).
     *
     * @param stackName the stack, for reports and errors ({@code Waybill-<stage>})
     * @throws IllegalArgumentException naming every required output the stack lacks
     */
    public static ReplayResources fromStackOutputs(String stackName, Map<String, String> outputs) {
        List<String> missing = new ArrayList<>();
        for (String key : REQUIRED_OUTPUTS) {
            if (blank(outputs.get(key))) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("stack " + stackName + " has no output " + String.join(", ", missing)
                    + " (is it a Waybill stage stack? outputs: " + String.join(", ", new java.util.TreeSet<>(outputs.keySet()))
                    + ")");
        }
        String canonical = outputs.get(CANONICAL_STREAM_NAME);
        return new ReplayResources("stack " + stackName, outputs.get(TELEMETRY_STREAM_NAME),
                outputs.get(INGEST_DEAD_LETTERS_URL), outputs.get(INGEST_FAILED_BATCHES_URL),
                outputs.get(COLD_CHAIN_FAILED_BATCHES_URL), blank(canonical) ? null : canonical);
    }

    /** The streams the ingest mapping reads: the raw stream. */
    public Set<String> ingestStreams() {
        return Set.of(telemetryStream);
    }

    /**
     * The streams the cold-chain mapping reads or has read: the canonical stream when there is one, and the raw
     * stream, which it read before (its on-failure records from then name it).
     */
    public Set<String> coldChainStreams() {
        Set<String> s = new LinkedHashSet<>();
        if (canonicalStream != null) {
            s.add(canonicalStream);
        }
        s.add(telemetryStream);
        return s;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
