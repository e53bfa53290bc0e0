package io.waybill.local.stack;

import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.util.ArrayList;
import java.util.List;

/** What a stream on the emulator holds, read with the plain Kinesis client (not through the code under test). */
public final class StreamContents {
    private StreamContents() {
    }

    /** Every record of every shard, from TRIM_HORIZON to the tip, shard by shard, in order. */
    public static List<Record> all(KinesisClient kinesis, String stream) {
        List<Record> out = new ArrayList<>();
        for (var shard : kinesis.listShards(b -> b.streamName(stream)).shards()) {
            String it = kinesis.getShardIterator(b -> b.streamName(stream).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (it != null) {
                String current = it;
                GetRecordsResponse r = kinesis.getRecords(b -> b.shardIterator(current));
                out.addAll(r.records());
                if (r.records().isEmpty() && Long.valueOf(0).equals(r.millisBehindLatest())) {
                    break;
                }
                it = r.nextShardIterator();
            }
        }
        return out;
    }
}
