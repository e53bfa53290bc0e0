package io.waybill.edge.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class FileConfigSourceTest {
    @TempDir
    Path tmp;

    @Test
    void anEditOfTheConfigFileIsSignalledOnceAndReadBackWhileAnUntouchedFileSignalsNothing() throws Exception {
        Path file = tmp.resolve("edge.json");
        Files.writeString(file, "{\"shipmentSscc\": \"\"}");
        AtomicInteger signals = new AtomicInteger();
        try (FileConfigSource source = new FileConfigSource(file, Duration.ofHours(1))) { // polled by hand below
            source.watch(signals::incrementAndGet);
            assertThat(source.read().path("shipmentSscc").asText()).isEmpty();
            source.poll();
            assertThat(signals).hasValue(0);

            Files.writeString(file, "{\"shipmentSscc\": \"106141412345678908\"}");
            source.poll();
            source.poll();

            assertThat(signals).hasValue(1);
            assertThat(source.read().path("shipmentSscc").asText()).isEqualTo("106141412345678908");
        }
    }
}
