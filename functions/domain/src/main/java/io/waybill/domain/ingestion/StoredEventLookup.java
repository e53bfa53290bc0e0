package io.waybill.domain.ingestion;

import java.util.Optional;

/**
 * Reads one stored event by its key ({@code source#id}) from the event store the {@link EventLedger} appends to: a
 * strongly consistent read, never a write. The legacy-id window ({@link LegacyIdWindow}) uses it to find an event
 * stored under id scheme 1.
 */
@FunctionalInterface
public interface StoredEventLookup {

    /**
     * @return the stored event's canonical JSON, or empty when nothing is stored under the key
     * @throws TransientDependencyException when the store could not answer; the caller retries
     * @throws PermanentDependencyException when the store refused the read for good; the caller dead-letters the record
     */
    Optional<String> storedJson(String eventKey);
}
