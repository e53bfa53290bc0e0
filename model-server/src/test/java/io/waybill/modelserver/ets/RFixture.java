package io.waybill.modelserver.ets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** One series' fixture written by src/test/r/ets-fixtures.R from R's forecast 8.20 (the oracle). */
record RFixture(String name, int period, double[] y, List<Fit> fits, String autoMethod, double autoAicc,
                double autoSeconds) {

    static final List<String> SERIES =
        List.of("AirPassengers", "UKgas", "USAccDeaths", "nottem", "ldeaths", "WWWusage", "Nile",
            "AirPassengers30", "WWWusage12", "counts");

    /** One ets(y, model = spec) fit and its forecast(h = 2m or 10, level = c(80, 95)). */
    record Fit(String spec, String method, double alpha, double beta, double gamma, double phi, double[] initState,
               double loglik, double aic, double aicc, double bic, double sigma2, double[] fitted, double[] residuals,
               double[] mean, double[] lower80, double[] upper80, double[] lower95, double[] upper95) {
    }

    static RFixture load(String name) {
        try (InputStream in = RFixture.class.getResourceAsStream("/ets/" + name + ".json")) {
            JsonNode d = new ObjectMapper().readTree(in);
            List<Fit> fits = new ArrayList<>();
            for (JsonNode f : d.get("fits")) {
                fits.add(new Fit(f.get("spec").asText(), f.get("method").asText(), num(f, "alpha"), num(f, "beta"),
                    num(f, "gamma"), num(f, "phi"), arr(f.get("initstate")), num(f, "loglik"), num(f, "aic"),
                    num(f, "aicc"), num(f, "bic"), num(f, "sigma2"), arr(f.get("fitted")), arr(f.get("residuals")),
                    arr(f.get("mean")), arr(f.get("lower80")), arr(f.get("upper80")), arr(f.get("lower95")),
                    arr(f.get("upper95"))));
            }
            JsonNode auto = d.get("auto");
            return new RFixture(d.get("name").asText(), d.get("period").asInt(), arr(d.get("y")), fits,
                auto.get("method").asText(), auto.get("aicc").asDouble(), auto.get("seconds").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double num(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    private static double[] arr(JsonNode n) {
        if (n.isNumber()) {
            return new double[] {n.asDouble()};
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = n.get(i).asDouble();
        }
        return out;
    }
}
