package io.waybill.modelserver.methods;

import static org.assertj.core.api.Assertions.assertThat;

import io.waybill.modelserver.model.FittedForecast;
import io.waybill.modelserver.model.ForecastMethod;
import io.waybill.modelserver.model.UnfittableSeries;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The selection rule, with a stand-in ETS written here (the real one is another module's). */
class AutomaticForecastTest {

    private static final double[] INTERMITTENT = RFixture.load("croston-demand").series();
    private static final double[] MONTHLY = RFixture.load("theta-airpassengers").series();

    /** A stand-in ETS that reports fixed values, or refuses every series. */
    private record StandIn(boolean refuse) implements ForecastMethod {
        public String name() {
            return "ets";
        }

        public FittedForecast fit(double[] y, int period) {
            if (refuse) {
                throw new UnfittableSeries("stand-in refuses");
            }
            return new FittedForecast() {
                public String model() {
                    return "ETS(A,N,N)";
                }

                public double[] mean(int h) {
                    return new double[h];
                }

                public double[] quantile(double p, int h) {
                    return new double[h];
                }

                public double[][] samples(int n, int h, RandomGenerator random) {
                    return new double[n][h];
                }
            };
        }
    }

    @Test
    void intermittentSeriesIsDetectedAndGetsSba() {
        assertThat(IntermittentDemand.averageDemandInterval(INTERMITTENT)).isEqualTo(48.0 / 12); // 12 demands, 48 periods
        assertThat(IntermittentDemand.classify(INTERMITTENT)).isEqualTo(IntermittentDemand.Kind.INTERMITTENT);
        assertThat(AutomaticForecast.withEts(new StandIn(false)).fit(INTERMITTENT, 12).model()).isEqualTo("Croston-SBA");
    }

    @Test
    void longTrailingRunOfZerosGetsTsb() {
        double[] y = new double[INTERMITTENT.length + 12];
        System.arraycopy(INTERMITTENT, 0, y, 0, INTERMITTENT.length);
        // ADI = 60/12 = 5; 13 trailing zeros > 2 * 5
        assertThat(IntermittentDemand.classify(y)).isEqualTo(IntermittentDemand.Kind.OBSOLESCENT);
        assertThat(AutomaticForecast.withoutEts().fit(y, 1).model()).isEqualTo("Croston-TSB");
    }

    @Test
    void demandInMostPeriodsIsNotIntermittent() {
        // 10 demands in 13 periods: ADI 1.3 < 1.32
        double[] y = {5, 0, 3, 4, 0, 6, 2, 3, 0, 4, 5, 2, 1};
        assertThat(IntermittentDemand.classify(y)).isEqualTo(IntermittentDemand.Kind.SMOOTH);
        // 10 demands in 14 periods: ADI 1.4 >= 1.32
        double[] z = {5, 0, 3, 4, 0, 6, 2, 3, 0, 4, 5, 2, 1, 0};
        assertThat(IntermittentDemand.classify(z)).isEqualTo(IntermittentDemand.Kind.INTERMITTENT);
    }

    @Test
    void smoothSeriesGoesToEts() {
        assertThat(AutomaticForecast.withEts(new StandIn(false)).fit(MONTHLY, 12).model()).isEqualTo("ETS(A,N,N)");
    }

    @Test
    void etsFailureFallsBackToTheta() {
        assertThat(AutomaticForecast.withEts(new StandIn(true)).fit(MONTHLY, 12).model()).startsWith("Theta");
    }

    @Test
    void shortSeriesSkipsEtsForThetaThenNaive() {
        AutomaticForecast auto = AutomaticForecast.withEts(new StandIn(false));
        assertThat(auto.fit(new double[] {3, 4, 5, 6, 7}, 12).model()).startsWith("Theta");
        assertThat(auto.fit(new double[] {3, 4}, 12).model()).isEqualTo("Naive");
        assertThat(auto.fit(new double[] {3}, 12).quantile(0.9, 2)).containsExactly(3.0, 3.0);
    }

    @Test
    void negativeValuesAreNeverIntermittent() {
        double[] y = {0, 0, -3, 0, 0, 4, 0, 0, 0, 2};
        assertThat(IntermittentDemand.classify(y)).isEqualTo(IntermittentDemand.Kind.SMOOTH);
    }
}
