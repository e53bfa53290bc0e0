package io.waybill.modelserver.deepar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server fits many requests at once (a worker per core, each fitting its instances in parallel): concurrency must
 * not change an answer. Ten real series (R's datasets, seasonal and not, ETS of every error class) asked by four callers
 * at once, twice each, must get exactly the answer one caller gets alone.
 */
class ConcurrentInvocationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SERIES = {"AirPassengers", "UKgas", "USAccDeaths", "nottem", "ldeaths", "WWWusage",
            "Nile", "AirPassengers30", "WWWusage12", "counts"};

    private static String request() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode instances = body.putArray("instances");
        for (String name : SERIES) {
            try (InputStream in = ConcurrentInvocationsTest.class.getResourceAsStream("/ets/" + name + ".json")) {
                JsonNode fixture = JSON.readTree(in);
                ObjectNode instance = instances.addObject();
                instance.put("start", "2000-01-01 00:00:00");
                instance.set("target", fixture.path("y"));
                instance.put("freq", switch (fixture.path("period").asInt()) {
                    case 12 -> "M";
                    case 4 -> "Q";
                    default -> "D";
                });
            }
        }
        ObjectNode configuration = body.putObject("configuration");
        configuration.put("num_samples", 50);
        configuration.putArray("output_types").add("mean").add("quantiles").add("samples");
        configuration.putArray("quantiles").add("0.1").add("0.5").add("0.9");
        return JSON.writeValueAsString(body);
    }

    @Test
    void fourCallersAtOnceGetWhatOneCallerGetsAlone() throws Exception {
        String body = request();
        Invocations invocations = Invocations.standard();
        JsonNode alone = JSON.readTree(invocations.invoke(body));
        assertThat(alone.path("predictions")).hasSize(SERIES.length);

        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> answers = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                answers.add(callers.submit(() -> {
                    go.await();
                    List<String> mine = new ArrayList<>();
                    for (int k = 0; k < 2; k++) {
                        mine.add(invocations.invoke(body));
                    }
                    return mine;
                }));
            }
            go.countDown();
            for (Future<List<String>> f : answers) {
                for (String answer : f.get()) {
                    assertThat(JSON.readTree(answer)).isEqualTo(alone);
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
