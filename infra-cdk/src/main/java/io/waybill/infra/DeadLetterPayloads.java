package io.waybill.infra;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

import java.util.List;

/**
 * The claim-check bucket of the dead letters: a dead letter whose payload is larger than SQS accepts (256 KiB) keeps
 * its payload here and carries a pointer to it (the ingest function's {@code WAYBILL_DEAD_LETTER_BUCKET}). SSE-KMS with its
 * own customer-managed key ({@code alias/waybill-<stage>-dead-letter-payloads}), retained with it
 * ({@link RetainedBucket}); objects expire after {@value #EXPIRY_DAYS} days, longer than the 14 days the dead letter
 * that points at one can wait in its queue ({@link DeadLetterQueues#RETENTION}), so a pointer never outlives its payload.
 * {@code ./waybill replay --stage} reads the payloads back with the operator's credentials: s3:GetObject on the
 * objects and kms:Decrypt with {@link #key()} (no role in the stack replays).
 */
public final class DeadLetterPayloads extends Construct {
    /** Longer than the queues' 14 days: a re-drive on the last day still finds the payload. */
    public static final int EXPIRY_DAYS = 30;

    private final Key key;
    private final Bucket bucket;

    public DeadLetterPayloads(Construct scope, String id, StageConfig config) {
        super(scope, id);
        this.key = RetainedBucket.key(this, config, "dead-letter payloads", "dead-letter-payloads");
        this.bucket = RetainedBucket.create(this, config, "dlq", key, List.of(LifecycleRule.builder()
                .id("expire-after-the-dead-letter")
                .expiration(Duration.days(EXPIRY_DAYS))
                .abortIncompleteMultipartUploadAfter(Duration.days(1))
                .build()));
    }

    /** What the ingest function's claim check does: put an object (SSE-KMS: a data key), nothing else. */
    void grantPut(IGrantable function) {
        function.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:PutObject"))
                .resources(List.of(bucket.arnForObjects("*")))
                .build());
        KeyUse.allow(function, key, KeyUse.S3, "kms:GenerateDataKey");
    }

    public Bucket bucket() {
        return bucket;
    }

    public Key key() {
        return key;
    }
}
