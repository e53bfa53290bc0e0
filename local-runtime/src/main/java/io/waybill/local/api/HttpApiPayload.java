package io.waybill.local.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP request as API Gateway's HTTP API hands it to a Lambda integration, payload format version 2.0 (AWS
 * developer guide, "Create AWS Lambda proxy integrations for HTTP APIs"): {@code version} 2.0, {@code routeKey}
 * {@code $default}, {@code rawPath}, {@code rawQueryString} ({@code ""} when there is none), query parameters decoded
 * with repeated names joined by commas, header names lower-cased with repeated headers joined by commas, the
 * {@code cookie} header moved to {@code cookies} (one entry per cookie), the {@code x-forwarded-*} headers API Gateway
 * adds, {@code requestContext} (method, path, protocol, source IP, user agent, request id, time, stage
 * {@code $default}) and the body, base64 with {@code isBase64Encoded} for a content type that is not text.
 */
public final class HttpApiPayload {
    /** {@code requestContext.accountId} of the local API (no AWS account behind it). */
    public static final String LOCAL_ACCOUNT_ID = "000000000000";
    /** {@code requestContext.apiId} of the local API. */
    public static final String LOCAL_API_ID = "waybill-local";
    /** API Gateway's {@code requestContext.time} format, e.g. {@code 12/Mar/2020:19:03:58 +0000}. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private HttpApiPayload() {
    }

    /**
     * One request as it arrived.
     *
     * @param method    the HTTP method
     * @param rawPath   the path as sent (percent-encoding kept)
     * @param rawQuery  the query string as sent, without {@code ?}; null when there is none
     * @param headers   the headers in arrival order, names as sent (a name may repeat)
     * @param body      the body bytes (empty when there is none)
     * @param protocol  e.g. {@code HTTP/1.1}
     * @param sourceIp  the client's address
     * @param localPort the port the gateway listens on ({@code x-forwarded-port})
     * @param requestId API Gateway's request id
     * @param received  when the request arrived
     */
    public record Request(String method, String rawPath, String rawQuery, List<Map.Entry<String, String>> headers,
                          byte[] body, String protocol, String sourceIp, int localPort, String requestId,
                          Instant received) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(rawPath, "rawPath");
            headers = List.copyOf(headers);
            body = body == null ? new byte[0] : body;
        }
    }

    /** The payload 2.0 event of a request, without {@code requestContext.authorizer} (the gateway adds it). */
    public static APIGatewayV2HTTPEvent event(Request r) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        for (Map.Entry<String, String> h : r.headers()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            String value = h.getValue();
            if ("cookie".equals(name)) {
                for (String c : value.split(";")) {
                    if (!c.isBlank()) {
                        cookies.add(c.strip());
                    }
                }
                continue;
            }
            headers.merge(name, value, (a, b) -> a + "," + b);
        }
        headers.merge("x-forwarded-for", r.sourceIp(), (sent, ip) -> sent + ", " + ip);
        headers.putIfAbsent("x-forwarded-port", Integer.toString(r.localPort()));
        headers.putIfAbsent("x-forwarded-proto", "http");

        String rawQuery = r.rawQuery() == null ? "" : r.rawQuery();
        Map<String, String> query = new LinkedHashMap<>();
        if (!rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.merge(name, value, (a, b) -> a + "," + b);
            }
        }

        String body = null;
        boolean base64 = false;
        if (r.body().length > 0) {
            if (isText(headers.get("content-type"))) {
                body = new String(r.body(), StandardCharsets.UTF_8);
            } else {
                body = Base64.getEncoder().encodeToString(r.body());
                base64 = true;
            }
        }

        String host = headers.getOrDefault("host", "localhost");
        String domain = host.contains(":") && !host.startsWith("[") ? host.substring(0, host.indexOf(':')) : host;
        APIGatewayV2HTTPEvent.RequestContext context = APIGatewayV2HTTPEvent.RequestContext.builder()
                .withRouteKey("$default")
                .withAccountId(LOCAL_ACCOUNT_ID)
                .withApiId(LOCAL_API_ID)
                .withStage("$default")
                .withDomainName(domain)
                .withDomainPrefix(domain.contains(".") ? domain.substring(0, domain.indexOf('.')) : domain)
                .withRequestId(r.requestId())
                .withTime(TIME.format(r.received()))
                .withTimeEpoch(r.received().toEpochMilli())
                .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                        .withMethod(r.method())
                        .withPath(r.rawPath())
                        .withProtocol(r.protocol())
                        .withSourceIp(r.sourceIp())
                        .withUserAgent(headers.getOrDefault("user-agent", ""))
                        .build())
                .build();
        return APIGatewayV2HTTPEvent.builder()
                .withVersion("2.0")
                .withRouteKey("$default")
                .withRawPath(r.rawPath())
                .withRawQueryString(rawQuery)
                .withCookies(cookies.isEmpty() ? null : cookies)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body)
                .withIsBase64Encoded(base64)
                .withRequestContext(context)
                .build();
    }

    /**
     * Whether API Gateway passes a body of this content type as text: {@code text/*}, JSON, XML and JavaScript
     * (including {@code +json}/{@code +xml} suffixes); anything else (form posts, octet streams, no content type) is
     * base64.
     */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/xml") || type.endsWith("+xml") || type.equals("application/javascript");
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape reaches the integration as sent
        }
    }
}
