package io.waybill.local.forecast;

import io.waybill.aws.forecast.DynamoDbDemandLedger;
import io.waybill.aws.forecast.DynamoDbForecastStore;
import io.waybill.aws.forecast.ForecastEnvironment;
import io.waybill.aws.forecast.ForecastTableAccess;
import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.forecast.DemandEvents;
import io.waybill.domain.forecast.DemandIntake;
import io.waybill.domain.forecast.DemandLedger;
import io.waybill.domain.forecast.ForecastJournal;
import io.waybill.domain.forecast.ForecastRun;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.local.AwsClients;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import io.waybill.modelserver.http.ModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.sagemakerruntime.SageMakerRuntimeClient;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each forecasting code path really sends to DynamoDB, recorded on dynalite, against what the CDK app grants its
 * role ({@link ForecastTableAccess}): the intake, the scheduled run (forecast, then score once the horizon has passed),
 * the ops API's reads and its on-demand forecast. A call an adapter starts making without its grant fails here, not
 * with AccessDenied in a deployed stage.
 */
@Timeout(240)
class ForecastTableAccessOnEmulatorTest {
    private static final LocalDate AS_OF = LocalDate.of(2026, 3, 2);
    private static final String DEMAND = "demand-access";
    private static final String FORECASTS = "forecasts-access";
    private static LocalAwsStack stack;
    private static ModelServer model;

    /** table -> actions, for the phase being recorded. */
    private static final Map<String, Set<String>> recorded = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        model = ModelServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        StackResources resources = StackResources.using(stack.clients());
        resources.createTable(DynamoDbDemandLedger.definition(DEMAND));
        resources.createTable(DynamoDbForecastStore.definition(FORECASTS));
    }

    @AfterAll
    static void stop() {
        if (model != null) {
            model.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** Records "dynamodb:<Operation>" per table name of every request the client sends. */
    private static final class Recorder implements ExecutionInterceptor {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            SdkRequest request = context.request();
            String action = "dynamodb:" + request.getClass().getSimpleName().replaceFirst("Request$", "");
            List<String> tables = new ArrayList<>();
            if (request instanceof BatchWriteItemRequest batch) {
                tables.addAll(batch.requestItems().keySet());
            } else {
                request.getValueForField("TableName", String.class).ifPresent(tables::add);
            }
            for (String t : tables) {
                recorded.computeIfAbsent(t, k -> new TreeSet<>()).add(action);
            }
        }
    }

    private static Map<String, Set<String>> phase(Runnable work) {
        recorded.clear();
        work.run();
        return Map.copyOf(recorded);
    }

    @Test
    void eachPathSendsExactlyWhatItsRoleIsGranted() {
        AwsClients clients = stack.clients();
        try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(clients.endpoints().dynamodb())
                .region(clients.endpoints().region()).credentialsProvider(clients.endpoints().credentialsProvider())
                .overrideConfiguration(c -> c.addExecutionInterceptor(new Recorder())).build();
             SageMakerRuntimeClient sagemaker = LocalForecasting.sageMakerClient(clients,
                     URI.create("http://127.0.0.1:" + model.port()))) {
            ForecastEnvironment env = LocalForecasting.settings(DEMAND, FORECASTS, Map.of());
            DemandLedger ledger = env.ledger(dynamo);
            DynamoDbForecastStore store = env.store(dynamo, ledger);
            Clock clock = Clock.systemUTC();
            ForecastRun run = env.run(ledger, store, env.forecaster(sagemaker), clock, ForecastJournal.NONE);
            DemandIntake intake = new DemandIntake(ledger, ForecastJournal.NONE);
            SeriesKey key = new SeriesKey(DemandEvents.GTINS[0], DemandEvents.GLN_A);

            // 35 days of demand, contents before departures on even days and after them on odd days (both joins),
            // and one later departure of an already departed shipment (the earlier one is kept).
            List<CanonicalEvent> events = new ArrayList<>();
            for (int i = 0; i < 35; i++) {
                Instant noon = AS_OF.minusDays(35 - i).atTime(12, 0).toInstant(ZoneOffset.UTC);
                String sscc = DemandEvents.sscc(i);
                CanonicalEvent observed = DemandEvents.observed("o" + i, noon.minusSeconds(600), sscc,
                        List.of(DemandEvents.sgtin(0, 2 * i + 1), DemandEvents.sgtin(0, 2 * i + 2)));
                CanonicalEvent departed = DemandEvents.departed("d" + i, noon, sscc, DemandEvents.GLN_A);
                events.addAll(i % 2 == 0 ? List.of(observed, departed) : List.of(departed, observed));
            }
            events.add(DemandEvents.departed("late", AS_OF.minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC),
                    DemandEvents.sscc(0), DemandEvents.GLN_A));
            events.add(DemandEvents.departed("earlier", AS_OF.minusDays(36).atStartOfDay().toInstant(ZoneOffset.UTC),
                    DemandEvents.sscc(3), DemandEvents.GLN_A));

            Map<String, Set<String>> intakeCalls = phase(() -> events.forEach(intake::accept));
            assertThat(intakeCalls).containsOnlyKeys(DEMAND);
            assertThat(intakeCalls.get(DEMAND)).containsExactlyInAnyOrderElementsOf(ForecastTableAccess.INTAKE_DEMAND);

            // The schedule: a forecast today, then 28 days later the run that scores it.
            Map<String, Set<String>> runCalls = phase(() -> {
                assertThat(run.run(AS_OF).stored()).isEqualTo(1);
                assertThat(run.run(AS_OF.plusDays(28)).scored()).hasSize(1);
            });
            assertThat(runCalls.get(DEMAND)).containsExactlyInAnyOrderElementsOf(ForecastTableAccess.RUN_DEMAND);
            assertThat(runCalls.get(FORECASTS)).containsExactlyInAnyOrderElementsOf(ForecastTableAccess.RUN_FORECAST);

            // The ops API: GET /forecasts, GET /forecasts/{id}; then POST /forecasts/{id} (the run's code).
            Map<String, Set<String>> readCalls = phase(() -> {
                assertThat(store.series(null, null, 10)).containsExactly(key);
                assertThat(store.series(DemandEvents.GLN_A, key.gtin() + "@", 1)).containsExactly(key); // the existence check
                store.history(key, AS_OF.minusDays(90), AS_OF);
                assertThat(store.latest(key)).isPresent();
                assertThat(store.accuracy(key, 10)).hasSize(1);
            });
            assertThat(readCalls.get(DEMAND)).isSubsetOf(ForecastTableAccess.READ_DEMAND);
            assertThat(readCalls.get(FORECASTS)).isSubsetOf(ForecastTableAccess.READ_FORECAST);
            Map<String, Set<String>> onDemandCalls = phase(() ->
                    assertThat(run.forecastNow(key, AS_OF.plusDays(29))).isPresent());
            assertThat(onDemandCalls.get(DEMAND)).isSubsetOf(ForecastTableAccess.RUN_DEMAND);
            assertThat(onDemandCalls.get(FORECASTS)).isSubsetOf(ForecastTableAccess.RUN_FORECAST);
        }
    }
}
