package io.waybill.modelserver.ets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With R's fitted parameters and initial states fixed in our model, our likelihood, information criteria, sigma^2,
 * fitted values, residuals, point forecasts and analytic 80/95% intervals equal forecast 8.20's (oracle: R, via the
 * committed fixtures). Covers class 1 (A,*,A/N), class 2 (M,*,A/N) and class 3 (M,*,M) forms.
 */
class EtsLikelihoodOracleTest {

    static Stream<Arguments> fits() {
        return RFixture.SERIES.stream().map(RFixture::load)
            .flatMap(s -> s.fits().stream().map(f -> Arguments.of(s.name() + " " + f.spec(), s, f)));
    }

    static EtsFit ours(RFixture s, RFixture.Fit f) {
        return EtsFit.evaluate(s.y(), s.period(), EtsSpec.parse(f.spec()), f.alpha(), f.beta(), f.gamma(), f.phi(),
            f.initState());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fits")
    void likelihoodAndCriteriaEqualR(String label, RFixture s, RFixture.Fit f) {
        EtsFit fit = ours(s, f);
        assertThat(fit.model()).isEqualTo(f.method());
        assertThat(fit.logLikelihood()).isCloseTo(f.loglik(), within(1e-6 * Math.abs(f.loglik())));
        assertThat(fit.aic()).isCloseTo(f.aic(), within(1e-6 * Math.abs(f.aic())));
        assertThat(fit.aicc()).isCloseTo(f.aicc(), within(1e-6 * Math.abs(f.aicc())));
        assertThat(fit.bic()).isCloseTo(f.bic(), within(1e-6 * Math.abs(f.bic())));
        assertThat(fit.sigma2()).isCloseTo(f.sigma2(), within(1e-6 * f.sigma2()));
        assertClose(fit.fitted(), f.fitted(), 1e-8);
        assertClose(fit.residuals(), f.residuals(), 1e-6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fits")
    void forecastsAndIntervalsEqualR(String label, RFixture s, RFixture.Fit f) {
        EtsFit fit = ours(s, f);
        int h = f.mean().length;
        assertClose(fit.mean(h), f.mean(), 1e-8);
        if (fit.isSimulated()) {
            // forecast simulates these (multiplicative trend): 5000 paths each side, so compare within sampling error
            double width = f.upper95()[h - 1] - f.lower95()[h - 1];
            assertClose(fit.quantile(0.1, h), f.lower80(), 0.05 * width, true);
            assertClose(fit.quantile(0.975, h), f.upper95(), 0.05 * width, true);
            return;
        }
        assertClose(fit.quantile(0.1, h), f.lower80(), 1e-8);
        assertClose(fit.quantile(0.9, h), f.upper80(), 1e-8);
        assertClose(fit.quantile(0.025, h), f.lower95(), 1e-8);
        assertClose(fit.quantile(0.975, h), f.upper95(), 1e-8);
    }

    private static void assertClose(double[] ours, double[] r, double rel) {
        assertThat(ours).hasSameSizeAs(r);
        for (int i = 0; i < r.length; i++) {
            assertThat(ours[i]).as("index %d", i).isCloseTo(r[i], within(rel * Math.max(1, Math.abs(r[i]))));
        }
    }

    private static void assertClose(double[] ours, double[] r, double abs, boolean absolute) {
        assertThat(ours).hasSameSizeAs(r);
        for (int i = 0; i < r.length; i++) {
            assertThat(ours[i]).as("index %d", i).isCloseTo(r[i], within(abs));
        }
    }
}
