package io.waybill.infra;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One optional section of CDK context ({@code anchoring}, {@code forecasting}): a map from {@code cdk.json} or a JSON
 * string from {@code -c name='{...}'}, whose keys must all be known (a misspelt key is an error naming the known ones,
 * not a silently ignored setting).
 */
final class ContextSection {
    private ContextSection() {
    }

    /**
     * The section's values.
     *
     * @param section what CDK context gives (null when absent)
     * @param name    the context key, for messages
     * @param example a valid value, shown when the text is not a JSON object
     * @param known   the keys the section may have; null when its keys are names the caller checks (partner ids)
     * @return empty when the section is absent or blank text
     * @throws IllegalArgumentException when the text is no JSON object or a key is unknown
     */
    static Optional<Map<String, Object>> values(Object section, String name, String example, Set<String> known) {
        if (section == null) {
            return Optional.empty();
        }
        Map<String, Object> values;
        if (section instanceof Map<?, ?> map) {
            values = new LinkedHashMap<>();
            map.forEach((k, v) -> values.put(k.toString(), v));
        } else {
            String text = section.toString().trim();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = new ObjectMapper().readValue(text, Map.class);
                values = parsed;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("context " + name + " must be a JSON object such as " + example
                        + ", was '" + text + "'", e);
            }
        }
        if (known == null) {
            return Optional.of(values);
        }
        List<String> unknown = values.keySet().stream().filter(k -> !known.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("context " + name + ": unknown key(s) " + unknown
                    + "; the known keys are " + known.stream().sorted().toList());
        }
        return Optional.of(values);
    }
}
