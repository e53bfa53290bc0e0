package io.waybill.local.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.waybill.local.pipeline.LocalPipeline;

/** {@code ./waybill stack --consumer kcl|get-records}. */
class WaybillCliConsumerOptionTest {

    @Test
    void getRecordsIsTheDefaultAndKclIsSelectedByName() {
        assertThat(WaybillCli.consumer(Map.of())).isEqualTo(LocalPipeline.Consumer.GET_RECORDS);
        assertThat(WaybillCli.consumer(Map.of("consumer", "kcl"))).isEqualTo(LocalPipeline.Consumer.KCL);
        assertThat(WaybillCli.consumer(Map.of("consumer", "KCL"))).isEqualTo(LocalPipeline.Consumer.KCL);
        assertThat(WaybillCli.consumer(Map.of("consumer", "get-records")))
                .isEqualTo(LocalPipeline.Consumer.GET_RECORDS);
    }

    @Test
    void anyOtherValueIsRejected() {
        assertThatThrownBy(() -> WaybillCli.consumer(Map.of("consumer", "efo")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("efo");
        // "--consumer" without a value
        assertThatThrownBy(() -> WaybillCli.consumer(Map.of("consumer", "true")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
