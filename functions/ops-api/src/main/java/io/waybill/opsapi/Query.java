package io.waybill.opsapi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The query string's parameters, each at most once, parsed into typed values or refused naming the parameter. */
record Query(Map<String, String> values) {
    static Query parse(String rawQuery) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = formDecode(eq < 0 ? pair : pair.substring(0, eq), "query");
                String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1), name);
                if (values.put(name, value) != null) {
                    throw Problem.invalidParam(name, "given more than once");
                }
            }
        }
        return new Query(values);
    }

    private static String formDecode(String raw, String param) {
        return OpsApi.decode(raw.replace('+', ' '), param);
    }

    String text(String name, int maxLength) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v.isEmpty() || v.length() > maxLength) {
            throw Problem.invalidParam(name, "1 to " + maxLength + " characters");
        }
        return v;
    }

    <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v.toUpperCase(Locale.ROOT))) {
                return e;
            }
        }
        throw Problem.invalidParam(name, "must be one of " + Arrays.toString(type.getEnumConstants()));
    }

    Boolean bool(String name) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        return switch (v) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw Problem.invalidParam(name, "must be true or false");
        };
    }

    Integer integer(String name, int min, int max) {
        String v = values.get(name);
        if (v == null) {
            return null;
        }
        int i;
        try {
            i = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw Problem.invalidParam(name, "must be an integer from " + min + " to " + max);
        }
        if (i < min || i > max) {
            throw Problem.invalidParam(name, "must be an integer from " + min + " to " + max);
        }
        return i;
    }

    int limit() {
        Integer l = integer("limit", 1, OpsApi.MAX_LIMIT);
        return l == null ? OpsApi.DEFAULT_LIMIT : l;
    }

    /** This query with one parameter set, encoded again. */
    String with(String name, String value) {
        Map<String, String> v = new LinkedHashMap<>(values);
        v.put(name, value);
        StringBuilder sb = new StringBuilder();
        v.forEach((k, val) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(val, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }
}
