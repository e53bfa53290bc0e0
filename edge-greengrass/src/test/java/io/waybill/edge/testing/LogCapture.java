package io.waybill.edge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects the lines a logger writes (System.Logger goes to java.util.logging here); the JSON ones parsed. */
public final class LogCapture extends Handler implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Logger logger;
    private final List<String> lines = new ArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    public static LogCapture of(Class<?> type) {
        LogCapture c = new LogCapture(Logger.getLogger(type.getName()));
        c.logger.addHandler(c);
        return c;
    }

    @Override
    public synchronized void publish(LogRecord record) {
        lines.add(record.getMessage());
    }

    /** The structured lines whose {@code event} is {@code event}, in order. */
    public synchronized List<JsonNode> events(String event) {
        List<JsonNode> out = new ArrayList<>();
        for (String l : lines) {
            if (l != null && l.startsWith("{")) {
                try {
                    JsonNode n = JSON.readTree(l);
                    if (event.equals(n.path("event").asText())) {
                        out.add(n);
                    }
                } catch (java.io.IOException e) {
                    // not JSON after all
                }
            }
        }
        return out;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
