package io.waybill.domain.device;

import java.util.Map;
import java.util.Set;

/**
 * Where ingest learns who a producer is (port; the DynamoDB registry implements it in {@code functions/aws}).
 * Implementations may cache; they throw {@link io.waybill.domain.ingestion.TransientDependencyException} when the
 * registry cannot be read now (the batch is then redelivered).
 */
public interface DeviceRegistry {

    /**
     * @param things thing names
     * @param fresh  true to bypass any cache (a negative answer is checked once against the table before a record is
     *               dead-lettered for it)
     * @return the registered ones, by thing name; an unregistered thing is absent
     */
    Map<String, RegisteredDevice> find(Set<String> things, boolean fresh);

    /**
     * Raises each (thing, key id)'s highest accepted sequence to at least the given value; never lowers it.
     *
     * @param highest by thing, then by key id, the highest sequence just stored
     */
    void advanceSequences(Map<String, Map<String, Long>> highest);

    /**
     * Records when each registered device was last heard from: the latest stream arrival of its records this batch
     * stored; never moves a device's time back (a redelivered or older batch changes nothing). Best effort, as the
     * sequences: the ops API's {@code lastSeenAt}. The default records nothing (a registry that keeps no such time).
     *
     * @param latestArrival by thing, the latest stream arrival of its stored records
     */
    default void recordSeen(Map<String, java.time.Instant> latestArrival) {
    }
}
