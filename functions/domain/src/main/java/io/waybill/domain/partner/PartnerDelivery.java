package io.waybill.domain.partner;

import io.waybill.domain.ingestion.TransientDependencyException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Delivers entries to the partner bus: {@link PutEventsBatcher} calls, then only the failed entries of each call are
 * resent (backoff with full jitter, {@link DeliveryPolicy}) until accepted or out of attempts; an entry out of
 * attempts, with a permanent error, or over the size limit is dead-lettered with its reason. Every entry ends
 * {@link Outcome#delivered} or {@link Outcome#deadLettered}: none is dropped.
 */
public final class PartnerDelivery {

    /** Sleeping between attempts (a test passes one that records and returns). */
    @FunctionalInterface
    public interface Pause {
        void sleep(long millis) throws InterruptedException;
    }

    /** An entry dead-lettered, and why. */
    public record DeadLettered(OutboundEntry entry, String reason) {
    }

    /** Where every entry ended, and how many {@code PutEvents} calls it took. */
    public record Outcome(List<OutboundEntry> delivered, List<DeadLettered> deadLettered, int calls) {
        public Outcome {
            delivered = List.copyOf(delivered);
            deadLettered = List.copyOf(deadLettered);
        }
    }

    private final PartnerPublisher publisher;
    private final PartnerDeadLetters deadLetters;
    private final DeliveryPolicy policy;
    private final Pause pause;
    private final RandomGenerator random;

    public PartnerDelivery(PartnerPublisher publisher, PartnerDeadLetters deadLetters, DeliveryPolicy policy,
                           Pause pause, RandomGenerator random) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * @throws TransientDependencyException when a dead letter cannot be recorded (the caller redelivers the batch;
     *                                      entries already delivered are then settled and not resent)
     */
    public Outcome deliver(List<OutboundEntry> entries) {
        PutEventsBatcher.Plan plan = PutEventsBatcher.plan(entries);
        List<OutboundEntry> delivered = new ArrayList<>();
        List<DeadLettered> dead = new ArrayList<>();
        for (PutEventsBatcher.Oversized o : plan.oversized()) {
            dead.add(deadLetter(o.entry(), o.reason()));
        }
        int calls = 0;
        List<OutboundEntry> pending = new ArrayList<>();
        for (List<OutboundEntry> call : plan.calls()) {
            pending.addAll(call);
        }
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > 1) {
                pause(policy.ceilingMillis(attempt - 1));
            }
            List<OutboundEntry> failed = new ArrayList<>();
            // failed entries of one attempt are re-planned together: at most 10 per call again
            for (List<OutboundEntry> call : PutEventsBatcher.plan(pending).calls()) {
                calls++;
                List<PartnerPublisher.Result> results = put(call);
                for (int i = 0; i < call.size(); i++) {
                    OutboundEntry e = call.get(i);
                    PartnerPublisher.Result r = results.get(i);
                    if (r.ok()) {
                        delivered.add(e);
                    } else if (!policy.retryable(r.errorCode())) {
                        dead.add(deadLetter(e, "permanent error " + r.errorCode() + ": " + r.message()));
                    } else if (attempt >= policy.maxAttempts()) {
                        dead.add(deadLetter(e, "gave up after " + attempt + " attempts; last error "
                                + r.errorCode() + ": " + r.message()));
                    } else {
                        failed.add(e);
                    }
                }
            }
            pending = failed;
        }
        return new Outcome(delivered, dead, calls);
    }

    private List<PartnerPublisher.Result> put(List<OutboundEntry> call) {
        try {
            List<PartnerPublisher.Result> results = publisher.putEvents(call);
            if (results.size() != call.size()) {
                throw new IllegalStateException("PutEvents answered " + results.size() + " results for "
                        + call.size() + " entries");
            }
            return results;
        } catch (TransientDependencyException e) {
            PartnerPublisher.Result failed = PartnerPublisher.Result.failed("CallFailed", e.getMessage());
            return call.stream().map(x -> failed).toList();
        }
    }

    private DeadLettered deadLetter(OutboundEntry e, String reason) {
        deadLetters.deadLetter(e, reason);
        return new DeadLettered(e, reason);
    }

    private void pause(long ceilingMillis) {
        long millis = ceilingMillis <= 0 ? 0 : random.nextLong(ceilingMillis + 1);
        try {
            pause.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransientDependencyException("partner-bus", "interrupted while backing off", e);
        }
    }
}
