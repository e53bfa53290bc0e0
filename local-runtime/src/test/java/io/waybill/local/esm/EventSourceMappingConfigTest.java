package io.waybill.local.esm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** Defaults and validation of the mapping configuration (no emulator needed). */
class EventSourceMappingConfigTest {

    @Test
    void defaultsAreLambdasExceptTheDocumentedLocalOnes() {
        EventSourceMappingConfig config = EventSourceMappingConfig.defaults();
        assertThat(config.batchSize()).isEqualTo(100);
        assertThat(config.maximumBatchingWindow()).isZero();
        assertThat(config.startingPosition()).isEqualTo(StartingPosition.TRIM_HORIZON);
        assertThat(config.maximumRecordAge()).isEqualTo(Duration.ofSeconds(-1));
        assertThat(config.bisectBatchOnFunctionError()).isFalse();
        assertThat(config.parallelizationFactor()).isEqualTo(1);
        assertThat(config.onFailureDestinationQueueUrl()).isEmpty();
        // Local choices: bounded retries, partial batch responses on, faster polling.
        assertThat(config.maximumRetryAttempts()).isEqualTo(5);
        assertThat(config.reportBatchItemFailures()).isTrue();
        assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.retryBackoffBase()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.retryBackoffMax()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void valuesOutsideLambdasRangesAreRejected() {
        EventSourceMappingConfig.Builder b = EventSourceMappingConfig.builder();
        assertThatThrownBy(() -> b.batchSize(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.batchSize(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maximumRetryAttempts(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maximumRetryAttempts(10_001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maximumBatchingWindow(Duration.ofSeconds(301)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.maximumRecordAge(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.parallelizationFactor(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.pollInterval(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.maximumRetryAttempts(-1).batchSize(10_000).build().maximumRetryAttempts()).isEqualTo(-1);
    }

    @Test
    void toBuilderCopiesEveryValue() {
        EventSourceMappingConfig config = EventSourceMappingConfig.builder().batchSize(7)
                .maximumBatchingWindow(Duration.ofSeconds(2)).startingPosition(StartingPosition.LATEST)
                .maximumRetryAttempts(0).maximumRecordAge(Duration.ofMinutes(1)).bisectBatchOnFunctionError(true)
                .reportBatchItemFailures(false).onFailureDestinationQueueUrl("http://q").pollInterval(Duration.ofSeconds(1))
                .retryBackoff(Duration.ZERO, Duration.ofSeconds(1)).functionName("f")
                .functionTimeout(Duration.ofSeconds(3)).memoryLimitMb(256).executionRoleArn("arn:aws:iam::1:role/r")
                .build();
        assertThat(config.toBuilder().build()).usingRecursiveComparison().isEqualTo(config);
    }
}
