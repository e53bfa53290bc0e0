package io.waybill.modelserver.ets;

/**
 * forecast's EtsTargetFunction with opt.crit = "lik", bounds = "both": the parameter vector is
 * {@code [alpha, beta?, gamma?, phi?, l, b?, s_0..s_{m-2}]}; outside the usual bounds or the admissible region, or
 * with a negative multiplicative seasonal state, the value is +infinity. Holds its own scratch arrays (one instance
 * per model fit, not thread-safe).
 */
final class EtsObjective implements NashNelderMead.Objective {

    private final double[] y;
    private final EtsSpec spec;
    private final int m;
    private final int nParams;
    private final int error;
    private final int trend;
    private final int season;
    private final double[] state;
    private final double[] poly;
    private final double[] poly2;
    private final EtsRecursion.Work work;

    EtsObjective(double[] y, EtsSpec spec, int m, int nParams) {
        this.y = y;
        this.spec = spec;
        this.m = m;
        this.nParams = nParams;
        this.error = spec.errorCode();
        this.trend = spec.trendCode();
        this.season = spec.seasonCode();
        this.state = new double[1 + (trend > 0 ? 1 : 0) + (season > 0 ? m : 0)];
        this.poly = new double[m + 3];
        this.poly2 = new double[m + 3];
        this.work = new EtsRecursion.Work(m);
    }

    @Override
    public double value(double[] par) {
        int i = 0;
        double alpha = par[i++];
        double beta = trend > 0 ? par[i++] : 0.0;
        double gamma = season > 0 ? par[i++] : 0.0;
        double phi = spec.damped() ? par[i++] : 1.0;
        // usual bounds
        if (alpha < Ets.LOWER[0] || alpha > Ets.UPPER[0]) {
            return Double.POSITIVE_INFINITY;
        }
        if (trend > 0 && (beta < Ets.LOWER[1] || beta > alpha || beta > Ets.UPPER[1])) {
            return Double.POSITIVE_INFINITY;
        }
        if (spec.damped() && (phi < Ets.LOWER[3] || phi > Ets.UPPER[3])) {
            return Double.POSITIVE_INFINITY;
        }
        if (season > 0 && (gamma < Ets.LOWER[2] || gamma > 1 - alpha || gamma > Ets.UPPER[2])) {
            return Double.POSITIVE_INFINITY;
        }
        if (!Admissibility.admissible(alpha, beta, trend > 0, gamma, season > 0, phi, m, poly, poly2)) {
            return Double.POSITIVE_INFINITY;
        }
        fill(par);
        if (season == 2) {
            for (int k = trend > 0 ? 2 : 1; k < state.length; k++) {
                if (state[k] < 0) {
                    return Double.POSITIVE_INFINITY;
                }
            }
        }
        double lik = EtsRecursion.calc(y, m, error, trend, season, alpha, beta, gamma, phi, state, null, null, work);
        if (lik < -1e10) {
            lik = -1e10;
        }
        if (Double.isNaN(lik)) {
            return Double.POSITIVE_INFINITY;
        }
        return lik;
    }

    private void fill(double[] par) {
        int nState = par.length - nParams;
        System.arraycopy(par, nParams, state, 0, nState);
        if (season > 0) {
            double sum = 0;
            for (int k = trend > 0 ? 2 : 1; k < nState; k++) {
                sum += par[nParams + k];
            }
            state[nState] = (season == 2 ? m : 0) - sum;
        }
    }

    /** The full initial state (with the implied last seasonal) for a parameter vector. */
    double[] fullState(double[] par) {
        fill(par);
        return state.clone();
    }
}
