package io.waybill.domain.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.domain.device.DeviceKeys;
import io.waybill.domain.device.PayloadSignature;
import io.waybill.samples.SampleCatalog;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wb_sig} is a transport field: a signed message has the id and content hash the Python oracle
 * ({@code events-samples/oracle/event_ids.py}) computed for the unsigned sample, whatever the sequence it was signed
 * with, so a resend signed again is a duplicate and never an id conflict.
 */
class SignedRecordIdentityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair KEY = DeviceKeys.generate();

    static List<SampleCatalog.ValidCase> cases() {
        return SampleCatalog.valid();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void signedSampleHasTheOraclesIdAndContentHash(SampleCatalog.ValidCase c) throws Exception {
        ObjectNode raw = (ObjectNode) JSON.readTree(c.raw());
        Map<String, JsonNode> routing = Map.of(RecordNormalizer.ROUTE_FIELD, raw.remove(RecordNormalizer.ROUTE_FIELD));
        JsonNode received = raw.remove(RecordNormalizer.RECEIVED_FIELD);
        String kid = DeviceKeys.keyId((ECPublicKey) KEY.getPublic());
        for (long seq : new long[] {1, 987_654}) {
            ObjectNode signed = (ObjectNode) JSON.readTree(PayloadSignature.sign(JSON.writeValueAsBytes(raw), KEY.getPrivate(), kid, seq));
            signed.setAll(routing);
            if (received != null) {
                signed.set(RecordNormalizer.RECEIVED_FIELD, received);
            }
            NormalizationResult r = RecordNormalizer.standard().normalize(RawRecord.of(JSON.writeValueAsBytes(signed), c.name()));
            assertThat(r).isInstanceOf(NormalizationResult.Normalized.class);
            NormalizationResult.Normalized n = (NormalizationResult.Normalized) r;
            assertThat(n.event().contenthash()).isEqualTo(c.canonical().path("contenthash").asText());
            if (c.canonical().has("id")) {
                assertThat(n.event().id()).isEqualTo(c.canonical().path("id").asText());
            }
        }
    }
}
