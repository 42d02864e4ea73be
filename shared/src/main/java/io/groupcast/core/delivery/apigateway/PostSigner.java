package io.groupcast.core.delivery.apigateway;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * AWS Signature Version 4 for the request shapes Groupcast sends: {@code POST|DELETE /{stage}/@connections/{id}} to the API Gateway
 * Management API ({@code execute-api}), signing {@code host}, {@code x-amz-content-sha256}, {@code x-amz-date} (and
 * {@code x-amz-security-token} with session credentials) the way the SDK's {@code AwsV4HttpSigner} does; a test checks the two agree byte for
 * byte. It exists because the SDK's signer derives the signing key again for every request (four HMACs) and builds a
 * general canonical request through several layers, which made signing most of the CPU of a fan-out (BENCHMARKS.md);
 * here the key is derived once per day and credentials, and the rest is one SHA-256 of the payload, one of the
 * canonical request and one HMAC.
 */
final class PostSigner {
    static final String SERVICE = "execute-api";
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    private static final HexFormat HEX_UPPER = HexFormat.of().withUpperCase();

    private final String region;
    private volatile SigningKey key;

    PostSigner(String region) {
        this.region = Objects.requireNonNull(region, "region");
    }

    /** The headers a signed request carries besides {@code host} and the body's. */
    record Signature(String amzDate, String payloadHash, String authorization, String securityToken) {}

    /**
     * Signs a request with {@code method} ({@code POST}, {@code GET} or {@code DELETE}) of {@code payload} to
     * {@code host} and {@code path}, where {@code path} is the request path as sent (each segment already
     * percent-encoded once).
     */
    Signature sign(
            String method, AwsCredentialsIdentity credentials, String host, String path, byte[] payload, Instant now) {
        String amzDate = TIME.format(now);
        String date = amzDate.substring(0, 8);
        String token = credentials instanceof AwsSessionCredentialsIdentity session ? session.sessionToken() : null;
        String payloadHash = HEX.formatHex(sha256(payload));
        String signedHeaders = token == null
                ? "host;x-amz-content-sha256;x-amz-date"
                : "host;x-amz-content-sha256;x-amz-date;x-amz-security-token";
        StringBuilder canonical = new StringBuilder(320)
                .append(method)
                .append('\n')
                .append(canonicalPath(path))
                .append("\n\n")
                .append("host:")
                .append(host)
                .append('\n')
                .append("x-amz-content-sha256:")
                .append(payloadHash)
                .append('\n')
                .append("x-amz-date:")
                .append(amzDate)
                .append('\n');
        if (token != null) {
            canonical.append("x-amz-security-token:").append(token).append('\n');
        }
        canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);
        String scope = date + "/" + region + "/" + SERVICE + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        String signature = HEX.formatHex(hmac(signingKey(credentials, date), toSign));
        String authorization = "AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/" + scope
                + ", SignedHeaders=" + signedHeaders + ", Signature=" + signature;
        return new Signature(amzDate, payloadHash, authorization, token);
    }

    /**
     * The canonical URI: the path as sent, encoded a second time, as SigV4 asks of every service but S3. Unreserved
     * characters and {@code /} stay; everything else ({@code @} of {@code @connections}, the {@code %} of the first
     * encoding) is percent-encoded.
     */
    static String canonicalPath(String path) {
        StringBuilder out = new StringBuilder(path.length() + 16);
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~'
                    || c == '/') {
                out.append(c);
            } else {
                out.append('%').append(HEX_UPPER.toHexDigits(b));
            }
        }
        return out.toString();
    }

    private byte[] signingKey(AwsCredentialsIdentity credentials, String date) {
        SigningKey current = key;
        if (current != null
                && current.date.equals(date)
                && current.accessKeyId.equals(credentials.accessKeyId())
                && current.secret.equals(credentials.secretAccessKey())) {
            return current.key;
        }
        byte[] derived = hmac(("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8), date);
        derived = hmac(derived, region);
        derived = hmac(derived, SERVICE);
        derived = hmac(derived, "aws4_request");
        key = new SigningKey(credentials.accessKeyId(), credentials.secretAccessKey(), date, derived);
        return derived;
    }

    private record SigningKey(String accessKeyId, String secret, String date, byte[] key) {}

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
