package io.waybill.edge.sensor;

import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What every {@link SensorSource} does with one incoming message: read it as a reading and hand that on, or, when it
 * is not a reading (reading it throws {@link IllegalArgumentException}), log it as skipped and hand nothing on. And,
 * for the sources on local topics, which conveyor topic they listen to.
 */
final class SensorMessages {

    private SensorMessages() {
    }

    /**
     * The conveyor drives' topic filter a source on local topics subscribes to: null when there is none (null or
     * empty).
     *
     * @throws NullPointerException if there is one but no {@code conveyorSensorIdOfTopic} to read its sensor ids
     */
    static String conveyorTopicFilter(String conveyorTopicFilter, Function<String, String> conveyorSensorIdOfTopic) {
        String filter = conveyorTopicFilter == null || conveyorTopicFilter.isEmpty() ? null : conveyorTopicFilter;
        if (filter != null) {
            Objects.requireNonNull(conveyorSensorIdOfTopic, "conveyorSensorIdOfTopic");
        }
        return filter;
    }

    /**
     * A message on a local topic: {@code payload} parsed as the reading of {@code sensorId} (the sensor the topic
     * names) and handed to {@code sink}; one that does not parse is logged as
     * {@code "<kind> message on <topic> skipped: <reason>"}.
     *
     * @return whether a reading was handed on
     */
    static <T> boolean deliver(String kind, String topic, String sensorId, byte[] payload,
                               BiFunction<String, byte[], ? extends T> parse, Consumer<? super T> sink,
                               System.Logger log) {
        return deliver(() -> parse.apply(sensorId, payload), sink, log,
                () -> kind + " message on " + topic + " skipped: ");
    }

    /**
     * Reads one message and hands the reading to {@code sink}; a message that is not a reading is logged (WARNING)
     * as {@code skipped} followed by the reason, and not handed on.
     *
     * @param read    the reading in the message
     * @param skipped the start of the log line for a skipped message (built only for one)
     * @return whether a reading was handed on
     */
    static <T> boolean deliver(Supplier<? extends T> read, Consumer<? super T> sink, System.Logger log,
                               Supplier<String> skipped) {
        T reading;
        try {
            reading = read.get();
        } catch (IllegalArgumentException e) {
            log.log(System.Logger.Level.WARNING, skipped.get() + e.getMessage());
            return false;
        }
        sink.accept(reading);
        return true;
    }
}
