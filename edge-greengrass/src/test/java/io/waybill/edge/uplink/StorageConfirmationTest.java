package io.waybill.edge.uplink;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StorageConfirmationTest {
    private static StorageConfirmation parse(String json) {
        return StorageConfirmation.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void topicIsTheThingsOwnCommandTopic() {
        assertThat(StorageConfirmation.topic("prod", "reefer-07")).isEqualTo("cmd/waybill/prod/reefer-07/stored");
    }

    @Test
    void rangesAreInclusiveAndOnlyListedSequencesAreConfirmed() {
        StorageConfirmation c = parse("{\"stored\":[[12,15],[18,18]]}");
        assertThat(List.of(11L, 12L, 15L, 16L, 17L, 18L, 19L).stream().filter(c::contains).toList())
                .containsExactly(12L, 15L, 18L);
    }

    @Test
    void payloadMergesConsecutiveSequencesInAnyOrder() {
        assertThat(new String(StorageConfirmation.payloadOf(List.of(18L, 13L, 12L, 14L, 15L, 12L)),
                StandardCharsets.UTF_8)).isEqualTo("{\"stored\":[[12,15],[18,18]]}");
    }

    @Test
    void malformedConfirmationsAreRefused() {
        for (String bad : List.of("{}", "{\"stored\":5}", "{\"stored\":[[3,2]]}", "{\"stored\":[[-1,2]]}",
                "{\"stored\":[[1]]}", "{\"stored\":[[1.5,2]]}", "not json", "{\"storedThrough\":7}")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
