package io.waybill.aws.partner;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.partner.ingress.PartnerSender;
import io.waybill.domain.partner.ingress.SenderDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static io.waybill.aws.partner.PartnerTables.INGRESS_ACCOUNTS;
import static io.waybill.aws.partner.PartnerTables.INGRESS_ADAPTER;
import static io.waybill.aws.partner.PartnerTables.INGRESS_DETAIL_TYPES;
import static io.waybill.aws.partner.PartnerTables.INGRESS_SOURCES;
import static io.waybill.aws.partner.PartnerTables.PARTNER_PK;
import static io.waybill.aws.partner.PartnerTables.PK;
import static io.waybill.aws.partner.PartnerTables.SK;

/**
 * The partners registered as senders, from the partner rows of the partner table ({@link PartnerTables}, the
 * {@code ingress*} attributes; a row without them is an egress-only partner). One query on {@code pk = PARTNER},
 * cached for {@link #DEFAULT_TTL} within the execution environment: a master-data change reaches a warm Lambda
 * within that time (an event refused meanwhile is in the ingress dead-letter queue, to replay). A row with a broken
 * registration (an account that is not 12 digits, a missing attribute) is logged and left out, so its events are
 * refused as {@code UNKNOWN_SENDER} and kept rather than admitted on a guess. Thread-safe.
 */
public final class DynamoDbSenderDirectory implements SenderDirectory {
    /** How long a read of master data is reused. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbSenderDirectory.class);

    private record Snapshot(List<PartnerSender> senders, Instant readAt) {
    }

    private final DynamoDbClient dynamo;
    private final String table;
    private final Duration ttl;
    private final Clock clock;
    private volatile Snapshot snapshot;

    public DynamoDbSenderDirectory(DynamoDbClient dynamo, String table, Duration ttl, Clock clock) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public DynamoDbSenderDirectory(DynamoDbClient dynamo, String table) {
        this(dynamo, table, DEFAULT_TTL, Clock.systemUTC());
    }

    @Override
    public List<PartnerSender> senders() {
        Snapshot s = snapshot;
        Instant now = clock.instant();
        if (s == null || !now.isBefore(s.readAt().plus(ttl))) {
            s = new Snapshot(read(), now);
            snapshot = s;
        }
        return s.senders();
    }

    private List<PartnerSender> read() {
        List<PartnerSender> out = new ArrayList<>();
        try {
            for (Map<String, AttributeValue> item : dynamo.queryPaginator(QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PARTNER_PK))).build()).items()) {
                sender(item).ifPresent(out::add);
            }
        } catch (SdkException e) {
            throw DependencyFailures.classify("partner table " + table, e);
        }
        return List.copyOf(out);
    }

    /** A partner row's ingress registration, if it has one and it is valid. */
    static Optional<PartnerSender> sender(Map<String, AttributeValue> item) {
        String id = item.get(SK).s();
        AttributeValue adapter = item.get(INGRESS_ADAPTER);
        if (adapter == null && !item.containsKey(INGRESS_ACCOUNTS) && !item.containsKey(INGRESS_SOURCES)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PartnerSender(id, strings(item, INGRESS_ACCOUNTS), strings(item, INGRESS_SOURCES),
                    adapter == null || adapter.s() == null ? "" : adapter.s(), strings(item, INGRESS_DETAIL_TYPES)));
        } catch (IllegalArgumentException e) {
            LOG.error("partner {} has a broken ingress registration, its events are refused: {}", id, e.getMessage());
            return Optional.empty();
        }
    }

    private static Set<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasSs() ? Set.of() : Set.copyOf(v.ss());
    }
}
