package io.groupcast.local.apigateway;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

/** Ids and timestamps in the formats API Gateway uses ({@code L0SM9cOFvHcCIhw=}, {@code 28/Nov/2026:04:30:00 +0000}). */
public final class ApiGatewayIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private ApiGatewayIds() {}

    /**
     * 11 random bytes in base64: 16 characters ending in '=', like API Gateway's connection ids. The URL-safe alphabet
     * keeps '/' out of ids, which would otherwise need %2F in {@code @connections/{id}} paths.
     */
    public static String newId() {
        byte[] bytes = new byte[11];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().encodeToString(bytes);
    }

    /** {@code requestTime} of an event. */
    public static String requestTime(long epochMillis) {
        return REQUEST_TIME.format(Instant.ofEpochMilli(epochMillis));
    }
}
