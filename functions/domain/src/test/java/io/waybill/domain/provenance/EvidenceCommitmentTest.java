package io.waybill.domain.provenance;

import io.waybill.domain.coldchain.ExposureEvidence;
import io.waybill.domain.event.ExposureStatistics;
import io.waybill.domain.event.TemperatureBreached;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The evidence commitment against canonical texts written out by hand here (members sorted by name, numbers in the
 * RFC 8785 form), hashed with {@link MessageDigest}: what a partner would do without our code. The hex values were
 * also computed once outside Java: {@code python3 -c 'import hashlib; print(hashlib.sha256(TEXT.encode()).hexdigest())'}.
 */
class EvidenceCommitmentTest {
    private static final String SSCC = "106141412345678908";

    /** A logger's point reading: 9 °C at 00:10, no sequence, no statistics. */
    private static final ExposureEvidence POINT = new ExposureEvidence("e-1", SSCC, "CC-0007",
            ExposureEvidence.Kind.POINT, Instant.parse("2026-03-02T00:10:00Z"), Instant.parse("2026-03-02T00:10:00Z"),
            9.0, 0);
    /** Its canonical JSON: 9.0 is written 9; min and max equal the reading; readingCount 1; nulls left out. */
    private static final String POINT_JSON = "{\"celsius\":9,\"deviceId\":\"CC-0007\",\"edgeSeverity\":0,"
            + "\"end\":\"2026-03-02T00:10:00Z\",\"evidenceId\":\"e-1\",\"kind\":\"POINT\",\"maxCelsius\":9,"
            + "\"minCelsius\":9,\"probeId\":\"CC-0007\",\"producerId\":\"CC-0007\",\"readingCount\":1,"
            + "\"shipmentSscc\":\"106141412345678908\",\"start\":\"2026-03-02T00:10:00Z\"}";

    /** An edge summary with exposure statistics and a sequence number, ending at a fraction of a second. */
    private static final ExposureEvidence WINDOW = window(5.02);
    /**
     * Its canonical JSON: "sequence" sorts before "shipmentSscc", "start" before "statistics", "bandHighCelsius"
     * before "bandLowCelsius"; 6.9e-12 is RFC 8785's (ECMAScript's) form of 6.9E-12; 2.0 and 8.0 are 2 and 8.
     */
    private static final String WINDOW_JSON = "{\"celsius\":5.02,\"deviceId\":\"reefer-07-ra\",\"edgeSeverity\":0,"
            + "\"end\":\"2026-03-02T07:59:30.250Z\",\"evidenceId\":\"e-0\",\"kind\":\"WINDOW\",\"maxCelsius\":11.8,"
            + "\"minCelsius\":4.4,\"probeId\":\"reefer-07/reefer-07-ra\",\"producerId\":\"reefer-07\","
            + "\"readingCount\":960,\"sequence\":1,\"shipmentSscc\":\"106141412345678908\","
            + "\"start\":\"2026-03-02T00:00:00Z\",\"statistics\":{\"aboveMillis\":40000,\"arrheniusSum\":6.9e-12,"
            + "\"bandHighCelsius\":8,\"bandLowCelsius\":2,\"belowMillis\":0,\"degreeMinutesAbove\":2.5,"
            + "\"degreeMinutesBelow\":0,\"maxGapSeconds\":60,\"observedMillis\":28770000,\"unknownMillis\":0}}";

    private static ExposureEvidence window(double mean) {
        return new ExposureEvidence("e-0", SSCC, "reefer-07-ra", ExposureEvidence.Kind.WINDOW,
                Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-02T07:59:30.250Z"), mean, 0,
                "reefer-07/reefer-07-ra", 4.4, 11.8, 960,
                new ExposureStatistics(2.0, 8.0, 60, 28_770_000, 0, 40_000, 0, 2.5, 0.0, 6.9e-12), "reefer-07", 1L);
    }

    @Test
    void eachItemHashesItsHandWrittenCanonicalJson() {
        assertThat(EvidenceCommitment.itemHash(POINT)).isEqualTo(sha256(POINT_JSON))
                .isEqualTo("65f8300a953d8fb5372c4711fc1c7242f0047e6af5a4b1b56f810c65b4152e6d");
        assertThat(EvidenceCommitment.itemHash(WINDOW)).isEqualTo(sha256(WINDOW_JSON))
                .isEqualTo("30c631ed08fe1e14146339b07728d0bb97cb6a927d17df0ea564acef0bdab86a");
    }

    @Test
    void theDigestIsTheHashOfTheItemListSortedById() {
        // e-0 (the window) sorts before e-1 (the point)
        String list = "[{\"id\":\"e-0\",\"sha256\":\"" + sha256(WINDOW_JSON) + "\"},"
                + "{\"id\":\"e-1\",\"sha256\":\"" + sha256(POINT_JSON) + "\"}]";

        TemperatureBreached.Commitment c = EvidenceCommitment.of(List.of(POINT, WINDOW));

        assertThat(c.algorithm()).isEqualTo("sha256-jcs-v1");
        assertThat(c.items()).isEqualTo(2);
        assertThat(c.digest()).isEqualTo(sha256(list))
                .isEqualTo("e8f05c3fc785bbe638c37b0ff6c4ddbbd7e303a0113ac8f766f40ccd73830967");
    }

    @Test
    void noEvidenceCommitsToTheEmptyList() {
        TemperatureBreached.Commitment c = EvidenceCommitment.of(List.of());

        assertThat(c.items()).isZero();
        assertThat(c.digest()).isEqualTo(sha256("[]"));
    }

    @Test
    void theOrderTheItemsAreGivenInDoesNotMatter() {
        List<ExposureEvidence> items = new ArrayList<>();
        Instant t = Instant.parse("2026-03-02T00:00:00Z");
        for (int i = 0; i < 20; i++) {
            items.add(new ExposureEvidence("ev-" + (char) ('a' + i), SSCC, "CC-0007", ExposureEvidence.Kind.POINT,
                    t.plusSeconds(60L * i), t.plusSeconds(60L * i), 4.0 + i / 10.0, 0));
        }
        String expected = EvidenceCommitment.of(items).digest();
        for (long seed = 1; seed <= 5; seed++) {
            List<ExposureEvidence> shuffled = new ArrayList<>(items);
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(EvidenceCommitment.of(shuffled).digest()).isEqualTo(expected);
        }
        assertThat(EvidenceCommitment.of(List.of(WINDOW, POINT)).digest())
                .isEqualTo(EvidenceCommitment.of(List.of(POINT, WINDOW)).digest());
    }

    @Test
    void oneChangedReadingChangesTheDigest() {
        String original = EvidenceCommitment.of(List.of(POINT, WINDOW)).digest();

        String changed = EvidenceCommitment.of(List.of(POINT, window(5.03))).digest();

        assertThat(changed).isNotEqualTo(original);
        assertThat(EvidenceCommitment.itemHash(window(5.03))).isEqualTo(sha256(WINDOW_JSON.replace(
                "\"celsius\":5.02", "\"celsius\":5.03")));
    }

    @Test
    void aMissingItemChangesTheDigestAndTheCount() {
        TemperatureBreached.Commitment both = EvidenceCommitment.of(List.of(POINT, WINDOW));
        TemperatureBreached.Commitment one = EvidenceCommitment.of(List.of(POINT));

        assertThat(one.items()).isEqualTo(1);
        assertThat(one.digest()).isNotEqualTo(both.digest())
                .isEqualTo(sha256("[{\"id\":\"e-1\",\"sha256\":\"" + sha256(POINT_JSON) + "\"}]"));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
