package io.waybill.modelserver.ets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Our Schur-Cohn admissibility test gives forecast:::admissible's answer (R's polyroot on the characteristic
 * polynomial) on 3,000 random seasonal parameter sets, with and without trend and damping (oracle: R fixture),
 * except where R's largest root is 1 within polyroot's rounding (the no-trend polynomial has an exact root at 1, which
 * polyroot can report as 1 + 1.3e-10 and so reject); we divide that root out exactly and call those admissible.
 */
class EtsAdmissibilityOracleTest {

    @Test
    void agreesWithForecastsPolyrootTest() throws IOException {
        List<String> disagreements = new ArrayList<>();
        int rows = 0;
        int admissible = 0;
        int noise = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
            EtsAdmissibilityOracleTest.class.getResourceAsStream("/ets/admissible.csv"), StandardCharsets.UTF_8))) {
            in.readLine();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(",");
                int m = Integer.parseInt(f[0]);
                double alpha = Double.parseDouble(f[1]);
                boolean hasBeta = !f[2].equals("NA");
                double beta = hasBeta ? Double.parseDouble(f[2]) : 0;
                double gamma = Double.parseDouble(f[3]);
                double phi = f[4].equals("NA") ? 1 : Double.parseDouble(f[4]);
                boolean expected = f[5].equals("1");
                boolean ours = Admissibility.admissible(alpha, beta, hasBeta, gamma, true, phi, m, new double[m + 3],
                    new double[m + 3]);
                rows++;
                admissible += expected ? 1 : 0;
                double rMaxRoot = Double.parseDouble(f[6]);
                // polyroot's own error on the exact unit root of the no-trend polynomial (about 1e-10 at m = 24)
                // can put R's answer on either side of 1 + 1e-10; only there may we differ
                boolean withinRootNoise = Math.abs(rMaxRoot - 1) < 1e-8;
                if (ours != expected && !withinRootNoise) {
                    disagreements.add(line);
                }
                noise += ours != expected ? 1 : 0;
            }
        }
        assertThat(rows).isEqualTo(3000);
        assertThat(admissible).isBetween(300, 2700); // both answers well represented
        assertThat(disagreements).isEmpty();
        assertThat(noise).as("disagreements inside polyroot's noise").isLessThanOrEqualTo(5);
    }
}
