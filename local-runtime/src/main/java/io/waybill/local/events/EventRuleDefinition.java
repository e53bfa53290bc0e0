package io.waybill.local.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DeadLetterConfig;
import software.amazon.awssdk.services.eventbridge.model.PutRuleRequest;
import software.amazon.awssdk.services.eventbridge.model.PutTargetsRequest;
import software.amazon.awssdk.services.eventbridge.model.RetryPolicy;
import software.amazon.awssdk.services.eventbridge.model.Target;
import software.amazon.event.ruler.JsonRuleCompiler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One EventBridge rule as written in {@code infra-cdk/event-rules/<name>.json}: the {@code AWS::Events::Rule}
 * properties in CDK's camelCase ({@code CfnRuleProps}: name, description, eventBusName, eventPattern, state,
 * targets[{id, arn, retryPolicy{maximumRetryAttempts, maximumEventAgeInSeconds}, deadLetterConfig{arn}}]). Values
 * {@code {{Construct.attribute}}} are deployment bindings: the CDK stack replaces them with its resources' tokens, the
 * local bus with local ARNs/URLs ({@link #bind(UnaryOperator)}). Checked on load: the pattern passes Event Ruler's
 * {@link JsonRuleCompiler#check(String)}, 1..5 targets, and every target has a retry policy and a dead-letter queue.
 */
public record EventRuleDefinition(String name, String description, String eventBusName, String eventPattern,
                                  String state, List<TargetDefinition> targets) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BINDING = Pattern.compile("\\{\\{([A-Za-z0-9]+\\.[A-Za-z0-9]+)}}");

    /** A rule target. */
    public record TargetDefinition(String id, String arn, TargetRetryPolicy retryPolicy, String deadLetterArn) {
    }

    public EventRuleDefinition {
        targets = List.copyOf(targets);
    }

    /** Every {@code *.json} file of a folder, by file name. */
    public static List<EventRuleDefinition> readAll(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<EventRuleDefinition> rules = new ArrayList<>();
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                rules.add(read(p));
            }
            return rules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static EventRuleDefinition read(Path file) {
        try {
            return parse(Files.readString(file), file.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param origin for error messages (the file name) */
    public static EventRuleDefinition parse(String json, String origin) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + ": not JSON: " + e.getMessage(), e);
        }
        String name = requiredText(n, "name", origin);
        JsonNode pattern = n.get("eventPattern");
        if (pattern == null || !pattern.isObject()) {
            throw new IllegalArgumentException(origin + ": eventPattern must be a JSON object");
        }
        String patternJson = pattern.toString();
        String problem = JsonRuleCompiler.check(patternJson);
        if (problem != null) {
            throw new IllegalArgumentException(origin + ": eventPattern is not valid: " + problem);
        }
        JsonNode targetNodes = n.path("targets");
        if (!targetNodes.isArray() || targetNodes.isEmpty() || targetNodes.size() > LocalEventBus.MAX_TARGETS_PER_RULE) {
            throw new IllegalArgumentException(origin + ": targets must have 1.." + LocalEventBus.MAX_TARGETS_PER_RULE
                    + " members");
        }
        List<TargetDefinition> targets = new ArrayList<>();
        for (JsonNode t : targetNodes) {
            String id = requiredText(t, "id", origin);
            JsonNode rp = t.get("retryPolicy");
            if (rp == null || !rp.has("maximumRetryAttempts") || !rp.has("maximumEventAgeInSeconds")) {
                throw new IllegalArgumentException(origin + ": target " + id
                        + " needs retryPolicy {maximumRetryAttempts, maximumEventAgeInSeconds}");
            }
            String dlq = t.path("deadLetterConfig").path("arn").asText(null);
            if (dlq == null || dlq.isBlank()) {
                throw new IllegalArgumentException(origin + ": target " + id + " has no deadLetterConfig.arn "
                        + "(every partner target has a dead-letter queue)");
            }
            targets.add(new TargetDefinition(id, requiredText(t, "arn", origin),
                    new TargetRetryPolicy(rp.get("maximumRetryAttempts").asInt(), rp.get("maximumEventAgeInSeconds").asInt()),
                    dlq));
        }
        return new EventRuleDefinition(name, n.path("description").asText(null), n.path("eventBusName").asText(null),
                patternJson, n.path("state").asText("ENABLED"), targets);
    }

    private static String requiredText(JsonNode n, String field, String origin) {
        String v = n.path(field).asText(null);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(origin + ": " + field + " is required");
        }
        return v;
    }

    /** The {@code {{Construct.attribute}}} bindings the file uses, in order of appearance. */
    public List<String> bindings() {
        List<String> out = new ArrayList<>();
        Stream.concat(Stream.of(eventBusName, eventPattern),
                        targets.stream().flatMap(t -> Stream.of(t.arn(), t.deadLetterArn())))
                .filter(s -> s != null).forEach(s -> {
                    Matcher m = BINDING.matcher(s);
                    while (m.find()) {
                        if (!out.contains(m.group(1))) {
                            out.add(m.group(1));
                        }
                    }
                });
        return out;
    }

    /** This rule with every binding replaced; an unresolved one is an error. */
    public EventRuleDefinition bind(UnaryOperator<String> values) {
        UnaryOperator<String> sub = s -> {
            if (s == null) {
                return null;
            }
            Matcher m = BINDING.matcher(s);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String v = values.apply(m.group(1));
                if (v == null) {
                    throw new IllegalArgumentException("rule " + name + ": no value for binding {{" + m.group(1) + "}}");
                }
                m.appendReplacement(b, Matcher.quoteReplacement(v));
            }
            m.appendTail(b);
            return b.toString();
        };
        return new EventRuleDefinition(name, description, sub.apply(eventBusName), sub.apply(eventPattern), state,
                targets.stream().map(t -> new TargetDefinition(t.id(), sub.apply(t.arn()), t.retryPolicy(),
                        sub.apply(t.deadLetterArn()))).toList());
    }

    /**
     * This rule with every target's retry policy replaced: a local run's short policy (seconds instead of EventBridge's
     * 185 attempts / 24 h) without editing the shipped file's numbers.
     */
    public EventRuleDefinition withRetryPolicy(TargetRetryPolicy policy) {
        java.util.Objects.requireNonNull(policy, "policy");
        return new EventRuleDefinition(name, description, eventBusName, eventPattern, state,
                targets.stream().map(t -> new TargetDefinition(t.id(), t.arn(), policy, t.deadLetterArn())).toList());
    }

    /** Puts this (bound) rule and its targets through an EventBridge client (the local bus's or AWS's). */
    public void putWith(EventBridgeClient events) {
        if (!bindings().isEmpty()) {
            throw new IllegalStateException("rule " + name + " has unbound values: " + bindings());
        }
        events.putRule(PutRuleRequest.builder().name(name).description(description).eventBusName(eventBusName)
                .eventPattern(eventPattern).state(state).build());
        events.putTargets(PutTargetsRequest.builder().rule(name).eventBusName(eventBusName)
                .targets(targets.stream().map(t -> Target.builder().id(t.id()).arn(t.arn())
                        .retryPolicy(RetryPolicy.builder().maximumRetryAttempts(t.retryPolicy().maximumRetryAttempts())
                                .maximumEventAgeInSeconds(t.retryPolicy().maximumEventAgeInSeconds()).build())
                        .deadLetterConfig(DeadLetterConfig.builder().arn(t.deadLetterArn()).build()).build()).toList())
                .build());
    }
}
