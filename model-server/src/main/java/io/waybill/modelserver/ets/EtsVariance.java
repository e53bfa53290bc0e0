package io.waybill.modelserver.ets;

import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * Forecast means and variances of forecast.ets's analytic classes (Hyndman et al. 2008, ch. 6), transcribed from
 * forecast's {@code class1}, {@code class2} and {@code class3}. Each returns {@code {mu[h], var[h]}}.
 */
final class EtsVariance {

    private EtsVariance() {
    }

    /** Class 1: additive error, additive or no trend and season. */
    static double[][] class1(int h, double[] x, boolean trend, boolean season, int m, double sigma2, double alpha,
                             double beta, double gamma, double phi) {
        int p = x.length;
        double[] hv = new double[p];
        hv[0] = 1;
        if (season) {
            hv[p - 1] = 1;
        }
        double[][] f = new double[p][p];
        f[0][0] = 1;
        if (trend) {
            hv[1] = phi;
            f[0][1] = phi;
            f[1][1] = phi;
        }
        if (season) {
            f[p - m][p - 1] = 1;
            for (int k = 0; k < m - 1; k++) {
                f[p - m + 1 + k][p - m + k] = 1;
            }
        }
        double[] g = new double[p];
        g[0] = alpha;
        if (trend) {
            g[1] = beta;
        }
        if (season) {
            g[2] = gamma; // forecast's G[3, 1], also when there is no trend
        }
        double[] mu = new double[h];
        double[] var = new double[h];
        double[] cj = new double[Math.max(h - 1, 0)];
        double[] v = x.clone();
        double[] w = g.clone();
        double[] tmp = new double[p];
        for (int i = 0; i < h; i++) {
            mu[i] = dot(hv, v);
            if (i < h - 1) {
                cj[i] = dot(hv, w);
                multiply(f, v, tmp);
                System.arraycopy(tmp, 0, v, 0, p);
                multiply(f, w, tmp);
                System.arraycopy(tmp, 0, w, 0, p);
            }
        }
        double cum = 0;
        var[0] = sigma2;
        for (int i = 1; i < h; i++) {
            cum += cj[i - 1] * cj[i - 1];
            var[i] = sigma2 * (1 + cum);
        }
        return new double[][] {mu, var, cj};
    }

    /** Class 2: multiplicative error, additive or no trend and season; c1 is class1's result. */
    static double[][] class2(int h, double[][] c1, double sigma2) {
        double[] mu = c1[0];
        double[] cj = c1[2];
        double[] theta = new double[h];
        theta[0] = mu[0] * mu[0];
        for (int j = 1; j < h; j++) {
            double s = 0;
            for (int k = 0; k < j; k++) {
                s += cj[k] * cj[k] * theta[j - 1 - k];
            }
            theta[j] = mu[j] * mu[j] + sigma2 * s;
        }
        double[] var = new double[h];
        for (int j = 0; j < h; j++) {
            var[j] = (1 + sigma2) * theta[j] - mu[j] * mu[j];
        }
        return new double[][] {mu, var};
    }

