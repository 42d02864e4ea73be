package io.groupcast.local.apigateway;

import io.groupcast.core.model.Names;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * Requests a web page on another origin can make a browser send to the gateway without a CORS preflight (a "simple
 * request": a POST of {@code text/plain}, of a form, or of a body without a type), told apart from the gateway's own
 * pages and from clients that are not browsers. On AWS the HTTP API is {@code AWS_IAM} and such a request is never
 * signed; locally, with no SigV4 check, it would notify, close connections or grant permissions.
 */
public final class CrossSiteRequests {
    /** {@code Sec-Fetch-Site} values of a request the page's own origin made, or the user made (a typed URL). */
    private static final Set<String> OWN_SITES = Set.of("same-origin", "none");

    private static final String REFUSED_TYPE =
            " (a web page may send that to the local gateway without asking; this one refuses it)";

    private CrossSiteRequests() {}

    /** Whether the request may change something: any method but {@code GET}, {@code HEAD} and {@code OPTIONS}. */
    public static boolean changes(Request request) {
        return !Set.of("GET", "HEAD", "OPTIONS").contains(request.getMethod());
    }

    /**
     * Why the browser that sent {@code request} says it comes from another origin: a {@code Sec-Fetch-Site} other
     * than {@code same-origin} or {@code none} (another port of localhost is {@code same-site}), or an {@code Origin}
     * other than the one the request was sent to. Empty for the gateway's own pages and for clients that send
     * neither header (the SDKs, curl).
     *
     * @param what what the request asks for, e.g. its route key, for the message
     */
    public static Optional<String> fromAnotherOrigin(Request request, String what) {
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !OWN_SITES.contains(site.toLowerCase(Locale.ROOT))) {
            return refused(what, "Sec-Fetch-Site " + Names.describe(site));
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !isOwn(request, origin)) {
            return refused(what, "Origin " + Names.describe(origin));
        }
        return Optional.empty();
    }

    /**
     * Why a change does not carry JSON: a body needs {@code Content-Type: application/json}; a request without a
     * body may also carry none, but not one of the types a page sends without asking.
     *
     * @param what what the request asks for, e.g. its route key, for the message
     */
    public static Optional<String> notJson(Request request, byte[] body, String what) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null) {
            return body.length == 0
                    ? Optional.empty()
                    : Optional.of(
                            what + " takes Content-Type: application/json, not a body without one" + REFUSED_TYPE);
        }
        String mediaType = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (mediaType.equals("application/json")) {
            return Optional.empty();
        }
        return Optional.of(what + " takes Content-Type: application/json, not " + Names.describe(type) + REFUSED_TYPE);
    }

    /** Whether {@code origin} is the scheme, host and port the request was sent to. */
    private static boolean isOwn(Request request, String origin) {
        try {
            URI uri = URI.create(origin);
            int port = uri.getPort() == -1 ? ("https".equals(uri.getScheme()) ? 443 : 80) : uri.getPort();
            String scheme = request.getHttpURI().getScheme();
            return uri.getHost() != null
                    && uri.getScheme().equalsIgnoreCase(scheme == null ? "http" : scheme)
                    && bare(uri.getHost()).equalsIgnoreCase(bare(Request.getServerName(request)))
                    && port == Request.getServerPort(request);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Optional<String> refused(String what, String header) {
        return Optional.of(
                what + " from another origin (" + header + "): the local gateway takes changes only from its "
                        + "own pages and from clients that are not browsers");
    }
}
