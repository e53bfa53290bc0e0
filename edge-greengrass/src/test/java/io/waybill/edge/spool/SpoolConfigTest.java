package io.waybill.edge.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpoolConfigTest {

    private final Path dir = Path.of("/var/lib/waybill/spool");

    @Test
    void defaultsAreTheDocumentedConstants() {
        SpoolConfig c = SpoolConfig.builder(dir).build();
        assertThat(c.directory()).isEqualTo(dir);
        assertThat(c.maxBytes()).isEqualTo(SpoolConfig.DEFAULT_MAX_BYTES).isEqualTo(16L * 1024 * 1024);
        assertThat(c.maxMessages()).isEqualTo(SpoolConfig.DEFAULT_MAX_MESSAGES);
        assertThat(c.segmentBytes()).isEqualTo(SpoolConfig.DEFAULT_SEGMENT_BYTES);
        assertThat(c.alertFsync()).isEqualTo(FsyncPolicy.EVERY_WRITE).isEqualTo(c.fsyncPolicy(Priority.ALERT));
        assertThat(c.summaryFsync()).isEqualTo(FsyncPolicy.batched(Duration.ofSeconds(1)))
                .isEqualTo(c.fsyncPolicy(Priority.SUMMARY));
        assertThat(c.summaryFsync().isEveryWrite()).isFalse();
        assertThat(c.maxPayloadBytes()).as("above IoT Core's 128 KB message limit").isGreaterThan(128 * 1024);
        assertThat(c.liveByteBudget()).isBetween(13L * 1024 * 1024, 14L * 1024 * 1024);
    }

    @Test
    void toBuilderKeepsEverySetting() {
        SpoolConfig c = SpoolConfig.builder(dir).maxBytes(1 << 20).maxMessages(7).segmentBytes(8192)
                .alertFsync(FsyncPolicy.batched(Duration.ofMillis(5))).summaryFsync(FsyncPolicy.EVERY_WRITE).build();
        assertThat(c.toBuilder().build()).usingRecursiveComparison().isEqualTo(c);
    }

    @Test
    void outOfRangeSettingsAreRefused() {
        assertThatThrownBy(() -> SpoolConfig.builder(dir).segmentBytes(1024).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("segmentBytes");
        assertThatThrownBy(() -> SpoolConfig.builder(dir).maxBytes(7L * SpoolConfig.DEFAULT_SEGMENT_BYTES).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxBytes");
        assertThatThrownBy(() -> SpoolConfig.builder(dir).maxMessages(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMessages");
        assertThatThrownBy(() -> FsyncPolicy.batched(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FsyncPolicy(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SpoolConfig.builder(null)).isInstanceOf(NullPointerException.class);
    }
}
