package io.waybill.domain.normalize;

import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MalformedRecordTest {
    private final RecordNormalizer normalizer = RecordNormalizer.standard();

    static List<SampleCatalog.MalformedCase> malformedCases() {
        return SampleCatalog.malformed();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedCases")
    void everyMalformedSampleIsRejectedWithItsDocumentedReason(SampleCatalog.MalformedCase sample) {
        NormalizationResult result = normalizer.normalize(RawRecord.of(sample.raw(), sample.file()));

        assertThat(result).as(sample.description()).isInstanceOf(NormalizationResult.Rejected.class);
        NormalizationResult.Rejected rejected = (NormalizationResult.Rejected) result;
        assertThat(rejected.reason().name()).as(rejected.detail()).isEqualTo(sample.expectedReason());
        assertThat(rejected.detail()).isNotBlank();
        assertThat(rejected.raw().payload()).as("the raw payload is kept for the dead letter").isEqualTo(sample.raw());
    }

    @Test
    void rejectionNamesTheFieldAndTheExpectedCheckDigit() {
        SampleCatalog.MalformedCase wrongDigit = SampleCatalog.malformed().stream()
                .filter(c -> c.file().equals("wrong-check-digit.json")).findFirst().orElseThrow();

        NormalizationResult.Rejected r = (NormalizationResult.Rejected) normalizer.normalize(RawRecord.of(wrongDigit.raw(), "x"));

        assertThat(r.adapter()).isEqualTo("coldchainco");
        assertThat(r.detail()).contains("shipment.sscc").contains("check digit");
    }

    @Test
    void emptyAndWhitespacePayloadsAreRejectedNotThrown() {
        for (String payload : new String[]{"", "   ", "null", "42", "\"text\""}) {
            NormalizationResult r = normalizer.normalize(RawRecord.of(payload.getBytes(StandardCharsets.UTF_8), "x"));
            assertThat(r).as("payload '%s'", payload).isInstanceOf(NormalizationResult.Rejected.class);
            assertThat(((NormalizationResult.Rejected) r).reason()).isEqualTo(RejectionReason.MALFORMED_JSON);
        }
    }
}
