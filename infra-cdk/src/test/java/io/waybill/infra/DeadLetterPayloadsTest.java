package io.waybill.infra;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The claim-check bucket of dead letters too large for SQS. */
class DeadLetterPayloadsTest {

    @Test
    void payloadsExpireAfterThirtyDaysLongerThanTheDeadLetterThatPointsAtThemCanWait() {
        var dev = SynthesizedStacks.dev();
        Map<String, Object> bucket = dev.properties(dev.stack().deadLetterPayloads().bucket());
        assertThat(asMap(bucket.get("LifecycleConfiguration")).get("Rules")).isEqualTo(List.of(Map.of(
                "Id", "expire-after-the-dead-letter",
                "Status", "Enabled",
                "ExpirationInDays", 30,
                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1))));
        // the dead letters' queue keeps a message 1 209 600 s = 14 days < 30
        int queueRetentionSeconds = (Integer) dev.properties(dev.stack().deadLetters().ingestDeadLetters())
                .get("MessageRetentionPeriod");
        assertThat(queueRetentionSeconds / 86_400).isEqualTo(14).isLessThan(30);
    }

    @Test
    void onlyTheIngestFunctionMayWriteIntoTheBucket() {
        var dev = SynthesizedStacks.dev();
        String bucket = dev.logicalId(dev.stack().deadLetterPayloads().bucket());
        List<Object> rolesWithBucketGrant = dev.resources("AWS::IAM::Policy").values().stream()
                .map(p -> asMap(p.get("Properties")))
                .filter(p -> p.get("PolicyDocument").toString().contains(bucket)
                        && p.get("PolicyDocument").toString().contains("s3:PutObject"))
                .flatMap(p -> asList(p.get("Roles")).stream()).toList();
        assertThat(rolesWithBucketGrant).containsExactly(Map.of("Ref", dev.logicalId(dev.stack().ingest().role())));
    }
}
