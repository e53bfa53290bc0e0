package io.waybill.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/**
 * A Waybill data bucket ({@link RawArchive}, {@link DeadLetterPayloads}): construct id {@code Bucket} under its
 * store, SSE-KMS with the store's customer-managed key (an S3 Bucket Key, so KMS is called per bucket and hour, not per
 * object), all public access blocked, requests without TLS refused, no versioning (objects are written once under
 * unique keys and expire by lifecycle), retained with its key unless the stage says {@code retainData=false}.
 *
 * <p>Named {@code waybill-<stage>-<name>-<account>-<region>}: bucket names are global across all accounts, so the
 * stage alone would collide with anyone else's stage of the same name (and with the same stage in another region);
 * the name is still fixed, which {@code cdk import} needs after a destroy. S3 allows 63 characters: with a stage of
 * 20 and the longest region codes (14) that leaves {@value #MAX_NAME_LENGTH} for {@code name}.
 */
final class RetainedBucket {
    /** 63 - 8 ("waybill-") - 20 (stage) - 1 ("-") - 1 ("-") - 12 (account) - 1 ("-") - 14 (region). */
    static final int MAX_NAME_LENGTH = 6;

    private RetainedBucket() {
    }

    /** The store's customer-managed key ({@link CustomerKey}), retained or removed with the bucket it encrypts. */
    static Key key(Construct store, StageConfig config, String purpose, String aliasName) {
        return CustomerKey.of(store, config, purpose, aliasName, config.dataRemovalPolicy());
    }

    /** {@code waybill-<stage>-<name>-<account>-<region>}. */
    static String bucketName(StageConfig config, String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("bucket name part '" + name + "' is longer than " + MAX_NAME_LENGTH
                    + ": the bucket name could exceed S3's 63 characters");
        }
        return config.resourceName(name) + "-" + Aws.ACCOUNT_ID + "-" + Aws.REGION;
    }

    /**
     * The bucket. The TLS-only bucket policy is left out when the stage synthesises its retained resources for
     * {@code cdk import} ({@link RetainedDataStack}): the policy is deleted with the stack, so there is none to import,
     * and an import may create nothing; the next {@code cdk deploy} adds it again.
     */
    static Bucket create(Construct store, StageConfig config, String name, Key key, List<LifecycleRule> lifecycle) {
        Bucket bucket = Bucket.Builder.create(store, "Bucket")
                .bucketName(bucketName(config, name))
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .enforceSsl(!config.importRetainedData())
                .versioned(false)
                .lifecycleRules(lifecycle)
                .removalPolicy(config.dataRemovalPolicy())
                .build();
        List<NagPackSuppression> reviewed = new ArrayList<>(List.of(NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason("No server access log bucket: objects are written by one role each (Firehose's, the ingest "
                        + "function's) and read by operators; object-level access is audited with CloudTrail data "
                        + "events, the account's trail and not this stack's concern, and a log bucket would need the "
                        + "same finding suppressed for itself.")
                .build()));
        if (config.importRetainedData()) {
            reviewed.add(NagPackSuppression.builder()
                    .id("AwsSolutions-S10")
                    .reason("Only in the cdk import template: an import may create nothing, and the TLS-only bucket "
                            + "policy was deleted with the stack; the cdk deploy that follows the import adds it again.")
                    .build());
        }
        NagSuppressions.addResourceSuppressions(bucket, reviewed);
        return bucket;
    }
}
