package io.waybill.aws.archive;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Keys written out by hand from the Firehose developer guide's name format (prefix, then name-version-time-uuid). */
class RawArchiveLayoutTest {
    private static final UUID ID = UUID.fromString("3f1e2d4c-5b6a-4978-8a1b-2c3d4e5f6a7b");

    @Test
    void objectKeyIsTheArrivalHourFolderThenFirehosesObjectName() {
        assertThat(RawArchiveLayout.objectKey("waybill-prod-raw-archive", 1, Instant.parse("2026-12-01T09:05:23.456Z"), ID))
                .isEqualTo("raw/2026/12/01/09/waybill-prod-raw-archive-1-2026-12-01-09-05-23-"
                        + "3f1e2d4c-5b6a-4978-8a1b-2c3d4e5f6a7b.gz");
    }

    @Test
    void theLastMillisecondOfAnHourStaysInThatHour() {
        assertThat(RawArchiveLayout.hourPrefix(Instant.parse("2026-12-31T23:59:59.999Z"))).isEqualTo("raw/2026/12/31/23/");
        assertThat(RawArchiveLayout.hourPrefix(Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo("raw/2027/01/01/00/");
    }

    @Test
    void hourOfAKeyIsItsFolder() {
        assertThat(RawArchiveLayout.hourOf("raw/2026/12/01/09/waybill-prod-raw-archive-1-2026-12-01-09-05-23-x.gz"))
                .contains(Instant.parse("2026-12-01T09:00:00Z"));
    }

    @Test
    void keysOutsideAnHourFolderHaveNoHour() {
        assertThat(RawArchiveLayout.hourOf("raw-errors/processing-failed/2026/12/01/x.gz")).isEmpty();
        assertThat(RawArchiveLayout.hourOf("raw/2026/12/01/x.gz")).isEmpty();
        assertThat(RawArchiveLayout.hourOf("raw/2026/12/01/09/nested/x.gz")).isEmpty();
        assertThat(RawArchiveLayout.hourOf("raw/2026/13/01/09/x.gz")).isEmpty();
        assertThat(RawArchiveLayout.hourOf("raw/2026/12/01/09/")).isEmpty();
    }

    @Test
    void theFirehosePrefixIsTheConfiguredExpression() {
        assertThat(RawArchiveLayout.FIREHOSE_PREFIX).isEqualTo("raw/!{timestamp:yyyy/MM/dd/HH}/");
    }

    @Test
    void aStreamVersionStartsAtOne() {
        assertThatThrownBy(() -> RawArchiveLayout.objectKey("s", 0, Instant.EPOCH, ID))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
