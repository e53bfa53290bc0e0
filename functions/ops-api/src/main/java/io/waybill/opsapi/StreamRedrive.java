package io.waybill.opsapi;

import java.util.List;

/** Puts raw records back on the ingest stream (Kinesis PutRecords in AWS and locally). */
public interface StreamRedrive {

    /**
     * One record to put.
     *
     * @param partitionKey the key it had originally
     * @param data         its raw bytes, unchanged
     */
    record Entry(String partitionKey, byte[] data) {
    }

    /**
     * @return per entry, in order: null when the stream took it, else why not (after retries)
     * @throws io.waybill.domain.ingestion.TransientDependencyException when the stream could not be reached at all
     */
    List<String> put(List<Entry> entries);
}
