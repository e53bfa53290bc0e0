package io.waybill.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.waybill.local.testing.RecordingKinesis;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Issue 9 item 15, {@code publish}: the exact bytes of each line, blank lines skipped, PutRecords within Kinesis'
 * limits, rejected entries resent with backoff and never dropped silently. Against a recording Kinesis client (no
 * emulator); {@code PublishToStackTest} puts real records on the emulated stream.
 */
class PublishCommandTest {

    private final List<Duration> slept = new ArrayList<>();
    private final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    private PublishCommand.Summary publish(RecordingKinesis kinesis, byte[] input) throws Exception {
        return new PublishCommand(kinesis, "waybill-telemetry", new PrintStream(progress, true, StandardCharsets.UTF_8),
                slept::add).run(new ByteArrayInputStream(input));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void eachNonBlankLineIsOneRecordWithTheLinesExactBytes() throws Exception {
        byte[] invalidUtf8 = concat(ascii("{\"wb_route\":\"coldchainco/CC-0009\",\"fw\":\"2.1."), new byte[] {(byte) 0xff},
                ascii("\"}"));
        byte[] crlf = ascii("{\"wb_route\":\"thermotrack/TT-0042\"}\r");
        byte[] noRoute = ascii("{\"a\":1}");
        byte[] input = concat(invalidUtf8, ascii("\n"), ascii("\n"), ascii("   \t\r\n"), crlf, ascii("\n"), noRoute);
        RecordingKinesis kinesis = new RecordingKinesis((d, n) -> false);

        PublishCommand.Summary s = publish(kinesis, input);

        assertThat(kinesis.accepted).containsExactly(invalidUtf8, crlf, noRoute);
        assertThat(kinesis.calls).hasSize(1);
        assertThat(kinesis.calls.get(0)).extracting(PutRecordsRequestEntry::partitionKey)
                .containsExactly("CC-0009", "TT-0042", "line-5");
        assertThat(s).isEqualTo(new PublishCommand.Summary(5, 2, 3, 0, 1, 0, List.of()));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("publish: 3 records put, 0 failed");
    }

    @Test
    void recordsGoOutInCallsOfAtMost500() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 1201; i++) {
            b.append("{\"n\":").append(i).append("}\n");
        }
        RecordingKinesis kinesis = new RecordingKinesis((d, n) -> false);

        PublishCommand.Summary s = publish(kinesis, ascii(b.toString()));

        assertThat(kinesis.calls).extracting(List::size).containsExactly(500, 500, 201);
        assertThat(s.put()).isEqualTo(1201);
        assertThat(new String(kinesis.accepted.get(1200), StandardCharsets.US_ASCII)).isEqualTo("{\"n\":1201}");
    }

    @Test
    void aCallCarriesAtMostFiveMebibytes() throws Exception {
        // six records of 1,000,000 bytes (+ a 6-byte key each): five fit in 5 MiB (5,242,880 bytes), the sixth not.
        byte[] big = new byte[1_000_000];
        Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        byte[] input = concat(big, ascii("\n"), big, ascii("\n"), big, ascii("\n"), big, ascii("\n"), big, ascii("\n"),
                big, ascii("\n"));
        RecordingKinesis kinesis = new RecordingKinesis((d, n) -> false);

        publish(kinesis, input);

        assertThat(kinesis.calls).extracting(List::size).containsExactly(5, 1);
    }

    @Test
    void entriesACallRejectsAreResentWithBackoffUntilPut() throws Exception {
        // lines 2 and 4 are refused twice, then accepted: nothing lost, nothing put twice
        RecordingKinesis kinesis = new RecordingKinesis((d, attempt) -> {
            String s = new String(d, StandardCharsets.US_ASCII);
            return (s.equals("{\"n\":2}") || s.equals("{\"n\":4}")) && attempt <= 2;
        });

        PublishCommand.Summary s = publish(kinesis, ascii("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n{\"n\":5}\n"));

        assertThat(kinesis.accepted).extracting(d -> new String(d, StandardCharsets.US_ASCII))
                .containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
        assertThat(kinesis.calls).extracting(List::size).containsExactly(5, 2, 2);
        assertThat(slept).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(s.put()).isEqualTo(5);
        assertThat(s.failed()).isZero();
        assertThat(s.resent()).isEqualTo(4);
    }

    @Test
    void anEntryThatIsNeverAcceptedIsCountedAndNamedNotDropped() throws Exception {
        RecordingKinesis kinesis = new RecordingKinesis((d, attempt) ->
                new String(d, StandardCharsets.US_ASCII).equals("{\"n\":2}"));

        PublishCommand.Summary s = publish(kinesis, ascii("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n"));

        assertThat(s.put()).isEqualTo(2);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(kinesis.calls).hasSize(PublishCommand.MAX_ATTEMPTS);
        assertThat(s.failures()).containsExactly("line 2: not put after 5 attempts (ProvisionedThroughputExceededException:"
                + " Rate exceeded for shard shardId-000000000001)");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PublishCommand.print(s, "waybill-telemetry", new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("published 2 of 3 records to waybill-telemetry (2 put,"
                + " 1 failed, 0 blank lines skipped, 5 PutRecords calls, 4 entries resent)")
                .contains("  not put: line 2: not put after 5 attempts");
    }

    @Test
    void aLineTooLargeForAKinesisRecordIsReportedNotSent() throws Exception {
        byte[] huge = new byte[PublishCommand.MAX_RECORD_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        RecordingKinesis kinesis = new RecordingKinesis((d, n) -> false);

        PublishCommand.Summary s = publish(kinesis, concat(ascii("{\"n\":1}\n"), huge, ascii("x\n")));

        assertThat(kinesis.accepted).hasSize(1);
        assertThat(s.failed()).isEqualTo(1);
        assertThat(s.failures().get(0)).startsWith("line 2: 1048584 bytes, more than Kinesis' 1048576 per record");
    }
}
