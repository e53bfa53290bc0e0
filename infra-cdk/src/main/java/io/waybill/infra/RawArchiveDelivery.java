package io.waybill.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kinesisfirehose.CfnDeliveryStream;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.LogStream;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;

/**
 * The telemetry stream delivered into the {@link RawArchive} by Amazon Data Firehose
 * ({@code AWS::KinesisFirehose::DeliveryStream} {@code waybill-<stage>-raw-archive}, source: the stream). Each Kinesis
 * record's data becomes one line ({@code AppendDelimiterToRecord} adds a newline after each record, which is what
 * {@code ./waybill backfill} splits on) of a GZIP object under {@link RawArchive#PREFIX}, buffered up to
 * {@value #BUFFER_MIB} MiB or {@value #BUFFER_SECONDS} s; records Firehose cannot deliver land under
 * {@link RawArchive#ERROR_PREFIX}, and delivery errors are logged to {@code /aws/kinesisfirehose/<name>}.
 *
 * <p>Firehose is a second reader of the telemetry stream beside the ingest function (the cold-chain function reads the
 * canonical stream), within the two readers a shard serves at full rate. It offers no server-side encryption of its
 * own for a Kinesis source: records are encrypted on the stream with its key and in S3 with the archive's key.
 */
public final class RawArchiveDelivery extends Construct {
    /** Firehose's S3 buffer: 5 MiB or 5 minutes, whichever comes first (its defaults, written out). */
    public static final int BUFFER_MIB = 5;
    public static final int BUFFER_SECONDS = 300;
    public static final String LOG_STREAM_NAME = "DestinationDelivery";

    private final CfnDeliveryStream deliveryStream;
    private final Role role;
    private final LogGroup logGroup;

    public RawArchiveDelivery(Construct scope, String id, StageConfig config, TelemetryStream source,
                              RawArchive archive) {
        super(scope, id);
        String name = config.resourceName("raw-archive");
        this.logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName("/aws/kinesisfirehose/" + name)
                .retention(JavaFunction.LOG_RETENTION)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        LogStream logStream = LogStream.Builder.create(this, "DeliveryLogs")
                .logGroup(logGroup)
                .logStreamName(LOG_STREAM_NAME)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();

        // Firehose assumes the role for this account only (its documented confused-deputy guard).
        this.role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("firehose.amazonaws.com").withConditions(
                        Map.of("StringEquals", Map.of("sts:ExternalId", Aws.ACCOUNT_ID))))
                .description("Waybill " + config.stage() + " raw archive delivery (telemetry stream to S3)")
                .build();
        // Read the source stream (Firehose's documented set for a Kinesis source) and decrypt its records.
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords",
                        "kinesis:ListShards"))
                .resources(List.of(source.stream().getStreamArn()))
                .build());
        KeyUse.allow(role, source.key(), KeyUse.KINESIS, "kms:Decrypt");
        // Write the archive (Firehose's documented set for an S3 destination) and encrypt with its key.
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
                        "s3:ListBucketMultipartUploads", "s3:PutObject"))
                .resources(List.of(archive.bucket().getBucketArn(), archive.bucket().arnForObjects("*")))
                .build());
        KeyUse.allow(role, archive.key(), KeyUse.S3, "kms:GenerateDataKey", "kms:Decrypt");
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .effect(Effect.ALLOW)
                .actions(List.of("logs:PutLogEvents"))
                .resources(List.of(logGroup.getLogGroupArn()))
                .build());

        this.deliveryStream = CfnDeliveryStream.Builder.create(this, "DeliveryStream")
                .deliveryStreamName(name)
                .deliveryStreamType("KinesisStreamAsSource")
                .kinesisStreamSourceConfiguration(CfnDeliveryStream.KinesisStreamSourceConfigurationProperty.builder()
                        .kinesisStreamArn(source.stream().getStreamArn())
                        .roleArn(role.getRoleArn())
                        .build())
                .extendedS3DestinationConfiguration(CfnDeliveryStream.ExtendedS3DestinationConfigurationProperty.builder()
                        .bucketArn(archive.bucket().getBucketArn())
                        .roleArn(role.getRoleArn())
                        .prefix(RawArchive.PREFIX)
                        .errorOutputPrefix(RawArchive.ERROR_PREFIX)
                        .bufferingHints(CfnDeliveryStream.BufferingHintsProperty.builder()
                                .sizeInMBs(BUFFER_MIB).intervalInSeconds(BUFFER_SECONDS).build())
                        .compressionFormat("GZIP")
                        .encryptionConfiguration(CfnDeliveryStream.EncryptionConfigurationProperty.builder()
                                .kmsEncryptionConfig(CfnDeliveryStream.KMSEncryptionConfigProperty.builder()
                                        .awskmsKeyArn(archive.key().getKeyArn()).build())
                                .build())
                        // The newline delimiter needs no parameter (Firehose API reference, Processor).
                        .processingConfiguration(CfnDeliveryStream.ProcessingConfigurationProperty.builder()
                                .enabled(true)
                                .processors(List.of(CfnDeliveryStream.ProcessorProperty.builder()
                                        .type("AppendDelimiterToRecord").build()))
                                .build())
                        .cloudWatchLoggingOptions(CfnDeliveryStream.CloudWatchLoggingOptionsProperty.builder()
                                .enabled(true)
                                .logGroupName(logGroup.getLogGroupName())
                                .logStreamName(logStream.getLogStreamName())
                                .build())
                        .build())
                .build();
        // Firehose checks at creation that its role can read the stream: the policy must be attached first.
        deliveryStream.getNode().addDependency(role);

        NagSuppressions.addResourceSuppressions(deliveryStream, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-KDF1")
                .reason("Firehose refuses server-side encryption of its own for a Kinesis data stream source (CDK's "
                        + "DeliveryStream rejects it too: ServerSideEncryptionNotSupportedWithKinesisSource); records "
                        + "are encrypted on the stream with its customer key and in S3 with the archive's.")
                .build()));
        NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("Firehose writes objects under keys it makes up (prefix, time, a random suffix): the S3 "
                        + "statement is scoped to the objects of the one archive bucket.")
                .appliesTo(List.of(RegexAppliesTo.builder()
                        .regex("/^Resource::<" + WaybillStack.RAW_ARCHIVE_ID + "Bucket[0-9A-F]+\\.Arn>\\/\\*$/g")
                        .build()))
                .build()), true);
    }

    public CfnDeliveryStream deliveryStream() {
        return deliveryStream;
    }

    public Role role() {
        return role;
    }

    public LogGroup logGroup() {
        return logGroup;
    }
}
