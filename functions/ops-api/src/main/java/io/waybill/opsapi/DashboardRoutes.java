package io.waybill.opsapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /dashboard} (the page) and {@code GET /dashboard/{asset}} (its scripts, styles and the bundled uPlot):
 * the ops dashboard served by the API itself, no S3 or CloudFront. These routes need no token ({@code security: []}
 * in the contract, no authorizer in API Gateway): the page asks the operator for one, keeps it in the tab's
 * {@code sessionStorage} and sends it as a bearer token to the API routes.
 * <p>
 * Only the files of {@link #ASSETS} are served (from {@code waybill/dashboard/} on the class path, where the build
 * copies the page and uPlot); anything else under {@code /dashboard/} is a 404 problem. Every answer carries a
 * Content-Security-Policy that allows scripts, styles and fetches from this origin only (no inline script, no CDN),
 * and an ETag: a matching {@code If-None-Match} is a 304. The page is revalidated on every load; the assets may be
 * cached for {@value #ASSET_MAX_AGE_SECONDS} s.
 */
final class DashboardRoutes implements RouteFamily {
    /** The first path segment of these routes. */
    static final String ROOT = "dashboard";
    /** Where the build puts the page and uPlot. */
    static final String RESOURCE_FOLDER = "waybill/dashboard/";
    /** How long a browser may keep an asset without asking again (the page itself is always revalidated). */
    static final int ASSET_MAX_AGE_SECONDS = 300;
    /** Self only: no inline script or style element, nothing from another origin, not framed. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String PAGE = "index.html";
    /** The files served, with their content types. */
    static final Map<String, String> ASSETS = assets();

    private record Asset(String body, String etag) {
    }

    private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

    private static Map<String, String> assets() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PAGE, "text/html; charset=utf-8");
        m.put("app.js", "text/javascript; charset=utf-8");
        m.put("api.js", "text/javascript; charset=utf-8");
        m.put("temperature-plot.js", "text/javascript; charset=utf-8");
        m.put("forecast-plot.js", "text/javascript; charset=utf-8");
        m.put("dashboard.css", "text/css; charset=utf-8");
        m.put("uPlot.esm.js", "text/javascript; charset=utf-8");
        m.put("uPlot.min.css", "text/css; charset=utf-8");
        return Map.copyOf(m);
    }

    @Override
    public String root() {
        return ROOT;
    }

    @Override
    public boolean anonymous() {
        return true;
    }

    @Override
    public ApiResponse route(Call call) {
        if (call.size() > 2) {
            return null;
        }
        call.allow("GET");
        String name = call.size() == 1 ? PAGE : call.decoded(1, "asset");
        if (!ASSETS.containsKey(name)) {
            throw Problem.notFound("no dashboard asset " + name);
        }
        Asset asset = loaded.computeIfAbsent(name, DashboardRoutes::load);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cache-Control", PAGE.equals(name) ? "no-cache" : "public, max-age=" + ASSET_MAX_AGE_SECONDS);
        headers.put("ETag", asset.etag());
        String ifNoneMatch = call.request().header("If-None-Match");
        if (ifNoneMatch != null && matches(ifNoneMatch, asset.etag())) {
            return new ApiResponse(304, headers, "");
        }
        headers.put("Content-Type", ASSETS.get(name));
        return new ApiResponse(200, headers, asset.body());
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*") || c.equals(etag) || c.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    /** @throws IllegalStateException when the build did not bundle the file (a defect: a 500) */
    private static Asset load(String name) {
        try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(RESOURCE_FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE_FOLDER + name + " is not on the class path: the build did "
                        + "not bundle the dashboard");
            }
            byte[] bytes = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return new Asset(new String(bytes, StandardCharsets.UTF_8),
                    "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE_FOLDER + name, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