    /** Class 3: multiplicative error and season, additive or no trend. */
    static double[][] class3(int h, double[] x, boolean trend, int m, double sigma2, double alpha, double beta,
                             double gamma, double phi) {
        int p = x.length;
        int q = trend ? 2 : 1;
        RealMatrix h1 = MatrixUtils.createRealMatrix(1, q);
        for (int i = 0; i < q; i++) {
            h1.setEntry(0, i, 1);
        }
        RealMatrix h2 = MatrixUtils.createRealMatrix(1, m);
        h2.setEntry(0, m - 1, 1);
        RealMatrix f1;
        RealMatrix g1;
        if (!trend) {
            f1 = MatrixUtils.createRealMatrix(new double[][] {{1}});
            g1 = MatrixUtils.createRealMatrix(new double[][] {{alpha}});
        } else {
            f1 = MatrixUtils.createRealMatrix(new double[][] {{1, 1}, {0, phi}});
            g1 = MatrixUtils.createRealMatrix(new double[][] {{alpha, alpha}, {beta, beta}});
        }
        RealMatrix f2 = MatrixUtils.createRealMatrix(m, m);
        f2.setEntry(0, m - 1, 1);
        for (int k = 0; k < m - 1; k++) {
            f2.setEntry(k + 1, k, 1);
        }
        RealMatrix g2 = MatrixUtils.createRealMatrix(m, m);
        g2.setEntry(0, m - 1, gamma);
        RealMatrix mh = MatrixUtils.createRealMatrix(q, m);
        for (int i = 0; i < q; i++) {
            for (int j = 0; j < m; j++) {
                mh.setEntry(i, j, x[i] * x[p - m + j]);
            }
        }
        int d = q * m;
        RealMatrix vh = MatrixUtils.createRealMatrix(d, d);
        RealMatrix h21 = kron(h2, h1);
        RealMatrix f21 = kron(f2, f1);
        RealMatrix g21 = kron(g2, g1);
        RealMatrix k = kron(g2, f1).add(kron(f2, g1));
        RealMatrix f21t = f21.transpose();
        RealMatrix g21t = g21.transpose();
        RealMatrix kt = k.transpose();
        RealMatrix h21t = h21.transpose();
        RealMatrix h2t = h2.transpose();
        RealMatrix f2t = f2.transpose();
        RealMatrix g2t = g2.transpose();
        double[] mu = new double[h];
        double[] var = new double[h];
        for (int i = 0; i < h; i++) {
            mu[i] = h1.multiply(mh).multiply(h2t).getEntry(0, 0);
            var[i] = (1 + sigma2) * h21.multiply(vh).multiply(h21t).getEntry(0, 0) + sigma2 * mu[i] * mu[i];
            RealMatrix vec = MatrixUtils.createRealMatrix(d, 1);
            for (int c = 0; c < m; c++) {
                for (int r = 0; r < q; r++) {
                    vec.setEntry(c * q + r, 0, mh.getEntry(r, c));
                }
            }
            RealMatrix vv = vec.multiply(vec.transpose());
            RealMatrix inner = f21.multiply(vh).multiply(g21t)
                .add(g21.multiply(vh).multiply(f21t))
                .add(k.multiply(vh.add(vv)).multiply(kt))
                .add(g21.multiply(vh.scalarMultiply(3).add(vv.scalarMultiply(2))).multiply(g21t)
                    .scalarMultiply(sigma2));
            vh = f21.multiply(vh).multiply(f21t).add(inner.scalarMultiply(sigma2));
            mh = f1.multiply(mh).multiply(f2t).add(g1.multiply(mh).multiply(g2t).scalarMultiply(sigma2));
        }
        return new double[][] {mu, var};
    }

    private static RealMatrix kron(RealMatrix a, RealMatrix b) {
        int ar = a.getRowDimension();
        int ac = a.getColumnDimension();
        int br = b.getRowDimension();
        int bc = b.getColumnDimension();
        RealMatrix out = MatrixUtils.createRealMatrix(ar * br, ac * bc);
        for (int i = 0; i < ar; i++) {
            for (int j = 0; j < ac; j++) {
                double aij = a.getEntry(i, j);
                if (aij == 0) {
                    continue;
                }
                for (int k = 0; k < br; k++) {
                    for (int l = 0; l < bc; l++) {
                        out.setEntry(i * br + k, j * bc + l, aij * b.getEntry(k, l));
                    }
                }
            }
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void multiply(double[][] f, double[] v, double[] out) {
        for (int i = 0; i < f.length; i++) {
            double s = 0;
            double[] row = f[i];
            for (int j = 0; j < row.length; j++) {
                s += row[j] * v[j];
            }
            out[i] = s;
        }
    }
}
