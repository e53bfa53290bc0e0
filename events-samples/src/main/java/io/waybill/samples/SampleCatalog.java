package io.waybill.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the sample cases from the classpath ({@code samples/catalog.json}), the way aws-lambda-java-tests'
 * EventLoader loads an event file: tests, the demo and the bench all read the same real-shaped files.
 */
public final class SampleCatalog {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ROOT = "samples/";

    /** A raw payload and the canonical event it must become. */
    public record ValidCase(String name, byte[] raw, JsonNode canonical) {
        /** The raw payload as one compact JSON line, as it sits in a Kinesis record. */
        public byte[] compactRaw() {
            try {
                return MAPPER.writeValueAsBytes(MAPPER.readTree(raw));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A broken or hostile record and the rejection reason it must get. */
    public record MalformedCase(String file, String expectedReason, String description, byte[] raw) {
    }

    private SampleCatalog() {
    }

    public static List<ValidCase> valid() {
        List<ValidCase> cases = new ArrayList<>();
        for (JsonNode c : json("catalog.json").path("valid")) {
            cases.add(new ValidCase(c.path("name").asText(), bytes(c.path("raw").asText()), json(c.path("canonical").asText())));
        }
        return cases;
    }

    public static List<MalformedCase> malformed() {
        List<MalformedCase> cases = new ArrayList<>();
        for (JsonNode c : json("malformed/cases.json")) {
            String file = c.path("file").asText();
            cases.add(new MalformedCase(file, c.path("reason").asText(), c.path("case").asText(), bytes("malformed/" + file)));
        }
        return cases;
    }

    /** Any sample file by its path under {@code events-samples/}. */
    public static byte[] bytes(String path) {
        try (InputStream in = SampleCatalog.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + ROOT + path + " on the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String path) {
        try {
            return MAPPER.readTree(bytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
