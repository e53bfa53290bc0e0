package io.waybill.local.iot;

import java.util.List;

/**
 * An MQTT topic filter with the {@code +} (one level) and {@code #} (this level and all below, last only)
 * wildcards, as MQTT 5 section 4.7 defines them; a wildcard at the first level does not match topics starting with
 * {@code $} (broker-reserved, e.g. {@code $aws/...}).
 */
public final class TopicFilter {
    private final String filter;
    private final List<String> levels;

    private TopicFilter(String filter) {
        this.filter = filter;
        this.levels = List.of(filter.split("/", -1));
    }

    /** @throws RuleDefinitionException when the filter is empty or a wildcard is misplaced */
    public static TopicFilter parse(String filter) {
        if (filter == null || filter.isEmpty()) {
            throw new RuleDefinitionException("topic filter is empty");
        }
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String l = levels[i];
            if (l.contains("#") && (!l.equals("#") || i != levels.length - 1)) {
                throw new RuleDefinitionException("topic filter '" + filter + "': '#' must be a whole, last level");
            }
            if (l.contains("+") && !l.equals("+")) {
                throw new RuleDefinitionException("topic filter '" + filter + "': '+' must be a whole level");
            }
        }
        return new TopicFilter(filter);
    }

    /** @return whether a message published on {@code topic} (no wildcards) matches this filter */
    public boolean matches(String topic) {
        if (topic == null || topic.isEmpty() || topic.contains("+") || topic.contains("#")) {
            return false;
        }
        String[] t = topic.split("/", -1);
        if (topic.startsWith("$") && (levels.get(0).equals("+") || levels.get(0).equals("#"))) {
            return false;
        }
        for (int i = 0; i < levels.size(); i++) {
            String f = levels.get(i);
            if (f.equals("#")) {
                return true; // also matches the parent level: 'a/#' matches 'a'
            }
            if (i >= t.length) {
                return false;
            }
            if (!f.equals("+") && !f.equals(t[i])) {
                return false;
            }
        }
        return t.length == levels.size();
    }

    @Override
    public String toString() {
        return filter;
    }
}
