package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

import java.util.List;

/**
 * The raw archive: every record of the telemetry stream, as it arrived, in S3 ({@link RawArchiveDelivery} writes it),
 * so data lost to retention or to a bad adapter can be normalised again ({@code ./waybill backfill}). SSE-KMS with its
 * own customer-managed key ({@code alias/waybill-<stage>-raw-archive}), retained with it ({@link RetainedBucket});
 * objects move to Standard-IA after {@value #INFREQUENT_ACCESS_AFTER_DAYS} days, to Glacier Instant Retrieval after
 * {@value #GLACIER_INSTANT_RETRIEVAL_AFTER_DAYS} (still readable in milliseconds, for a backfill) and expire after the
 * stage's {@code rawArchiveExpiryDays}.
 */
public final class RawArchive extends Construct {
    /** Key prefix of the archived records: one folder per hour of arrival at Firehose (UTC). */
    public static final String PREFIX = "raw/!{timestamp:yyyy/MM/dd/HH}/";
    /** Key prefix of records Firehose could not deliver or process, by error type and day. */
    public static final String ERROR_PREFIX = "raw-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/";
    /** S3's earliest transition to Standard-IA; a backfill rarely reads older hours. */
    public static final int INFREQUENT_ACCESS_AFTER_DAYS = 30;
    public static final int GLACIER_INSTANT_RETRIEVAL_AFTER_DAYS = 90;

    private final Key key;
    private final Bucket bucket;

    public RawArchive(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.key = RetainedBucket.key(this, config, "raw archive", "raw-archive");
        this.bucket = RetainedBucket.create(this, config, "raw", key, List.of(LifecycleRule.builder()
                .id("cheaper-storage-then-expire")
                .transitions(List.of(
                        Transition.builder().storageClass(StorageClass.INFREQUENT_ACCESS)
                                .transitionAfter(Duration.days(INFREQUENT_ACCESS_AFTER_DAYS)).build(),
                        Transition.builder().storageClass(StorageClass.GLACIER_INSTANT_RETRIEVAL)
                                .transitionAfter(Duration.days(GLACIER_INSTANT_RETRIEVAL_AFTER_DAYS)).build()))
                .expiration(Duration.days(config.rawArchiveExpiryDays()))
                .abortIncompleteMultipartUploadAfter(Duration.days(7))
                .build()));
    }

    public Bucket bucket() {
        return bucket;
    }

    public Key key() {
        return key;
    }
}
