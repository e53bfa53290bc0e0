package io.waybill.domain.provenance;

import io.waybill.domain.event.CanonicalEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any schedule of arrivals, redeliveries, passes of two runs, blocks, outages, reorganisations shallower than the
 * confirmation depth, crashes and lost pools ends,
 * once the node is back and blocks are mined, with every selected event anchored once: a proof that verifies against
 * the root of exactly one successful anchor on the model chain, and no second anchor of any root ever mined.
 */
class AnchorRunPropertiesTest {
    enum Step { ARRIVE, REDELIVER, PASS_A, PASS_B, MINE, NODE_DOWN, NODE_UP, REORG_DROP, REORG_BACK, WAIT_10S,
        FORGET_POOL, CRASH_NEXT_BROADCAST }

    @Provide
    Arbitrary<List<Step>> schedules() {
        return Arbitraries.of(Step.class).list().ofMinSize(5).ofMaxSize(80);
    }

    @Property(tries = 300)
    void anyScheduleEndsWithEveryEventAnchoredOnce(@ForAll("schedules") List<Step> schedule,
                                                   @ForAll("sizes") int maxEvents) throws Exception {
        AnchorRunTest t = new AnchorRunTest();
        t.setUp();
        AnchorBatchPolicy policy = new AnchorBatchPolicy(maxEvents, Duration.ofSeconds(20));
        AnchorRun a = t.run(policy);
        AnchorRun b = t.run(policy);
        List<CanonicalEvent> events = new ArrayList<>();
        int next = 0;
        for (Step step : schedule) {
            switch (step) {
                case ARRIVE -> {
                    events.add(AnchorRunTest.custody(next++));
                    t.intake.accept(events.get(events.size() - 1));
                }
                case REDELIVER -> {
                    if (!events.isEmpty()) {
                        t.intake.accept(events.get(next / 2));
                    }
                }
                case PASS_A -> pass(a, t);
                case PASS_B -> pass(b, t);
                case MINE -> { if (!t.chain.unreachable) t.chain.mine(); }
                case NODE_DOWN -> t.chain.unreachable = true;
                case NODE_UP -> t.chain.unreachable = false;
                case REORG_DROP -> { if (shallowReorgAllowed(t.chain)) t.chain.reorganise(1, false); }
                case REORG_BACK -> { if (shallowReorgAllowed(t.chain)) t.chain.reorganise(1, true); }
                case WAIT_10S -> t.clock.advance(Duration.ofSeconds(10));
                case FORGET_POOL -> t.chain.forgetBroadcasts = !t.chain.forgetBroadcasts;
                case CRASH_NEXT_BROADCAST -> t.chain.crashOnNextBroadcast = true;
            }
        }
        t.chain.unreachable = false;
        t.chain.forgetBroadcasts = false;
        t.chain.crashOnNextBroadcast = false;
        t.clock.advance(AnchorRunSettings.DEFAULT_LEASE); // a crashed run's lease runs out
        for (int i = 0; i < 40 && !(t.ledger.openBatches().isEmpty() && t.ledger.queuedCount() == 0); i++) {
            a.pass(t.later());
            t.chain.mine();
            t.clock.advance(Duration.ofSeconds(10));
        }
        assertThat(t.ledger.openBatches()).isEmpty();
        assertThat(t.ledger.queuedCount()).isZero();
        t.assertEveryEventAnchoredOnce(events);
        assertThat(t.proofs.byEvent).hasSize(events.size());
        assertThat(t.ledger.allBatches()).allSatisfy(batch ->
                assertThat(batch.state()).isEqualTo(AnchorBatch.State.CONFIRMED));
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(1, 5);
    }

    /**
     * Reorganisations shallower than the confirmation depth (2): only the tip is dropped, and only while the chain is
     * at the highest block it ever reached, so no block two deep is ever replaced. A deeper reorganisation is outside
     * the promise (a confirmed batch's block could go, and the stored next nonce would be ahead of the chain): pick
     * the confirmations for the chain (mainnet: finality).
     */
    private static boolean shallowReorgAllowed(ReferenceChain chain) {
        return chain.latest().number() > 0 && chain.latest().number() == chain.highest;
    }

    private static void pass(AnchorRun run, AnchorRunTest t) {
        try {
            run.pass(t.later());
        } catch (ReferenceChain.Crash crashed) {
            // the process died mid-pass: its lease stays until it runs out
        }
    }
}
