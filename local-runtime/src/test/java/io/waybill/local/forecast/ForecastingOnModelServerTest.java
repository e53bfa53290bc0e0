package io.waybill.local.forecast;

import io.waybill.domain.event.CanonicalEvent;
import io.waybill.domain.event.CanonicalEventJson;
import io.waybill.domain.forecast.DemandEvents;
import io.waybill.domain.forecast.ForecastRun;
import io.waybill.domain.forecast.SeriesKey;
import io.waybill.domain.forecast.StoredForecast;
import io.waybill.local.esm.EventSourceMappingConfig;
import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import io.waybill.modelserver.http.ModelServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.core.SdkBytes;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole forecasting path on the local stack with our own model behind the endpoint: canonical events on the
 * canonical stream -> demand intake (behind the event source mapping) -> the forecast run -> the REAL SageMaker
 * runtime client (SigV4, {@code /endpoints/{name}/invocations}) -> the model server -> stored forecasts. The oracles
 * are the series' known structure: a demand that repeats one weekly pattern exactly must be forecast as that pattern,
 * and a SKU that sells on one day in six must get an intermittent-demand method.
 */
@Timeout(240)
class ForecastingOnModelServerTest {
    private static final LocalDate AS_OF = LocalDate.of(2026, 6, 1);
    private static final int DAYS = 84;
    /** Units that leave on each day of the week, Monday first (AS_OF - 84 is a Monday). */
    private static final int[] WEEK = {6, 5, 5, 6, 11, 3, 1};
    private static final SeriesKey WEEKLY = new SeriesKey(DemandEvents.GTINS[0], DemandEvents.GLN_A);
    private static final SeriesKey SPORADIC = new SeriesKey(DemandEvents.GTINS[1], DemandEvents.GLN_A);

    private static LocalAwsStack stack;
    private static ModelServer model;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        model = ModelServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
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

    @Test
    void aWeeklyPatternIsForecastAsThatPatternAndSporadicDemandGetsCroston() throws Exception {
        assertThat(AS_OF.minusDays(DAYS).getDayOfWeek()).isEqualTo(java.time.DayOfWeek.MONDAY);
        String stream = "forecast-model-e2e";
        StackResources.using(stack.clients()).createStream(stream, 1);
        try (LocalForecasting forecasting = LocalForecasting.start(stack.clients(), stream,
                EventSourceMappingConfig.builder().pollInterval(Duration.ofMillis(200)).build(),
                LocalForecasting.settings("demand-model-e2e", "forecasts-model-e2e", Map.of()),
                URI.create("http://127.0.0.1:" + model.port()))) {
            List<CanonicalEvent> events = new ArrayList<>();
            double[] weekly = new double[DAYS];
            double[] sporadic = new double[DAYS];
            int serial = 0;
            for (int i = 0; i < DAYS; i++) {
                Instant noon = AS_OF.minusDays(DAYS - i).atTime(12, 0).toInstant(ZoneOffset.UTC);
                String sscc = DemandEvents.sscc(i);
                List<String> epcs = new ArrayList<>();
                for (int u = 0; u < WEEK[i % 7]; u++) {
                    epcs.add(DemandEvents.sgtin(0, ++serial));
                }
                weekly[i] = WEEK[i % 7];
                if (i % 6 == 2) { // the slow mover rides along on one shipment in six
                    epcs.add(DemandEvents.sgtin(1, ++serial));
                    epcs.add(DemandEvents.sgtin(1, ++serial));
                    sporadic[i] = 2;
                }
                events.add(DemandEvents.observed("obs-" + i, noon.minusSeconds(1800), sscc, epcs));
                events.add(DemandEvents.departed("dep-" + i, noon, sscc, DemandEvents.GLN_A));
            }
            for (CanonicalEvent e : events) {
                stack.clients().kinesis().putRecord(b -> b.streamName(stream).partitionKey(e.subject())
                        .data(SdkBytes.fromString(CanonicalEventJson.toJsonString(e), StandardCharsets.UTF_8)));
            }
            double total = Arrays.stream(weekly).sum() + Arrays.stream(sporadic).sum();
            Instant until = Instant.now().plusSeconds(90);
            while (Instant.now().isBefore(until) && demandSoFar(forecasting, WEEKLY) + demandSoFar(forecasting,
                    SPORADIC) < total) {
                Thread.sleep(200);
            }
            assertThat(forecasting.store().history(WEEKLY, AS_OF.minusDays(DAYS), AS_OF.minusDays(1)).unitsPerDay())
                    .containsExactly(weekly);
            assertThat(forecasting.store().history(SPORADIC, AS_OF.minusDays(DAYS), AS_OF.minusDays(1))
                    .unitsPerDay()).containsExactly(sporadic);

            ForecastRun.Report report = forecasting.runOnce(AS_OF);

            assertThat(report.endpointUnavailable()).isFalse();
            assertThat(report.stored()).isEqualTo(2);
            StoredForecast w = forecasting.store().latest(WEEKLY).orElseThrow();
            assertThat(w.firstDay()).isEqualTo(AS_OF);
            assertThat(w.horizonDays()).isEqualTo(28);
            assertThat(w.method()).startsWith("ETS(").contains(",A)"); // an additive weekly season
            for (int d = 0; d < 28; d++) {
                assertThat(w.mean()[d]).as("day %d", d).isCloseTo(WEEK[d % 7], within(0.25));
                assertThat(w.quantiles().get("0.1")[d]).isLessThanOrEqualTo(w.quantiles().get("0.9")[d]);
            }
            // Lead time 7 days: one week of the pattern, 37 units; an exact pattern leaves almost no uncertainty.
            assertThat(w.reorder().leadTimeDemandMean()).isCloseTo(37, within(1.0));
            assertThat(w.reorder().reorderPoint()).isGreaterThanOrEqualTo(w.reorder().leadTimeDemandMean())
                    .isLessThan(37 + 3);
            assertThat(w.modelName()).isEqualTo("waybill-model-server");

            StoredForecast s = forecasting.store().latest(SPORADIC).orElseThrow();
            assertThat(s.method()).containsIgnoringCase("croston");
            // 14 sales of 2 units in 84 days: 1/3 of a unit a day; a Croston-family rate is of that order.
            assertThat(s.mean()[0]).isBetween(0.15, 0.6);
            for (double m : s.mean()) {
                assertThat(m).isEqualTo(s.mean()[0]); // flat, as every Croston-family forecast is
            }
        }
    }

    private static double demandSoFar(LocalForecasting forecasting, SeriesKey key) {
        return Arrays.stream(forecasting.store().history(key, AS_OF.minusDays(DAYS), AS_OF.minusDays(1))
                .unitsPerDay()).sum();
    }
}
