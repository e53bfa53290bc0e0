package io.waybill.opsapi.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.waybill.opsapi.Page;
import io.waybill.opsapi.PageTokenRefused;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Cursor pages over a DynamoDB Scan or Query whose filters are applied in Java: reads rounds of at most
 * {@value #ROUND} items from the exclusive start key, keeps the matching ones, and stops at {@code limit} matches (the
 * next token is then the key of the last item returned) or after {@value #MAX_ROUNDS} rounds (the next token is the
 * round's last evaluated key, so a sparse filter yields short pages, never a long request).
 * <p>
 * The token is base64url JSON: the key (string attributes only) and a fingerprint of the filters it was issued for; a
 * token that does not decode, names other key attributes or other filters is refused ({@link PageTokenRefused}).
 */
final class KeyPager {
    static final int ROUND = 100;
    static final int MAX_ROUNDS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One read of the store: items and the last evaluated key (null at the end). */
    record Round(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastEvaluatedKey) {
    }

    interface Reader {
        Round read(Map<String, AttributeValue> exclusiveStartKey, int limit);
    }

    private KeyPager() {
    }

    static <T> Page<T> page(Reader reader, Function<Map<String, AttributeValue>, T> map, Predicate<T> keep,
                            Set<String> keyAttributes, String fingerprint, String token, int limit) {
        Map<String, AttributeValue> start = token == null ? null : decode(token, keyAttributes, fingerprint);
        List<T> out = new ArrayList<>();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Round r = reader.read(start, ROUND);
            List<Map<String, AttributeValue>> items = r.items();
            for (int i = 0; i < items.size(); i++) {
                T t = map.apply(items.get(i));
                if (keep.test(t)) {
                    out.add(t);
                    if (out.size() == limit) {
                        Map<String, AttributeValue> next = i == items.size() - 1 ? r.lastEvaluatedKey()
                                : key(items.get(i), keyAttributes);
                        return new Page<>(out, next == null || next.isEmpty() ? null
                                : encode(next, fingerprint));
                    }
                }
            }
            if (r.lastEvaluatedKey() == null || r.lastEvaluatedKey().isEmpty()) {
                return new Page<>(out, null);
            }
            start = r.lastEvaluatedKey();
        }
        return new Page<>(out, encode(start, fingerprint));
    }

    private static Map<String, AttributeValue> key(Map<String, AttributeValue> item, Set<String> keyAttributes) {
        Map<String, AttributeValue> k = new LinkedHashMap<>();
        keyAttributes.forEach(a -> k.put(a, item.get(a)));
        return k;
    }

    static String encode(Map<String, AttributeValue> key, String fingerprint) {
        ObjectNode n = JSON.createObjectNode();
        n.put("f", fingerprint);
        ObjectNode k = n.putObject("k");
        key.forEach((name, v) -> {
            if (v == null || v.s() == null) {
                throw new IllegalStateException("key attribute " + name + " is not a string: " + v);
            }
            k.put(name, v.s());
        });
        return Base64.getUrlEncoder().withoutPadding().encodeToString(n.toString().getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, AttributeValue> decode(String token, Set<String> keyAttributes, String fingerprint) {
        JsonNode n;
        try {
            n = JSON.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new PageTokenRefused("not a page token of this list");
        }
        if (n == null || !n.isObject() || !n.path("f").isTextual() || !n.path("k").isObject()) {
            throw new PageTokenRefused("not a page token of this list");
        }
        if (!fingerprint.equals(n.get("f").asText())) {
            throw new PageTokenRefused("the token was issued for other filters; repeat the first request's filters");
        }
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.get("k").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new PageTokenRefused("not a page token of this list");
            }
            key.put(e.getKey(), AttributeValue.builder().s(e.getValue().asText()).build());
        }
        if (!key.keySet().equals(keyAttributes)) {
            throw new PageTokenRefused("not a page token of this list");
        }
        return key;
    }
}
