package io.waybill.modelserver.methods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** An R forecast output written by src/test/r/methods-fixtures.R (forecast 8.20). */
record RFixture(double[] series, int period, int h, double[] mean, double[] lower80, double[] upper80,
                double[] lower95, double[] upper95) {

    static RFixture load(String name) {
        try (InputStream in = RFixture.class.getResourceAsStream("/fixtures/" + name + ".json")) {
            JsonNode n = new ObjectMapper().readTree(in);
            return new RFixture(array(n, "series"), n.get("period").asInt(), n.get("h").asInt(), array(n, "mean"),
                    array(n, "lower80"), array(n, "upper80"), array(n, "lower95"), array(n, "upper95"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[] array(JsonNode n, String field) {
        JsonNode a = n.get(field);
        if (a == null) {
            return null;
        }
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }
}
