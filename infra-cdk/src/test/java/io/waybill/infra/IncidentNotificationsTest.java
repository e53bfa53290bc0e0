package io.waybill.infra;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.waybill.infra.SynthesizedStacks.asList;
import static io.waybill.infra.SynthesizedStacks.asMap;
import static org.assertj.core.api.Assertions.assertThat;

/** The incident topic: encrypted with its own key, TLS only, published to by the two functions that act on breaches. */
class IncidentNotificationsTest {
    private static SynthesizedStacks.Synthesized dev;
    private static IncidentNotifications notifications;

    @BeforeAll
    static void synthesize() {
        dev = SynthesizedStacks.dev();
        notifications = dev.stack().incidentNotifications();
    }

    @Test
    void theTopicIsNamedForTheStageAndEncryptedWithItsOwnRotatingCustomerKey() {
        Map<String, Object> topic = dev.properties(notifications.topic());
        assertThat(topic).containsEntry("TopicName", "waybill-dev-incidents")
                .containsEntry("KmsMasterKeyId", Map.of("Fn::GetAtt", List.of(dev.logicalId(notifications.key()),
                        "Arn")));
        assertThat(dev.properties(notifications.key())).containsEntry("EnableKeyRotation", true);
        assertThat(dev.resources("AWS::KMS::Alias").values()).map(a -> asMap(a.get("Properties")))
                .anySatisfy(a -> assertThat(a).containsEntry("AliasName", "alias/waybill-dev-incident-notifications"));
    }

    @Test
    void theTopicRefusesPublishesWithoutTls() {
        assertThat(dev.resources("AWS::SNS::TopicPolicy").values()).map(p -> asMap(p.get("Properties")))
                .anySatisfy(p -> {
                    assertThat(asList(p.get("Topics"))).containsExactly(Map.of("Ref",
                            dev.logicalId(notifications.topic())));
                    assertThat(asList(asMap(p.get("PolicyDocument")).get("Statement"))).map(SynthesizedStacks::asMap)
                            .anySatisfy(s -> assertThat(s).containsEntry("Effect", "Deny")
                                    .containsEntry("Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))));
                });
    }

    @Test
    void bothFunctionsThatActOnBreachesAreToldTheTopic() {
        Object arn = Map.of("Ref", dev.logicalId(notifications.topic()));
        for (var function : List.of(dev.stack().coldChain().function(), dev.stack().breachConfirmer().function())) {
            assertThat(asMap(asMap(dev.properties(function).get("Environment")).get("Variables")))
                    .containsEntry(io.waybill.coldchain.ColdChainSettings.ENV_INCIDENT_TOPIC_ARN, arn);
        }
    }
}
