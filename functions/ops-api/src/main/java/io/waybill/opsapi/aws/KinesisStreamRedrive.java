package io.waybill.opsapi.aws;

import io.waybill.aws.stream.RecordRedrive;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.opsapi.StreamRedrive;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** Re-drives onto the ingest stream with {@link RecordRedrive} (PutRecords within Kinesis' limits, retries). */
public final class KinesisStreamRedrive implements StreamRedrive {
    private final RecordRedrive redrive;
    private final String stream;

    public KinesisStreamRedrive(KinesisClient kinesis, String stream) {
        this.redrive = new RecordRedrive(Objects.requireNonNull(kinesis, "kinesis"));
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    @Override
    public List<String> put(List<Entry> entries) {
        RecordRedrive.Outcome outcome;
        try {
            outcome = redrive.put(stream, entries.stream().map(e -> new RecordRedrive.Entry(e.partitionKey(),
                    SdkBytes.fromByteArray(e.data()))).toList());
        } catch (SdkException e) {
            throw new TransientDependencyException("ingest stream " + stream, e.getMessage(), e);
        }
        List<String> errors = new ArrayList<>(Arrays.asList(new String[entries.size()]));
        outcome.notPut().forEach(n -> errors.set(n.index(), n.error()));
        return errors;
    }
}
