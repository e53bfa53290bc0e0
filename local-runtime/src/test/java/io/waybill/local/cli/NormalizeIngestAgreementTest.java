package io.waybill.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.fasterxml.jackson.databind.JsonNode;

import io.waybill.domain.normalize.NormalizationResult;
import io.waybill.domain.normalize.RecordNormalizer;
import io.waybill.aws.stream.KinesisRecords;

/**
 * Issue 9 item 15: {@code normalize} and the ingest Lambda give the same bytes the same verdict. The Lambda side is
 * the ingest handler's code path: the record's data base64-encoded as in the Kinesis event JSON, decoded as the
 * Lambda runtime decodes it, {@link KinesisRecords#toRawRecord} and {@link RecordNormalizer#standard()}.
 */
class NormalizeIngestAgreementTest {

    /** A valid ColdChainCo reading except one byte: 0xff in the firmware string is not UTF-8 anywhere. */
    private static final byte[] INVALID_UTF8 = concat(("{\"wb_route\":\"coldchainco/CC-0009\",\"wb_received_ms\":1795766400900,"
            + "\"msgId\":\"cc9-x\",\"device\":{\"id\":\"CC-0009\",\"fw\":\"2.1.").getBytes(StandardCharsets.US_ASCII),
            new byte[] {(byte) 0xff}, ("\"},\"shipment\":{\"sscc\":\"006141410000004515\"},\"reading\":{\"at\":"
            + "1795766400123,\"celsius\":4.2,\"humidity\":61.5}}").getBytes(StandardCharsets.US_ASCII));
    /** The same reading with a valid firmware string, CRLF-terminated. */
    private static final byte[] VALID_CRLF = (new String(INVALID_UTF8, StandardCharsets.ISO_8859_1)
            .replace("2.1.\u00ff", "2.1.4") + "\r").getBytes(StandardCharsets.ISO_8859_1);

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static List<JsonNode> normalizeCommand(byte[] input) throws Exception {
        return NormalizeCommandTest.run(input);
    }

    /** What the ingest Lambda decides for a record with these data bytes. */
    private static NormalizationResult ingest(byte[] data) {
        String base64 = Base64.getEncoder().encodeToString(data); // as in the Kinesis event Lambda receives
        KinesisEvent.Record kinesis = new KinesisEvent.Record();
        kinesis.setData(ByteBuffer.wrap(Base64.getDecoder().decode(base64)));
        kinesis.setPartitionKey("CC-0009");
        kinesis.setSequenceNumber("1");
        KinesisEvent.KinesisEventRecord record = new KinesisEvent.KinesisEventRecord();
        record.setKinesis(kinesis);
        record.setEventID("shardId-000000000000:1");
        record.setEventSourceARN("arn:aws:kinesis:us-east-1:000000000000:stream/waybill-telemetry");
        return RecordNormalizer.standard().normalize(KinesisRecords.toRawRecord(record));
    }

    @Test
    void invalidUtf8IsMalformedForNormalizeAsForIngest() throws Exception {
        NormalizationResult lambda = ingest(INVALID_UTF8);
        List<JsonNode> cli = normalizeCommand(concat(INVALID_UTF8, new byte[] {'\n'}));

        // The issue: ingest dead-letters these bytes as malformed; normalize used to accept them (U+FFFD).
        assertThat(lambda).isInstanceOf(NormalizationResult.Rejected.class);
        assertThat(((NormalizationResult.Rejected) lambda).reason().name()).isEqualTo("MALFORMED_JSON");
        assertThat(cli).hasSize(1);
        assertThat(cli.get(0).path("rejected").asBoolean()).isTrue();
        assertThat(cli.get(0).path("reason").asText()).isEqualTo("MALFORMED_JSON");
        assertThat(cli.get(0).path("detail").asText()).isEqualTo(((NormalizationResult.Rejected) lambda).detail());
    }

    @Test
    void validLineWithCarriageReturnIsTheSameEventForBoth() throws Exception {
        NormalizationResult lambda = ingest(VALID_CRLF);
        List<JsonNode> cli = normalizeCommand(concat(VALID_CRLF, new byte[] {'\n'}));

        assertThat(lambda).isInstanceOf(NormalizationResult.Normalized.class);
        assertThat(cli.get(0).path("id").asText()).isEqualTo("cc9-x")
                .isEqualTo(((NormalizationResult.Normalized) lambda).event().id());
        assertThat(cli.get(0).path("type").asText()).isEqualTo("waybill.temperature.observed.v1");
    }
}
