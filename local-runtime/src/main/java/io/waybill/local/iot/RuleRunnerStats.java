package io.waybill.local.iot;

import java.util.Arrays;
import java.util.Locale;

/**
 * A snapshot of a {@link LocalRuleRunner}'s counters.
 *
 * @param messagesReceived    MQTT messages delivered to the runner on the rule's topic filter
 * @param recordsPut          records the stream accepted (one per message that passed the rule)
 * @param putRecordsCalls     PutRecords requests made (retries included)
 * @param putRetries          PutRecords requests that re-sent failed entries or a failed call
 * @param ruleErrors          messages that became rule errors (not a JSON object, PutRecords failed after retries, ...)
 * @param errorMessagesSent   error-action messages the SQS error queue accepted
 * @param errorActionFailures rule errors that could not be sent (no error action, or SQS failed): only logged
 * @param buffered            messages received but not yet put or sent to the error queue
 * @param filteredOut         messages the rule's {@code WHERE} condition dropped (no action, no error action)
 * @param latency             per-record latency from the runner receiving the message (the broker's hand-over,
 *                            {@code wb_received_ms}) to PutRecords accepting it
 */
public record RuleRunnerStats(long messagesReceived, long recordsPut, long putRecordsCalls, long putRetries,
                              long ruleErrors, long errorMessagesSent, long errorActionFailures, long buffered,
                              long filteredOut, Latency latency) {

    /**
     * Latency percentiles in milliseconds (nearest rank over the last {@code count} samples, at most 65,536 kept).
     */
    public record Latency(long count, long p50, long p95, long p99, long max, double mean) {
        static final Latency NONE = new Latency(0, 0, 0, 0, 0, 0);

        static Latency of(long[] samples) {
            if (samples.length == 0) {
                return NONE;
            }
            long[] s = samples.clone();
            Arrays.sort(s);
            return new Latency(s.length, rank(s, 0.50), rank(s, 0.95), rank(s, 0.99), s[s.length - 1],
                    Arrays.stream(s).average().orElse(0));
        }

        private static long rank(long[] sorted, double p) {
            int i = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "n=%d p50=%d ms p95=%d ms p99=%d ms max=%d ms mean=%.1f ms",
                    count, p50, p95, p99, max, mean);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "received %d, put %d (%d PutRecords calls, %d retries), rule errors %d "
                        + "(%d sent to the error queue, %d not sent), buffered %d, dropped by WHERE %d, latency broker->stream %s",
                messagesReceived, recordsPut, putRecordsCalls, putRetries, ruleErrors, errorMessagesSent,
                errorActionFailures, buffered, filteredOut, latency);
    }
}
