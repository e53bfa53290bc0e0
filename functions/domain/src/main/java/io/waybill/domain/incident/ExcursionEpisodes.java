package io.waybill.domain.incident;

import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.TemperatureBand;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

/**
 * Excursion episodes: what one cold-chain incident is about, so a shipment can have more than one incident and the
 * same excursion never has two.
 * <p>
 * <b>Definition.</b> A shipment's evidence under one product class is cut into episodes by the resolutions of its
 * incidents. Episode 1 begins with the shipment's first evidence. Episode {@code n+1} begins with the first
 * <em>out-of-band</em> piece of evidence (a reading or window mean outside the product's band, or a device's or the
 * edge's excursion report) whose event time ({@link ExposureEvidence#end()}) is after the moment episode {@code n}'s
 * incident was resolved ({@link ShipmentIncident#resolvedAt()}). A breach decision belongs to the latest episode:
 * <ul>
 *   <li>no incident yet: it opens episode 1's;</li>
 *   <li>the latest incident is open or acknowledged: it is that incident's (the same excursion re-evaluated; a higher
 *       severity escalates it);</li>
 *   <li>the latest incident is resolved and out-of-band evidence ends after its resolution: it opens the next
 *       episode's incident;</li>
 *   <li>the latest incident is resolved and no out-of-band evidence is newer: nothing. The budget a resolved
 *       excursion used stays used (every later decision is still a breach) and QA has already decided on it.</li>
 * </ul>
 * <b>Key.</b> An incident is named by shipment, product class and episode number: episode 1 keeps the name incidents
 * had before episodes ({@code cold-chain/<sscc>/<productClass>}), so stored incidents stay addressable; episode
 * {@code n >= 2} is {@code cold-chain/<sscc>/<productClass>/episode-<n>}. The number follows from the stored incidents
 * and the evidence only, so a redelivered batch, a retry after a crash or a confirmation pass all arrive at the same
 * name, and the incident store's conditional create makes the second arrival a no-op.
 * <p>
 * The figures of a later episode's decision are the shipment's whole exposure (the budget is per shipment).
 */
public final class ExcursionEpisodes {
    /** Separates the episode number from the first episode's incident id. */
    public static final String EPISODE_SUFFIX = "/episode-";

    private ExcursionEpisodes() {
    }

    /** The incident id of an episode ({@code episode >= 1}) given episode 1's id. */
    public static String incidentId(String firstEpisodeId, int episode) {
        Objects.requireNonNull(firstEpisodeId, "firstEpisodeId");
        if (episode < 1) {
            throw new IllegalArgumentException("episodes count from 1, was " + episode);
        }
        return episode == 1 ? firstEpisodeId : firstEpisodeId + EPISODE_SUFFIX + episode;
    }

    /** Episode 1's id of any episode's incident id (the id without {@code /episode-<n>}). */
    public static String firstEpisodeId(String incidentId) {
        int at = incidentId.lastIndexOf(EPISODE_SUFFIX);
        if (at < 0) {
            return incidentId;
        }
        String n = incidentId.substring(at + EPISODE_SUFFIX.length());
        return !n.isEmpty() && n.chars().allMatch(Character::isDigit) ? incidentId.substring(0, at) : incidentId;
    }

    /** The episode an incident id names under episode 1's id, or 0 when it is not one of its episodes. */
    public static int episodeOf(String firstEpisodeId, String incidentId) {
        if (incidentId.equals(firstEpisodeId)) {
            return 1;
        }
        String prefix = firstEpisodeId + EPISODE_SUFFIX;
        if (!incidentId.startsWith(prefix)) {
            return 0;
        }
        try {
            int n = Integer.parseInt(incidentId.substring(prefix.length()));
            return n >= 2 ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The incident a breach decision belongs to, or empty when it belongs to a resolved episode (nothing to open).
     *
     * @param firstEpisodeId the decision's incident id for episode 1
     * @param stored         the shipment's stored incidents (any order; others than this product class's are ignored)
     * @param evidence       the evidence the decision was made over
     * @param band           the product class's band
     */
    public static Optional<String> incidentFor(String firstEpisodeId, Collection<ShipmentIncident> stored,
                                               Collection<ExposureEvidence> evidence, TemperatureBand band) {
        Instant lastOutOfBand = evidence.stream().filter(e -> !band.contains(e.celsius()))
                .map(ExposureEvidence::end).max(Comparator.naturalOrder()).orElse(null);
        return incidentFor(firstEpisodeId, stored, lastOutOfBand);
    }

    /**
     * As {@link #incidentFor(String, Collection, Collection, TemperatureBand)}, from the running exposure's watermark
     * of out-of-band evidence instead of the evidence itself.
     *
     * @param lastOutOfBand the end of the shipment's latest out-of-band evidence (a reading or summary extreme outside
     *                      the band, an excursion report); null when there is none
     */
    public static Optional<String> incidentFor(String firstEpisodeId, Collection<ShipmentIncident> stored,
                                               Instant lastOutOfBand) {
        Optional<ShipmentIncident> latest = stored.stream()
                .filter(i -> episodeOf(firstEpisodeId, i.incidentId()) > 0)
                .max(Comparator.comparingInt(i -> episodeOf(firstEpisodeId, i.incidentId())));
        if (latest.isEmpty()) {
            return Optional.of(firstEpisodeId);
        }
        ShipmentIncident last = latest.get();
        if (last.status() != IncidentStatus.RESOLVED) {
            return Optional.of(last.incidentId());
        }
        boolean newExcursion = lastOutOfBand != null && lastOutOfBand.isAfter(last.resolvedAt());
        return newExcursion ? Optional.of(incidentId(firstEpisodeId, episodeOf(firstEpisodeId, last.incidentId()) + 1))
                : Optional.empty();
    }
}
