package io.waybill.edge.model;

import java.time.Instant;

/** What the {@link ConveyorJamDetector} reports: a jam {@linkplain JamDetected detected} or {@linkplain JamCleared cleared}. */
public sealed interface JamEvent permits JamDetected, JamCleared {
    String sensorId();

    /** The timestamp of the sample that caused this event (device clock). */
    Instant at();
}
