package io.waybill.aws.partner;

import io.waybill.aws.failure.DependencyFailures;
import io.waybill.domain.event.EventType;
import io.waybill.domain.partner.Partner;
import io.waybill.domain.partner.PartnerDirectory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static io.waybill.aws.partner.PartnerTables.EVENT_TYPES;
import static io.waybill.aws.partner.PartnerTables.GLNS;
import static io.waybill.aws.partner.PartnerTables.PARTNER_PK;
import static io.waybill.aws.partner.PartnerTables.PK;
import static io.waybill.aws.partner.PartnerTables.SK;
import static io.waybill.aws.partner.PartnerTables.SSCCS;

/** The partners master data in the partner table ({@link PartnerTables}): one query on {@code pk = PARTNER}. */
public final class DynamoDbPartnerDirectory implements PartnerDirectory {
    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoDbPartnerDirectory(DynamoDbClient dynamo, String table) {
        this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public List<Partner> partners() {
        List<Partner> out = new ArrayList<>();
        try {
            for (Map<String, AttributeValue> item : dynamo.queryPaginator(QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PARTNER_PK))).build()).items()) {
                out.add(partner(item));
            }
        } catch (SdkException e) {
            throw DependencyFailures.classify("partner directory " + table, e);
        }
        return out;
    }

    /** A partner row; an unknown event type is a configuration error naming the partner. */
    static Partner partner(Map<String, AttributeValue> item) {
        String id = item.get(SK).s();
        Set<EventType> types = new HashSet<>();
        for (String t : strings(item, EVENT_TYPES)) {
            types.add(EventType.fromType(t).orElseThrow(() -> new IllegalArgumentException("partner " + id
                    + ": unknown event type " + t)));
        }
        return new Partner(id, types, strings(item, GLNS), strings(item, SSCCS));
    }

    private static Set<String> strings(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || !v.hasSs() ? Set.of() : Set.copyOf(v.ss());
    }
}
