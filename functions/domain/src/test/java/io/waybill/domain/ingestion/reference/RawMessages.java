package io.waybill.domain.ingestion.reference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.ingestion.reference.Traffic.Delivery;
import io.waybill.domain.ingestion.reference.Traffic.Reading;
import io.waybill.samples.SampleCatalog;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a {@link Delivery} as the raw record the IoT rule or partner gateway puts on the stream, starting from the
 * real sample payloads in {@code events-samples/raw/} and changing only ids, times, shipments, sites and readings.
 * The producer's message (everything but {@code wb_route}, {@code wb_received_ms} and the edge's {@code sentTime}) is
 * a function of the {@link Reading} alone, so every copy of a reading carries the same message.
 */
public final class RawMessages {
    private static final Map<String, ObjectNode> SAMPLES = new ConcurrentHashMap<>();
    private static final BigDecimal FREEZING_F = new BigDecimal("32");
    private static final BigDecimal F_PER_C = new BigDecimal("1.8");

    private RawMessages() {
    }

    public static byte[] render(Delivery d) {
        ObjectNode raw = message(d.reading());
        raw.put("wb_route", d.reading().producer().vendor().adapter + "/" + d.reading().producer().id());
        raw.put("wb_received_ms", d.receivedAt().toEpochMilli());
        if (d.reading().producer().vendor().sendsItsSendTime()) {
            raw.put("sentTime", d.sentTime().toString());
        }
        return raw.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The producer's own message, without the routing fields and transport stamps. */
    public static ObjectNode message(Reading r) {
        Instant at = r.deviceTime();
        ObjectNode m;
        switch (r.producer().vendor()) {
            case SWIFTLOG -> {
                m = sample(switch (r.kind()) {
                    case DEPARTED -> "raw/swiftlog/departed.json";
                    case ARRIVED -> "raw/swiftlog/arrived.json";
                    case CUSTODY -> "raw/swiftlog/proof-of-delivery.json";
                    default -> throw new IllegalArgumentException(r.kind() + " from SwiftLog");
                });
                m.put("messageId", "SL-" + r.number());
                m.put("sscc", "(00)" + r.sscc());
                m.with("facility").put("gln", r.gln());
                m.put("eventTimeUtc", at.toString());
                if (r.kind() == Traffic.Kind.CUSTODY) {
                    m.with("handover").put("toGln", r.toPartyGln());
                }
            }
            case GPS_TRACKER -> {
                m = sample(switch (r.kind()) {
                    case DEPARTED -> "raw/gps-tracker/geofence-exit.json";
                    case ARRIVED -> "raw/gps-tracker/geofence-enter.json";
                    case LOCATED -> "raw/gps-tracker/ping.json";
                    default -> throw new IllegalArgumentException(r.kind() + " from a GPS tracker");
                });
                m.put("imei", r.producer().id().substring("IMEI-".length()));
                m.put("sscc", r.sscc());
                ObjectNode fix = m.with("fix");
                fix.put("lat", BigDecimal.valueOf(r.latitude(), 5).toPlainString());
                fix.put("lon", BigDecimal.valueOf(r.longitude(), 5).toPlainString());
                fix.put("ts", at.getEpochSecond());
                if (r.kind() != Traffic.Kind.LOCATED) {
                    m.with("geofence").put("gln", r.gln());
                }
            }
            case COLDCHAINCO -> {
                m = sample("raw/coldchainco/reading.json");
                m.put("msgId", "cc-" + r.number());
                m.with("device").put("id", r.producer().id());
                m.with("shipment").put("sscc", r.sscc());
                m.with("reading").put("at", at.toEpochMilli()).put("celsius", r.celsius());
            }
            case THERMOTRACK -> {
                m = sample("raw/thermotrack/window-summary.json");
                String fahrenheit = FREEZING_F.add(F_PER_C.multiply(BigDecimal.valueOf(r.celsius()))).toPlainString();
                m.put("dev", r.producer().id());
                m.put("seq", Long.toString(r.number()));
                m.put("sscc", r.sscc());
                m.put("win_start", Long.toString(at.minus(Duration.ofMinutes(10)).getEpochSecond()));
                m.put("win_end", Long.toString(at.getEpochSecond()));
                m.put("t_min_f", fahrenheit).put("t_max_f", fahrenheit).put("t_avg_f", fahrenheit);
            }
            case WAYBILL_EDGE -> {
                m = sample("raw/waybill-edge/summary.json");
                m.put("deviceId", r.producer().id());
                m.put("sequence", r.number());
                m.put("deviceTime", at.toString());
                m.with("payload").put("shipmentSscc", r.sscc()).put("deviceId", r.producer().id() + "-ra")
                        .put("windowStart", at.minus(Duration.ofMinutes(10)).toString())
                        .put("windowEnd", at.toString())
                        .put("minCelsius", r.celsius()).put("maxCelsius", r.celsius()).put("meanCelsius", r.celsius())
                        .put("readingCount", 20);
            }
            default -> throw new IllegalArgumentException(r.producer().vendor().name());
        }
        m.remove("wb_route");
        m.remove("wb_received_ms");
        return m;
    }

    private static ObjectNode sample(String path) {
        return SAMPLES.computeIfAbsent(path, p -> (ObjectNode) SampleCatalog.json(p)).deepCopy();
    }
}
