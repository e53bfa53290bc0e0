package io.waybill.aws.epcis;

import io.waybill.domain.epcis.EpcisRepository;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import io.waybill.opsapi.EpcisCaptureAndQueryScenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The EPCIS capture and query scenario ({@link EpcisCaptureAndQueryScenario}: GS1's examples captured and queried
 * back by each filter with hand-worked answers, pages walked exactly once, tampered tokens refused, 409 on
 * re-capture, corrections, the stream's refusal undone, and two concurrent captures of one event giving exactly one
 * 201) on {@link DynamoDbEpcisRepository} against the local DynamoDB emulator (dynalite), one fresh table per test
 * with the fixed contract of {@link EpcisTables#definition}.
 */
@Timeout(120)
class DynamoDbEpcisRepositoryOnEmulatorTest extends EpcisCaptureAndQueryScenario {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static LocalAwsStack stack;

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

    @Override
    protected EpcisRepository repository() {
        String table = "epcis-" + TABLES.incrementAndGet();
        StackResources.using(stack.clients()).createTable(EpcisTables.definition(table));
        return new DynamoDbEpcisRepository(stack.clients().dynamoDb(), table);
    }
}
