package io.waybill.local.forecast;

import io.waybill.aws.forecast.DynamoDbDemandLedger;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.forecast.DemandIntake;
import io.waybill.domain.forecast.DemandScenarios;
import io.waybill.domain.forecast.ForecastJournal;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DynamoDbDemandLedger} on the DynamoDB emulator against the reference model of the domain's demand properties
 * ({@link DemandScenarios}): shuffled and resent events, sequentially and from 8 threads at once
 * (contents and departures of one shipment racing each other: each writer writes its fact, then reads the other side
 * with a consistent query, so at least one of them joins them).
 */
@Timeout(300)
class DynamoDbDemandLedgerOnEmulatorTest {
    private static LocalAwsStack stack;
    private static int tables;

    @BeforeAll
    static void start() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static DynamoDbDemandLedger freshLedger() {
        String name = "demand-test-" + (++tables);
        StackResources.using(stack.clients()).createTable(DynamoDbDemandLedger.definition(name));
        return new DynamoDbDemandLedger(stack.clients().dynamoDb(), name);
    }

    @Test
    void shuffledAndResentEventsEndInTheReferenceDemand() {
        Random seeds = new Random(15);
        for (int run = 0; run < 12; run++) {
            long scenarioSeed = seeds.nextLong();
            DemandScenarios.Scenario s = DemandScenarios.scenario(scenarioSeed);
            DynamoDbDemandLedger ledger = freshLedger();
            DemandIntake intake = new DemandIntake(ledger, ForecastJournal.NONE);
            DemandScenarios.redelivered(s.events(), seeds.nextLong()).forEach(intake::accept);
            assertThat(DemandScenarios.demandOf(ledger)).as("scenario %d", scenarioSeed)
                    .isEqualTo(s.reference());
        }
    }

    @Test
    void concurrentWritersEndInTheReferenceDemand() throws Exception {
        Random seeds = new Random(1515);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int run = 0; run < 12; run++) {
                long scenarioSeed = seeds.nextLong();
                DemandScenarios.Scenario s = DemandScenarios.scenario(scenarioSeed);
                DynamoDbDemandLedger ledger = freshLedger();
                DemandIntake intake = new DemandIntake(ledger, ForecastJournal.NONE);
                List<Future<?>> running = new ArrayList<>();
                for (CanonicalEvent e : DemandScenarios.redelivered(s.events(), seeds.nextLong())) {
                    running.add(pool.submit(() -> intake.accept(e)));
                }
                for (Future<?> f : running) {
                    f.get();
                }
                assertThat(DemandScenarios.demandOf(ledger)).as("scenario %d", scenarioSeed)
                        .isEqualTo(s.reference());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
