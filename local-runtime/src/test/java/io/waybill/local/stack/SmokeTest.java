package io.waybill.local.stack;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;

class SmokeTest {
    @Test
    void smoke() {
        try (LocalAwsStack stack = LocalAwsStack.start()) {
            System.out.println(stack.startTimesMillis() + " total=" + stack.totalStartTimeMillis());
            var res = StackResources.using(stack.clients());
            long t = System.nanoTime();
            String arn = res.createStream("s1", 2);
            System.out.println("stream " + arn + " " + (System.nanoTime() - t) / 1e6);
            System.out.println(res.createStream("s1", 2));
            var q = res.createQueue("q1");
            System.out.println(q);
            var k = stack.clients().kinesis();
            var put = k.putRecord(b -> b.streamName("s1").partitionKey("a").data(SdkBytes.fromUtf8String("hi")));
            System.out.println(put);
            var shards = k.listShards(b -> b.streamName("s1")).shards();
            System.out.println(shards);
            var it = k.getShardIterator(b -> b.streamName("s1").shardId(put.shardId()).shardIteratorType("TRIM_HORIZON")).shardIterator();
            var gr = k.getRecords(b -> b.shardIterator(it));
            System.out.println(gr);
            stack.clients().sqs().sendMessage(b -> b.queueUrl(q.url()).messageBody("x"));
            System.out.println(stack.clients().sqs().receiveMessage(b -> b.queueUrl(q.url())).messages());
            stack.processes().forEach(h -> System.out.println("PID " + h.pid()));
            
        }
    }
}
