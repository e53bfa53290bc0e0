package io.waybill.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The Firehose delivery stream from the telemetry stream into the raw archive, and its role. */
class RawArchiveDeliveryTest {
    private static SynthesizedStacks.Synthesized dev;
    private static WaybillStack stack;
    private static Map<String, Object> delivery;
    private static Map<String, Object> s3;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        stack = dev.stack();
        delivery = dev.onlyProperties("AWS::KinesisFirehose::DeliveryStream");
        s3 = asMap(delivery.get("ExtendedS3DestinationConfiguration"));
    }

    private static Object arn(software.constructs.IConstruct construct) {
        return Map.of("Fn::GetAtt", List.of(dev.logicalId(construct), "Arn"));
    }

    @Test
    void theTelemetryStreamIsTheSource() {
        Object role = arn(stack.rawArchiveDelivery().role());
        assertThat(delivery).containsEntry("DeliveryStreamName", "waybill-dev-raw-archive")
                .containsEntry("DeliveryStreamType", "KinesisStreamAsSource")
                .containsEntry("KinesisStreamSourceConfiguration", Map.of(
                        "KinesisStreamARN", arn(stack.telemetry().stream()), "RoleARN", role));
    }

    @Test
    void recordsGoToTheArchiveBucketUnderHourlyPrefixesErrorsApart() {
        assertThat(s3).containsEntry("BucketARN", arn(stack.rawArchive().bucket()))
                .containsEntry("RoleARN", arn(stack.rawArchiveDelivery().role()))
                .containsEntry("Prefix", "raw/!{timestamp:yyyy/MM/dd/HH}/")
                .containsEntry("ErrorOutputPrefix", "raw-errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/");
    }

    @Test
    void theArchivePrefixIsTheOneTheLocalDeliveryAndTheBackfillUse() {
        // infra-cdk keeps its own copy (no function jar on the synth classpath); they must agree
        assertThat(s3).containsEntry("Prefix", io.waybill.aws.archive.RawArchiveLayout.FIREHOSE_PREFIX);
        assertThat(RawArchive.PREFIX).isEqualTo(io.waybill.aws.archive.RawArchiveLayout.FIREHOSE_PREFIX);
    }

    @Test
    void objectsAreGzipBufferedFiveMibOrFiveMinutesAndEncryptedWithTheArchiveKey() {
        assertThat(s3).containsEntry("BufferingHints", Map.of("SizeInMBs", 5, "IntervalInSeconds", 300))
                .containsEntry("CompressionFormat", "GZIP")
                .containsEntry("EncryptionConfiguration",
                        Map.of("KMSEncryptionConfig", Map.of("AWSKMSKeyARN", arn(stack.rawArchive().key()))));
    }

    @Test
    void eachRecordBecomesOneLine() {
        // the backfill command reads the archive line by line: a newline after every record
        assertThat(s3.get("ProcessingConfiguration")).isEqualTo(Map.of("Enabled", true,
                "Processors", List.of(Map.of("Type", "AppendDelimiterToRecord"))));
    }

    @Test
    void deliveryErrorsAreLoggedToItsOwnLogGroupKeptThirtyDays() {
        Map<String, Object> logGroup = dev.properties(stack.rawArchiveDelivery().logGroup());
        assertThat(logGroup).containsEntry("LogGroupName", "/aws/kinesisfirehose/waybill-dev-raw-archive")
                .containsEntry("RetentionInDays", 30);
        Map<String, Object> logging = asMap(s3.get("CloudWatchLoggingOptions"));
        assertThat(logging).containsEntry("Enabled", true)
                .containsEntry("LogGroupName", Map.of("Ref", dev.logicalId(stack.rawArchiveDelivery().logGroup())));
        String logStream = dev.resources("AWS::Logs::LogStream").keySet().iterator().next();
        assertThat(logging).containsEntry("LogStreamName", Map.of("Ref", logStream));
    }

    @Test
    void onlyFirehoseOfThisAccountMayAssumeTheRole() {
        Map<String, Object> role = dev.properties(stack.rawArchiveDelivery().role());
        assertThat(asList(asMap(role.get("AssumeRolePolicyDocument")).get("Statement"))).singleElement()
                .satisfies(st -> assertThat(asMap(st))
                        .containsEntry("Principal", Map.of("Service", "firehose.amazonaws.com"))
                        .containsEntry("Action", "sts:AssumeRole")
                        .containsEntry("Condition", Map.of("StringEquals",
                                Map.of("sts:ExternalId", Map.of("Ref", "AWS::AccountId")))));
        assertThat(role).doesNotContainKey("ManagedPolicyArns");
    }

    @Test
    void roleMayReadTheStreamAndWriteTheArchiveAndNothingElse() {
        var statements = dev.policyStatements(stack.rawArchiveDelivery().role());
        Object bucket = arn(stack.rawArchive().bucket());
        Object objects = Map.of("Fn::Join", List.of("", List.of(bucket, "/*")));
        assertThat(IngestServiceTest.actionsOn(statements, arn(stack.telemetry().stream()))).containsExactlyInAnyOrder(
                "kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords", "kinesis:ListShards");
        assertThat(IngestServiceTest.actionsOn(statements, arn(stack.telemetry().key()))).containsExactly("kms:Decrypt");
        List<String> s3Actions = List.of("s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject",
                "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject");
        assertThat(IngestServiceTest.actionsOn(statements, bucket)).containsExactlyInAnyOrderElementsOf(s3Actions);
        assertThat(IngestServiceTest.actionsOn(statements, objects)).containsExactlyInAnyOrderElementsOf(s3Actions);
        assertThat(IngestServiceTest.actionsOn(statements, arn(stack.rawArchive().key())))
                .containsExactlyInAnyOrder("kms:GenerateDataKey", "kms:Decrypt");
        assertThat(IngestServiceTest.actionsOn(statements, arn(stack.rawArchiveDelivery().logGroup())))
                .containsExactly("logs:PutLogEvents");
        assertThat(statements).hasSize(5).flatExtracting(SynthesizedStacks.Statement::resources).doesNotContain("*");
    }

    @Test
    void deliveryStreamIsCreatedAfterItsRolePolicySoFirehoseCanReadTheStreamAtOnce() {
        Map<String, Object> resource = dev.resource(stack.rawArchiveDelivery().deliveryStream());
        String policy = dev.resources("AWS::IAM::Policy").entrySet().stream()
                .filter(e -> asList(asMap(e.getValue().get("Properties")).get("Roles"))
                        .contains(Map.of("Ref", dev.logicalId(stack.rawArchiveDelivery().role()))))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        assertThat(asList(resource.get("DependsOn"))).contains(policy, dev.logicalId(stack.rawArchiveDelivery().role()));
    }
}
