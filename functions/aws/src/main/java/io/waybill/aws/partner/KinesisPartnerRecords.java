package io.waybill.aws.partner;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.aws.stream.RecordRedrive;
import io.waybill.domain.ingestion.TransientDependencyException;
import io.waybill.domain.partner.ingress.PartnerRecord;
import io.waybill.domain.partner.ingress.PartnerRecordSink;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.List;
import java.util.Objects;

/**
 * Admitted partner records onto the ingest stream with {@link RecordRedrive} (its PutRecords limits and retries),
 * keyed by the record's partition key (the SSCC, else the partner id). A record still not put after the retries, or
 * a call that fails as a whole, is a {@link TransientDependencyException}: the partner event is delivered again.
 * IAM: {@code kinesis:PutRecords} on the stream.
 */
public final class KinesisPartnerRecords implements PartnerRecordSink {
    private final RecordRedrive redrive;
    private final String stream;

    public KinesisPartnerRecords(RecordRedrive redrive, String stream) {
        this.redrive = Objects.requireNonNull(redrive, "redrive");
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    @Override
    public void put(PartnerRecord record) {
        RecordRedrive.Outcome outcome;
        try {
            outcome = redrive.put(stream, List.of(new RecordRedrive.Entry(record.partitionKey(),
                    SdkBytes.fromUtf8String(record.json()))));
        } catch (SdkException e) {
            throw DependencyFailures.classify("ingest stream " + stream, e);
        }
        if (!outcome.complete()) {
            throw new TransientDependencyException("ingest stream " + stream, "partner event " + record.eventId()
                    + " not put after " + RecordRedrive.MAX_ATTEMPTS + " attempts: " + outcome.notPut().get(0).error(),
                    null);
        }
    }
}
