package io.waybill.domain.incident;

import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.coldchain.TemperatureBand;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Episode ids and which incident a breach belongs to, worked by hand on a 2–8 °C band. */
class ExcursionEpisodesTest {
    private static final String FIRST = "cold-chain/106141412345678908/chilled-biologics-2-8";
    private static final TemperatureBand BAND = TemperatureBand.between(2, 8);
    private static final Instant RESOLVED = Instant.parse("2026-03-04T00:05:00Z");

    @Test
    void episodeOneKeepsThePreEpisodeIdAndLaterEpisodesCarryTheirNumber() {
        assertThat(ExcursionEpisodes.incidentId(FIRST, 1)).isEqualTo(FIRST);
        assertThat(ExcursionEpisodes.incidentId(FIRST, 3)).isEqualTo(FIRST + "/episode-3");
        assertThat(ExcursionEpisodes.episodeOf(FIRST, FIRST + "/episode-3")).isEqualTo(3);
        assertThat(ExcursionEpisodes.episodeOf(FIRST, "cold-chain/106141412345678908/frozen")).isZero();
        assertThat(ExcursionEpisodes.firstEpisodeId(FIRST + "/episode-12")).isEqualTo(FIRST);
        assertThat(ExcursionEpisodes.firstEpisodeId(FIRST)).isEqualTo(FIRST);
    }

    @Test
    void aBreachBelongsToTheOpenIncidentOrAfterAResolutionToTheNextEpisodeOnlyWithNewerOutOfBandEvidence() {
        ShipmentIncident open = ShipmentIncident.open(FIRST, "106141412345678908", "COLD_CHAIN_BREACH", "MAJOR", "s",
                RESOLVED.minusSeconds(3600), RESOLVED.minusSeconds(3600), 0);
        ShipmentIncident resolved = open.resolve(RESOLVED, "RELEASE");
        ExposureEvidence oldHot = point("a", RESOLVED.minusSeconds(60), 10.9);
        ExposureEvidence newInBand = point("b", RESOLVED.plusSeconds(60), 5.0);
        ExposureEvidence newHot = point("c", RESOLVED.plusSeconds(120), 8.5);

        assertThat(ExcursionEpisodes.incidentFor(FIRST, List.of(), List.of(oldHot), BAND)).contains(FIRST);
        assertThat(ExcursionEpisodes.incidentFor(FIRST, List.of(open), List.of(oldHot, newHot), BAND)).contains(FIRST);
        assertThat(ExcursionEpisodes.incidentFor(FIRST, List.of(resolved), List.of(oldHot, newInBand), BAND))
                .isEmpty();
        assertThat(ExcursionEpisodes.incidentFor(FIRST, List.of(resolved), List.of(oldHot, newInBand, newHot), BAND))
                .contains(FIRST + "/episode-2");
        assertThat(ExcursionEpisodes.incidentFor(FIRST, List.of(resolved, open.withId(FIRST + "/episode-2")),
                List.of(oldHot, newHot), BAND)).contains(FIRST + "/episode-2");
    }

    private static ExposureEvidence point(String id, Instant at, double celsius) {
        return new ExposureEvidence(id, "106141412345678908", "logger-1", ExposureEvidence.Kind.POINT, at, at,
                celsius, 0);
    }
}
