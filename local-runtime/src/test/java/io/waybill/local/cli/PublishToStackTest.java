package io.waybill.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.waybill.local.stack.LocalAwsStack;
import io.waybill.local.stack.LocalStackConfig;
import io.waybill.local.stack.StackResources;
import io.waybill.samples.SampleCatalog;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Issue 9 item 15 against the emulated stream: {@code ./waybill publish} (the CLI entry point, reading the running
 * stack's state as written by this live JVM) puts every non-blank line as one record whose data is byte for byte the
 * line, invalid UTF-8 and a trailing {@code '\r'} included.
 */
@Timeout(120)
class PublishToStackTest {
    private static final String STREAM = "publish-test";
    private static LocalAwsStack stack;

    @TempDir
    Path root;

    @BeforeAll
    static void startStack() {
        stack = LocalAwsStack.start(LocalStackConfig.defaults());
        StackResources.using(stack.clients()).createStream(STREAM, 2);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** Every record on the stream, from the start of each shard. */
    private static List<byte[]> streamRecords() {
        List<byte[]> all = new ArrayList<>();
        var kinesis = stack.clients().kinesis();
        for (Shard shard : kinesis.listShards(b -> b.streamName(STREAM)).shards()) {
            String iterator = kinesis.getShardIterator(b -> b.streamName(STREAM).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String it = iterator;
                var page = kinesis.getRecords(b -> b.shardIterator(it));
                for (Record r : page.records()) {
                    all.add(r.data().asByteArray());
                }
                if (page.records().isEmpty()) {
                    break;
                }
                iterator = page.nextShardIterator();
            }
        }
        return all;
    }

    @Test
    void theStreamReceivesEachLineByteForByte() {
        ProcessHandle self = ProcessHandle.current();
        new StackState(stack.clients().endpoints(), STREAM, "http://unused", URI.create("tcp://127.0.0.1:1"), 2,
                root.resolve("iot"), self.pid(), self.info().startInstant().orElseThrow()).write(root);
        List<byte[]> samples = new String(SampleCatalog.bytes("normalize-input.jsonl"), StandardCharsets.UTF_8)
                .lines().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
        byte[] invalidUtf8 = concat("{\"wb_route\":\"coldchainco/CC-0009\",\"fw\":\"".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xc3, (byte) 0x28}, "\"}".getBytes(StandardCharsets.US_ASCII));
        byte[] crlf = "{\"wb_route\":\"thermotrack/TT-0042\",\"n\":1}\r".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (byte[] s : samples) {
            input.writeBytes(s);
            input.write('\n');
        }
        input.writeBytes(concat(invalidUtf8, "\n\n".getBytes(StandardCharsets.US_ASCII), crlf));
        List<byte[]> expected = new ArrayList<>(samples);
        expected.add(invalidUtf8);
        expected.add(crlf);

        CliRun r = CliRun.of(root, input.toByteArray(), "publish");

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out().lines().toList()).containsExactly("published " + expected.size() + " of " + expected.size()
                + " records to " + STREAM + " (" + expected.size() + " put, 0 failed, 1 blank lines skipped,"
                + " 1 PutRecords call, 0 entries resent)");
        assertThat(streamRecords()).containsExactlyInAnyOrderElementsOf(expected);
    }
}
