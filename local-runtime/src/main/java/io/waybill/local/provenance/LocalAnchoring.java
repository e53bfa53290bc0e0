package io.waybill.local.provenance;

import io.waybill.anchor.AnchorIntakeHandler;
import io.waybill.anchor.AnchorTelemetry;
import io.waybill.aws.provenance.DynamoDbAnchorLedger;
import io.waybill.aws.provenance.DynamoDbEventProofs;
import io.waybill.chain.Web3jAnchorChain;
import io.waybill.domain.provenance.AnchorBatchPolicy;
import io.waybill.domain.provenance.AnchorIntake;
import io.waybill.domain.provenance.AnchorLedger;
import io.waybill.domain.provenance.AnchorRun;
import io.waybill.domain.provenance.AnchorRunSettings;
import io.waybill.domain.provenance.EventProof;
import io.waybill.domain.provenance.EventProofs;
import io.waybill.domain.provenance.ProvenanceSelection;
import io.waybill.local.stack.LocalEthereum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Provenance anchoring deployed on the local stack as on AWS: the intake ({@link AnchorIntakeHandler}, the same
 * handler class Lambda runs, behind the canonical stream's event source mapping) and the scheduled run (the
 * {@link AnchorRun} the {@code AnchorScheduleHandler} loops through its minute, here passed every
 * {@link #DEFAULT_PASS_EVERY} by one scheduler thread, the local stand-in for the EventBridge schedule with reserved
 * concurrency 1), signing with the dev node's key where AWS signs with the KMS key.
 */
public final class LocalAnchoring implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalAnchoring.class);
    /** How often the local run passes (the deployed run passes every 2 s within its scheduled minute). */
    public static final Duration DEFAULT_PASS_EVERY = Duration.ofSeconds(1);

    private final LocalEthereum ethereum;
    private final Web3jAnchorChain chain;
    private final AnchorLedger ledger;
    private final EventProofs proofs;
    private final AnchorIntake intake;
    private final AnchorTelemetry telemetry;
    private final AnchorRun run;
    private final Clock clock;
    private final ScheduledExecutorService schedule;

    private LocalAnchoring(LocalEthereum ethereum, DynamoDbClient dynamo, String ledgerTable, String proofsTable,
                           ProvenanceSelection selection, AnchorBatchPolicy policy, AnchorRunSettings settings,
                           Duration passEvery, Clock clock) {
        this.ethereum = Objects.requireNonNull(ethereum, "ethereum");
        this.clock = clock;
        this.chain = ethereum.connect();
        this.ledger = new DynamoDbAnchorLedger(dynamo, ledgerTable);
        this.proofs = new DynamoDbEventProofs(dynamo, proofsTable);
        this.telemetry = new AnchorTelemetry(null);
        this.intake = new AnchorIntake(selection, ledger, clock, telemetry);
        this.run = new AnchorRun(ledger, chain, ethereum.devSigner(), proofs, policy, settings, clock, telemetry);
        if (passEvery == null) {
            this.schedule = null;
        } else {
            this.schedule = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "waybill-local-anchor-run");
                t.setDaemon(true);
                return t;
            });
            schedule.scheduleWithFixedDelay(this::passQuietly, passEvery.toMillis(), passEvery.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts anchoring on tables the caller created ({@link DynamoDbAnchorLedger#definition},
     * {@link DynamoDbEventProofs#definition}) and, unless {@code passEvery} is null, the scheduled run.
     *
     * @param passEvery how often the run passes; null for none (a test drives {@link #pass()} itself)
     */
    public static LocalAnchoring start(LocalEthereum ethereum, DynamoDbClient dynamo, String ledgerTable,
                                       String proofsTable, ProvenanceSelection selection, AnchorBatchPolicy policy,
                                       AnchorRunSettings settings, Duration passEvery) {
        return new LocalAnchoring(ethereum, dynamo, ledgerTable, proofsTable, selection, policy, settings, passEvery,
                Clock.systemUTC());
    }

    private void passQuietly() {
        try {
            run.pass(clock.instant().plus(Duration.ofSeconds(30)));
        } catch (RuntimeException e) {
            LOG.warn("local anchor pass failed (the next one retries): {}", e.toString());
        }
    }

    /** One pass now (tests and the benchmark drive the run themselves when started without a schedule). */
    public AnchorRun.Outcome pass() {
        return run.pass(clock.instant().plus(Duration.ofSeconds(30)));
    }

    /** The intake handler, as the canonical stream's mapping invokes it. */
    public AnchorIntakeHandler intakeHandler() {
        return new AnchorIntakeHandler(intake, telemetry);
    }

    public LocalEthereum ethereum() {
        return ethereum;
    }

    public Web3jAnchorChain chain() {
        return chain;
    }

    public EventProofs proofs() {
        return proofs;
    }

    public AnchorLedger ledger() {
        return ledger;
    }

    /**
     * Waits until every event of {@code eventIds} has a proof.
     *
     * @return the proofs found, in the order of {@code eventIds}; fewer when the time ran out
     */
    public List<EventProof> awaitProofs(Collection<String> eventIds, Duration timeout) throws InterruptedException {
        Instant until = Instant.now().plus(timeout);
        while (true) {
            List<EventProof> found = new ArrayList<>();
            for (String id : eventIds) {
                Optional<EventProof> p = proofs.find(id);
                p.ifPresent(found::add);
            }
            if (found.size() == eventIds.size() || Instant.now().isAfter(until)) {
                return found;
            }
            Thread.sleep(250);
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
            try {
                schedule.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        chain.close();
    }
}
