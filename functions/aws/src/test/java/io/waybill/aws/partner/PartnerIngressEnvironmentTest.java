package io.waybill.aws.partner;

import io.waybill.domain.partner.ingress.PartnerSender;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartnerIngressEnvironmentTest {
    private static final Map<String, String> REQUIRED = Map.of("WAYBILL_PARTNER_TABLE", "waybill-partners",
            "WAYBILL_INGEST_STREAM_NAME", "waybill-telemetry", "WAYBILL_PARTNER_INGRESS_DLQ_URL", "http://q");
    private static final Map<String, AttributeValue> SUPPLIER_ROW = Map.of("pk", AttributeValue.fromS("PARTNER"),
            "sk", AttributeValue.fromS("NORDIC-PHARMA"),
            "glns", AttributeValue.fromSs(List.of("0614141000029")),
            "ingressAccounts", AttributeValue.fromSs(List.of("444455556666")),
            "ingressSources", AttributeValue.fromSs(List.of("partner.supplier.nordic-pharma")),
            "ingressAdapter", AttributeValue.fromS("asn"),
            "ingressDetailTypes", AttributeValue.fromSs(List.of("AdvanceShipNotice")));

    @Test
    void defaultsAreTheDocumentedOnes() {
        PartnerIngressEnvironment env = PartnerIngressEnvironment.fromEnvironment(REQUIRED);
        assertThat(env.senderCacheTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(env.bus()).isNull();
        assertThat(env.stream()).isEqualTo("waybill-telemetry");
    }

    @Test
    void aMissingVariableIsNamed() {
        assertThatThrownBy(() -> PartnerIngressEnvironment.fromEnvironment(Map.of("WAYBILL_PARTNER_TABLE", "t",
                "WAYBILL_INGEST_STREAM_NAME", "s"))).hasMessageContaining("WAYBILL_PARTNER_INGRESS_DLQ_URL");
    }

    @Test
    void aPartnerRowWithAnIngressRegistrationBecomesASender() {
        assertThat(DynamoDbSenderDirectory.sender(SUPPLIER_ROW)).contains(new PartnerSender("NORDIC-PHARMA",
                Set.of("444455556666"), Set.of("partner.supplier.nordic-pharma"), "asn", Set.of("AdvanceShipNotice")));
    }

    @Test
    void anEgressOnlyRowIsNoSenderAndABrokenRegistrationIsLeftOut() {
        assertThat(DynamoDbSenderDirectory.sender(Map.of("pk", AttributeValue.fromS("PARTNER"),
                "sk", AttributeValue.fromS("acme-3pl"), "glns", AttributeValue.fromSs(List.of("4012345000009")))))
                .isEmpty();
        Map<String, AttributeValue> broken = new java.util.HashMap<>(SUPPLIER_ROW);
        broken.put("ingressAccounts", AttributeValue.fromSs(List.of("4444-5555-6666")));
        assertThat(DynamoDbSenderDirectory.sender(broken)).isEqualTo(Optional.empty());
        broken = new java.util.HashMap<>(SUPPLIER_ROW);
        broken.remove("ingressAdapter");
        assertThat(DynamoDbSenderDirectory.sender(broken)).isEmpty();
    }

    @Test
    void masterDataIsReadOncePerTtl() {
        AtomicInteger queries = new AtomicInteger();
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("query") && args[0] instanceof QueryRequest) {
                queries.incrementAndGet();
                return QueryResponse.builder().items(List.of(SUPPLIER_ROW)).build();
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            throw new UnsupportedOperationException(method.getName());
        };
        DynamoDbClient dynamo = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, h);
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-27T08:00:00Z"));
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(java.time.ZoneId zone) { return this; }
            public Instant instant() { return now.get(); }
        };
        DynamoDbSenderDirectory directory = new DynamoDbSenderDirectory(dynamo, "t", Duration.ofSeconds(60), clock);

        assertThat(directory.senders()).hasSize(1);
        now.set(now.get().plusSeconds(59));
        directory.senders();
        assertThat(queries).as("59 s later: the cached read").hasValue(1);
        now.set(now.get().plusSeconds(1));
        directory.senders();
        assertThat(queries).as("60 s after the read: read again").hasValue(2);
    }
}
