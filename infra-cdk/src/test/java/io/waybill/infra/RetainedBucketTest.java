package io.waybill.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the raw archive and the dead-letter payload bucket share: encryption, no public access, TLS, retention. */
class RetainedBucketTest {

    /** Bucket, its key, and the name part of {@code waybill-<stage>-<part>-<account>-<region>}. */
    private record DataBucket(Bucket bucket, Key key, String namePart) {
    }

    private static List<DataBucket> buckets(SynthesizedStacks.Synthesized variant) {
        var stack = variant.stack();
        return List.of(new DataBucket(stack.rawArchive().bucket(), stack.rawArchive().key(), "raw"),
                new DataBucket(stack.deadLetterPayloads().bucket(), stack.deadLetterPayloads().key(), "dlq"));
    }

    @Test
    void theStackHasExactlyTheTwoDataBuckets() {
        assertThat(SynthesizedStacks.dev().resources("AWS::S3::Bucket")).hasSize(2);
    }

    @Test
    void eachBucketIsEncryptedWithItsOwnRotatingCustomerKeyAndABucketKey() {
        var dev = SynthesizedStacks.dev();
        List<String> keys = buckets(dev).stream().map(b -> dev.logicalId(b.key())).toList();
        assertThat(keys).doesNotHaveDuplicates()
                .doesNotContain(dev.logicalId(dev.stack().telemetry().key()), dev.logicalId(dev.stack().deadLetters().key()));
        for (DataBucket b : buckets(dev)) {
            assertThat(dev.properties(b.bucket()).get("BucketEncryption")).isEqualTo(Map.of(
                    "ServerSideEncryptionConfiguration", List.of(Map.of(
                            "BucketKeyEnabled", true,
                            "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "aws:kms",
                                    "KMSMasterKeyID", Map.of("Fn::GetAtt", List.of(dev.logicalId(b.key()), "Arn")))))));
            assertThat(dev.properties(b.key())).containsEntry("EnableKeyRotation", true);
        }
    }

    @Test
    void eachBucketBlocksAllPublicAccessRefusesPlainHttpAndIsNotVersioned() {
        var dev = SynthesizedStacks.dev();
        var policies = dev.resources("AWS::S3::BucketPolicy").values().stream().map(p -> asMap(p.get("Properties")))
                .toList();
        for (DataBucket b : buckets(dev)) {
            Map<String, Object> bucket = dev.properties(b.bucket());
            assertThat(bucket).containsEntry("PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true,
                    "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
            assertThat(bucket).doesNotContainKey("VersioningConfiguration");
            assertThat(policies).filteredOn(p -> Map.of("Ref", dev.logicalId(b.bucket())).equals(p.get("Bucket")))
                    .singleElement().satisfies(p -> assertThat(asList(asMap(p.get("PolicyDocument")).get("Statement")))
                            .map(SynthesizedStacks::asMap)
                            .anySatisfy(st -> assertThat(st).containsEntry("Effect", "Deny")
                                    .containsEntry("Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")))));
        }
    }

    @Test
    void eachBucketAndItsKeyAreRetainedUnlessTheStageRetainsNoData() {
        var dev = SynthesizedStacks.dev();
        for (DataBucket b : buckets(dev)) {
            assertThat(dev.resource(b.bucket())).containsEntry("DeletionPolicy", "Retain")
                    .containsEntry("UpdateReplacePolicy", "Retain");
            assertThat(dev.resource(b.key())).containsEntry("DeletionPolicy", "Retain");
        }
        var loadTest = SynthesizedStacks.loadTest(); // retainData=false
        for (DataBucket b : buckets(loadTest)) {
            assertThat(loadTest.resource(b.bucket())).containsEntry("DeletionPolicy", "Delete");
            assertThat(loadTest.resource(b.key())).containsEntry("DeletionPolicy", "Delete");
        }
    }

    @Test
    void bucketNamesCarryStageAccountAndRegionBecauseBucketNamesAreGlobal() {
        for (var variant : List.of(SynthesizedStacks.dev(), SynthesizedStacks.loadTest())) {
            String stage = variant.stack().config().stage();
            for (DataBucket b : buckets(variant)) {
                assertThat(variant.properties(b.bucket()).get("BucketName")).isEqualTo(Map.of("Fn::Join", List.of("",
                        List.of("waybill-" + stage + "-" + b.namePart() + "-", Map.of("Ref", "AWS::AccountId"), "-",
                                Map.of("Ref", "AWS::Region")))));
            }
        }
    }

    @Test
    void theLongestStageStillGivesABucketNameS3Accepts() {
        // "waybill-" 8 + stage 20 + "-" + part + "-" + account 12 + "-" + region 14 (ap-southeast-2) <= 63: part <= 6
        StageConfig longest = config("a234567890123456789x");
        assertThat(longest.stage()).hasSize(20);
        assertThat("waybill-" + longest.stage() + "-abcdef-123456789012-ap-southeast-2").hasSize(63);
        assertThat(RetainedBucket.bucketName(longest, "abcdef")).startsWith("waybill-" + longest.stage() + "-abcdef-");
        assertThatThrownBy(() -> RetainedBucket.bucketName(longest, "abcdefg")).hasMessageContaining("63");
    }

    private static StageConfig config(String stage) {
        return StageConfig.fromContext(new App(AppProps.builder().context(new HashMap<>(Map.of("stage", stage,
                "repoRoot", Path.of(".").toString()))).build()).getNode());
    }
}
