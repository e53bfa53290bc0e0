package io.waybill.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.waybill.domain.ingestion.reference.Traffic;
import io.waybill.domain.ingestion.reference.TrafficArbitraries;

/**
 * The ingest promises' emulator property ({@link IngestPromisesOnEmulatorsTest#tablesEndInTheReferenceState}) on
 * LocalStack through Testcontainers: generated traffic (resends, id reuse, skewed clocks, shards on threads, faults at
 * random points) through the DynamoDB ledger and projection and the SQS dead-letter sink, checked against the
 * reference model. Without a Docker engine the test fails an assumption and is reported as skipped with
 * {@link LocalStackBackEnd#NO_DOCKER}, never as passed.
 *
 * <p>A plain JUnit test drawing its inputs from the same jqwik arbitraries (jqwik's container lifecycle has no
 * assumption that skips a whole class); a failing try is reported with its traffic.
 */
class IngestPromisesOnLocalStackTest {
    private static final int TRIES = 6;
    private static AwsBackEnd backEnd;

    @BeforeAll
    static void startLocalStack() {
        // No assumption here: aborting the class container is reported by Surefire as "Tests run: 0", so the test
        // would vanish from the report. The test itself is aborted instead, and shows as skipped with the reason.
        if (LocalStackBackEnd.dockerAvailable()) {
            backEnd = LocalStackBackEnd.start();
        }
    }

    @AfterAll
    static void stopLocalStack() {
        if (backEnd != null) {
            backEnd.close();
        }
    }

    @Test
    void theTablesOnLocalStackEndInTheReferenceState() {
        assumeTrue(backEnd != null, LocalStackBackEnd.NO_DOCKER);
        for (int i = 0; i < TRIES; i++) {
            long seed = 20261206L + i;
            Random random = new Random(seed);
            Traffic traffic = TrafficArbitraries.traffic(TrafficArbitraries.Options.EVERYTHING).sample();
            try {
                IngestPromisesOnEmulatorsTest.tablesEndInTheReferenceState(backEnd.clients(), traffic,
                        random.nextLong(), random.nextLong(), 1 + random.nextInt(12));
            } catch (AssertionError e) {
                throw new AssertionError("try " + i + " (seed " + seed + ") failed on " + traffic, e);
            }
        }
    }
}
