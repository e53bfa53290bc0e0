package io.waybill.aws.partner;

import io.waybill.domain.event.EventType;
import io.waybill.domain.partner.Partner;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartnerEgressEnvironmentTest {
    private static final Map<String, String> REQUIRED = Map.of("WAYBILL_PARTNER_BUS", "waybill-partners",
            "WAYBILL_PARTNER_TABLE", "waybill-partners", "WAYBILL_PARTNER_DLQ_URL", "http://q");

    @Test
    void defaultsAreTheDocumentedOnes() {
        PartnerEgressEnvironment env = PartnerEgressEnvironment.fromEnvironment(REQUIRED);
        assertThat(env.source()).isEqualTo("io.waybill");
        assertThat(env.delivery().maxAttempts()).isEqualTo(5);
        assertThat(env.delivery().base()).isEqualTo(Duration.ofMillis(100));
        assertThat(env.delivery().cap()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aMissingBusIsNamed() {
        assertThatThrownBy(() -> PartnerEgressEnvironment.fromEnvironment(Map.of("WAYBILL_PARTNER_TABLE", "t",
                "WAYBILL_PARTNER_DLQ_URL", "q"))).hasMessageContaining("WAYBILL_PARTNER_BUS");
    }

    @Test
    void aPartnerRowBecomesAPartner() {
        Partner p = DynamoDbPartnerDirectory.partner(Map.of("pk", AttributeValue.fromS("PARTNER"),
                "sk", AttributeValue.fromS("acme-3pl"),
                "eventTypes", AttributeValue.fromSs(java.util.List.of("waybill.shipment.departed.v1",
                        "waybill.temperature.breached.v1")),
                "glns", AttributeValue.fromSs(java.util.List.of("4012345000009"))));
        assertThat(p).isEqualTo(new Partner("acme-3pl",
                Set.of(EventType.SHIPMENT_DEPARTED, EventType.TEMPERATURE_BREACHED), Set.of("4012345000009"),
                Set.of()));
    }

    @Test
    void aPartnerRowWithATypeNotSentToPartnersIsRefused() {
        assertThatThrownBy(() -> DynamoDbPartnerDirectory.partner(Map.of("sk", AttributeValue.fromS("x"),
                "eventTypes", AttributeValue.fromSs(java.util.List.of("waybill.temperature.observed.v1")),
                "glns", AttributeValue.fromSs(java.util.List.of("4012345000009")))))
                .hasMessageContaining("is not sent to partners");
    }
}
