package io.waybill.opsapi;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who calls, from the JWT claims API Gateway's authorizer validated. API Gateway passes claims as strings (a list
 * claim flattened to {@code "[a b]"}); scopes come from {@code requestContext.authorizer.jwt.scopes} and from the
 * space-separated {@code scope} claim. A scope counts when it equals the wanted one or ends with {@code /} and it
 * (Cognito's resource-server form, {@code waybill/ops.read}).
 *
 * @param actor  who an incident action is recorded as: {@code username}, else {@code email}, else {@code sub}
 * @param scopes the granted scopes
 */
public record Caller(String actor, Set<String> scopes, Set<String> groups, String writerGroup) {
    public static final String READ = "ops.read";
    public static final String WRITE = "ops.write";
    /** The caller of a route that needs no token ({@link RouteFamily#anonymous()}): no scopes. */
    public static final Caller ANONYMOUS = new Caller("anonymous", Set.of(), Set.of(), null);

    /** The Cognito claim listing the user's groups (API Gateway flattens it to {@code "[a b]"}). */
    public static final String GROUPS_CLAIM = "cognito:groups";

    public Caller {
        scopes = Set.copyOf(scopes);
        groups = Set.copyOf(groups);
        writerGroup = writerGroup == null || writerGroup.isBlank() ? null : writerGroup;
    }

    /** A caller without groups and without a writer group to belong to. */
    public Caller(String actor, Set<String> scopes) {
        this(actor, scopes, Set.of(), null);
    }

    /**
     * @throws Problem 401 when there are no claims or no subject
     */
    public static Caller of(ApiRequest request) {
        return of(request, null);
    }

    /**
     * @param writerGroup the group a caller must belong to for {@link #WRITE} ({@value #GROUPS_CLAIM}), or null when
     *                    the scope alone decides
     * @throws Problem 401 when there are no claims or no subject
     */
    public static Caller of(ApiRequest request, String writerGroup) {
        Map<String, String> claims = request.claims();
        String sub = text(claims.get("sub"));
        if (sub == null) {
            throw Problem.unauthorized(claims.isEmpty() ? "no validated token claims on the request"
                    : "the token has no subject (sub claim)");
        }
        String actor = text(claims.get("username"));
        if (actor == null) {
            actor = text(claims.get("email"));
        }
        if (actor == null) {
            actor = sub;
        }
        Set<String> scopes = new LinkedHashSet<>();
        request.scopes().forEach(s -> addAll(scopes, s));
        addAll(scopes, claims.get("scope"));
        Set<String> groups = new LinkedHashSet<>();
        addAll(groups, claims.get(GROUPS_CLAIM));
        return new Caller(actor, scopes, groups, writerGroup);
    }

    /**
     * @throws Problem 403 when the scope is not granted, or for {@link #WRITE} when a writer group is required and the
     *                 caller is not in it (an app client lets every user ask for the write scope; the group is who
     *                 may write)
     */
    public void require(String scope) {
        boolean granted = false;
        for (String s : scopes) {
            if (s.equals(scope) || s.endsWith("/" + scope)) {
                granted = true;
                break;
            }
        }
        if (!granted) {
            throw Problem.forbidden(scope);
        }
        if (WRITE.equals(scope) && writerGroup != null && !groups.contains(writerGroup)) {
            throw Problem.forbiddenGroup(writerGroup);
        }
    }

    private static void addAll(Set<String> into, String spaceSeparated) {
        if (spaceSeparated == null) {
            return;
        }
        String s = spaceSeparated.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1); // API Gateway's flattening of a list claim
        }
        for (String part : s.split("[\\s,]+")) {
            if (!part.isEmpty()) {
                into.add(part);
            }
        }
    }

    private static String text(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
