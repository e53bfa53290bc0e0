package io.waybill.anchor;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import io.waybill.domain.provenance.AnchorChain;
import io.waybill.domain.provenance.AnchorIntake;
import io.waybill.domain.provenance.AnchorLedger;
import io.waybill.domain.provenance.AnchorRun;
import io.waybill.domain.provenance.DigestSigner;
import io.waybill.domain.provenance.EthereumAddress;
import io.waybill.domain.provenance.EventProofs;
import io.waybill.domain.provenance.ProvenanceSelection;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schedule handler passes every 2 s until 50 s or the invocation's remaining time minus 10 s, then gives the
 * writer lease up. Passes are counted at the ledger (each asks for the lease first; here another run holds it).
 */
class AnchorScheduleHandlerTest {
    private final Instant[] now = {Instant.parse("2026-03-14T13:00:00Z")};
    private final Clock clock = new Clock() {
        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { return this; }
        @Override public Instant instant() { return now[0]; }
    };
    private final List<String> calls = new ArrayList<>();

    private AnchorScheduleHandler handler() {
        AnchorLedger ledger = (AnchorLedger) Proxy.newProxyInstance(AnchorLedger.class.getClassLoader(),
                new Class<?>[]{AnchorLedger.class}, (p, m, a) -> {
                    calls.add(m.getName());
                    return m.getName().equals("holdLease") ? false : null;
                });
        DigestSigner signer = (DigestSigner) Proxy.newProxyInstance(DigestSigner.class.getClassLoader(),
                new Class<?>[]{DigestSigner.class}, (p, m, a) ->
                        EthereumAddress.parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"));
        AnchorChain chain = (AnchorChain) Proxy.newProxyInstance(AnchorChain.class.getClassLoader(),
                new Class<?>[]{AnchorChain.class}, (p, m, a) -> {
                    throw new AssertionError("no chain call without the lease");
                });
        AnchorTelemetry telemetry = new AnchorTelemetry(null);
        AnchorSettings settings = AnchorSettings.fromEnvironment(Map.of("WAYBILL_ANCHOR_LEDGER_TABLE", "l",
                "WAYBILL_PROOFS_TABLE", "p", "WAYBILL_ANCHOR_KMS_KEY_ID", "k",
                "WAYBILL_CHAIN_RPC_URL", "http://127.0.0.1:8545", "WAYBILL_CHAIN_ID", "31337",
                "WAYBILL_ANCHOR_REGISTRY", "0x5fbdb2315678afecb367f032d93f642f64180aa3"));
        EventProofs proofs = (EventProofs) Proxy.newProxyInstance(EventProofs.class.getClassLoader(),
                new Class<?>[]{EventProofs.class}, (p, m, a) -> null);
        AnchorRun run = new AnchorRun(ledger, chain, signer, proofs, settings.batchPolicy(), settings.run(), clock,
                telemetry);
        AnchorFunction f = new AnchorFunction(settings, new AnchorIntake(ProvenanceSelection.defaults(), ledger, clock,
                telemetry), run, telemetry, ledger, proofs, clock);
        return new AnchorScheduleHandler(f, d -> now[0] = now[0].plus(d));
    }

    private static Context remaining(long millis) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[]{Context.class},
                (p, m, a) -> m.getName().equals("getRemainingTimeInMillis") ? (int) millis : null);
    }

    @Test
    void passesEveryTwoSecondsForFiftySecondsThenReleasesTheLease() {
        handler().handleRequest(new ScheduledEvent(), remaining(900_000));
        // passes start at 0, 2, ..., 46 s (a pass at 48 s would end its pause at 50 s): 24 passes
        assertThat(calls.stream().filter("holdLease"::equals)).hasSize(24);
        assertThat(calls.get(calls.size() - 1)).isEqualTo("releaseLease");
    }

    @Test
    void aShortInvocationStopsTenSecondsBeforeItsEnd() {
        handler().handleRequest(new ScheduledEvent(), remaining(20_000));
        // deadline 20 - 10 = 10 s: passes at 0, 2, 4, 6 s
        assertThat(calls.stream().filter("holdLease"::equals)).hasSize(4);
        calls.clear();
        handler().handleRequest(new ScheduledEvent(), remaining(11_000));
        assertThat(calls.stream().filter("holdLease"::equals)).as("one pass even when short").hasSize(1);
    }
}
