package io.groupcast.local.apigateway;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Request;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * Checks a request's SigV4 signature as AWS does (API Gateway for an {@code AWS_IAM} route, the management API, SQS),
 * against the one access key the local gateway was given ({@code --verify-sigv4 ACCESS_KEY:SECRET}) and gives its
 * functions: the AWS SDK's own signer signs the request again from what it carries (signed headers, path, query,
 * body, date) and the signatures must match.
 */
public record SigV4Verifier(String accessKeyId, String secretAccessKey, Clock clock) {
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,]+),"
                    + "\\s*Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration SKEW = Duration.ofMinutes(5);

    /** {@code ACCESS_KEY:SECRET}, as {@code --verify-sigv4} takes it. */
    public static SigV4Verifier parse(String keyAndSecret) {
        int colon = keyAndSecret.indexOf(':');
        if (colon < 1 || colon == keyAndSecret.length() - 1) {
            throw new IllegalArgumentException("--verify-sigv4 takes ACCESS_KEY:SECRET");
        }
        return new SigV4Verifier(
                keyAndSecret.substring(0, colon), keyAndSecret.substring(colon + 1), Clock.systemUTC());
    }

    /**
     * Why a request is refused: AWS's error code for it (as SQS answers it), that code's status, and API Gateway's
     * message (API Gateway answers them all with 403).
     */
    public record Refusal(String code, int status, String message) {}

    /** Empty when {@code request}, whose body is {@code body}, is signed by this key; else why not. */
    public Optional<Refusal> refusal(Request request, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        request.getHeaders().forEach(h -> headers.put(h.getLowerCaseName(), h.getValue()));
        return refusal(request.getMethod(), request.getHttpURI().toURI(), headers, body);
    }

    /**
     * Empty when the request is signed by this key; else why not.
     *
     * @param headers the request's headers, lower-case names
     */
    public Optional<Refusal> refusal(String method, URI uri, Map<String, String> headers, byte[] body) {
        String authorization = headers.get("authorization");
        if (authorization == null) {
            return refused("MissingAuthenticationToken", 403, "Forbidden");
        }
        Matcher parts = AUTHORIZATION.matcher(authorization);
        if (!parts.matches()) {
            return refused(
                    "IncompleteSignature",
                    400,
                    "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature'.");
        }
        if (!parts.group(1).equals(accessKeyId)) {
            return refused("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
        }
        Instant date;
        try {
            date = ZonedDateTime.parse(headers.getOrDefault("x-amz-date", ""), AMZ_DATE.withZone(ZoneOffset.UTC))
                    .toInstant();
        } catch (DateTimeParseException e) {
            return refused(
                    "IncompleteSignature",
                    400,
                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
        }
        if (Duration.between(date, clock.instant()).abs().compareTo(SKEW) > 0) {
            return refused(
                    "RequestExpired",
                    400,
                    "Signature expired: " + headers.get("x-amz-date") + " is now earlier or later than the server's"
                            + " time by more than 5 minutes.");
        }
        String expected = signature(method, uri, headers, body, date, parts.group(3), parts.group(4), parts.group(5));
        if (!expected.equals(parts.group(6))) {
            return refused(
                    "SignatureDoesNotMatch",
                    403,
                    "The request signature we calculated does not match the signature you provided. Check your AWS"
                            + " Secret Access Key and signing method. Consult the service documentation for details.");
        }
        return Optional.empty();
    }

    private static Optional<Refusal> refused(String code, int status, String message) {
        return Optional.of(new Refusal(code, status, message));
    }

    private String signature(
            String method,
            URI uri,
            Map<String, String> headers,
            byte[] body,
            Instant date,
            String region,
            String service,
            String signedHeaders) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(method))
                .protocol(uri.getScheme())
                .host(uri.getHost())
                .port(uri.getPort())
                .encodedPath(uri.getRawPath());
        queryOf(uri).forEach(pair -> request.appendRawQueryParameter(pair.get(0), pair.get(1)));
        List<String> signed = Arrays.asList(signedHeaders.split(";"));
        signed.stream()
                .filter(name -> !name.equals("host") && !name.equals("x-amz-date"))
                .forEach(name -> request.putHeader(name, headers.getOrDefault(name, "")));
        String resigned = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsBasicCredentials.create(accessKeyId, secretAccessKey))
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(date, ZoneOffset.UTC)))
                .request()
                .firstMatchingHeader("Authorization")
                .orElse("");
        Matcher parts = AUTHORIZATION.matcher(resigned);
        return parts.matches() ? parts.group(6) : "";
    }

    /** The query's name-value pairs, percent-decoded (the signer encodes them again). */
    private static List<List<String>> queryOf(URI uri) {
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(query.split("&"))
                .map(pair -> {
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? "" : pair.substring(eq + 1);
                    return List.of(decode(name), decode(value));
                })
                .toList();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
