package io.groupcast.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import java.net.URL;
import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies connection tokens: HS256 only with the shared secret, RS256/ES256 only with keys from the JWKS URL (so
 * neither algorithm confusion nor {@code alg: none} passes), {@code exp} required, issuer and audience when set.
 */
public final class TokenVerifier {
    /** Tokens longer than this are refused before any parsing. */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String userIdClaim;
    private final String rolesClaim;
    private final Optional<Duration> maxLifetime;
    private final Duration clockSkew;
    private final boolean cognito;
    private final Optional<Hs256Keys> secrets;

    /** The longest space-separated roles an authorizer context carries (API Gateway's limit is 8 KB for it all). */
    public static final int MAX_ROLES_LENGTH = 4096;

    /** JWKS keys are kept this long before they are fetched again. */
    public static final Duration JWKS_CACHE = Duration.ofMinutes(5);
    /** At most one JWKS fetch per this interval, however many tokens name an unknown {@code kid}. */
    public static final Duration JWKS_MIN_REFRESH = Duration.ofSeconds(30);

    public TokenVerifier(TokenSettings settings) {
        this(settings, settings.jwksUrl().map(TokenVerifier::jwks).orElse(null));
    }

    /**
     * The issuer's keys: fetched on first use (2 s to connect, 2 s to read, 256 KB at most), cached for
     * {@link #JWKS_CACHE}, fetched again early when a token names a {@code kid} the cached set lacks (key rotation),
     * but never more than once per {@link #JWKS_MIN_REFRESH}, so a flood of made-up {@code kid}s cannot make the
     * function hammer the issuer.
     */
    public static JWKSource<SecurityContext> jwks(URL url) {
        return JWKSourceBuilder.<SecurityContext>create(url, new DefaultResourceRetriever(2000, 2000, 256 * 1024))
                .cache(JWKS_CACHE.toMillis(), 2000)
                .rateLimited(JWKS_MIN_REFRESH.toMillis())
                .retrying(false)
                .build();
    }

    /** With an explicit key source for RS256/ES256 (tests); {@code jwks} may be null when only HS256 is used. */
    public TokenVerifier(TokenSettings settings, JWKSource<SecurityContext> jwks) {
        this.userIdClaim = settings.userIdClaim();
        this.rolesClaim = settings.rolesClaim();
        this.maxLifetime = settings.maxLifetime();
        this.clockSkew = settings.clockSkew();
        this.cognito = settings.cognito();
        this.secrets = settings.secret();
        JWSKeySelector<SecurityContext> asymmetric = jwks == null
                ? null
                : new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), jwks);
        processor.setJWSKeySelector((JWSHeader header, SecurityContext context) -> {
            JWSAlgorithm alg = header.getAlgorithm();
            if (JWSAlgorithm.HS256.equals(alg) && secrets.isPresent()) {
                // during a rotation, the current secret and the previous one: a token signed with either passes
                return secrets.get().keys().stream()
                        .map(key -> (Key) new SecretKeySpec(key, "HmacSHA256"))
                        .toList();
            }
            if ((JWSAlgorithm.RS256.equals(alg) || JWSAlgorithm.ES256.equals(alg)) && asymmetric != null) {
                return asymmetric.selectJWSKeys(header, context);
            }
            return List.of();
        });
        Set<String> required = new HashSet<>(Set.of("exp", userIdClaim));
        if (maxLifetime.isPresent()) {
            required.add("iat");
        }
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        settings.issuer().ifPresent(exact::issuer);
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.requiredAudience().map(Set::of).orElse(null), exact.build(), required, null);
        claims.setMaxClockSkew((int) settings.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** Reads the HS256 secrets again (after a SnapStart restore); a no-op for a JWKS or a fixed secret. */
    public void refresh() {
        secrets.ifPresent(Hs256Keys::refresh);
    }

    /** The user and roles the token names, or why it is refused. */
    public VerifiedToken verify(String token) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("no token");
        }
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("token longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new InvalidTokenException("token rejected: " + e.getMessage(), e);
        }
        checkIssueTime(claims);
        checkLifetime(claims);
        checkTokenUse(claims);
        return new VerifiedToken(user(claims), roles(claims));
    }

    private UserId user(JWTClaimsSet claims) throws InvalidTokenException {
        Object user = claims.getClaim(userIdClaim);
        if (!(user instanceof String value)) {
            throw new InvalidTokenException("claim " + userIdClaim + " is not a string");
        }
        try {
            return UserId.of(value);
        } catch (RequestException e) {
            throw new InvalidTokenException("claim " + userIdClaim + ": " + e.getMessage(), e);
        }
    }

    /** The roles claim: an array of strings or one space-separated string; other applications' roles are ignored. */
    private Grants roles(JWTClaimsSet claims) throws InvalidTokenException {
        Object claim = claims.getClaim(rolesClaim);
        List<String> roles = new ArrayList<>();
        if (claim instanceof String value) {
            roles.addAll(List.of(value.trim().split("\\s+")));
        } else if (claim instanceof List<?> values) {
            for (Object value : values) {
                if (!(value instanceof String role)) {
                    throw new InvalidTokenException("claim " + rolesClaim + " must hold strings only");
                }
                roles.add(role);
            }
        } else if (claim != null) {
            throw new InvalidTokenException(
                    "claim " + rolesClaim + " must be an array of strings or a space-separated string");
        }
        try {
            Grants grants = Grants.ofRoles(
                    roles.stream().filter(role -> !role.isEmpty()).toList());
            if (grants.roles().length() > MAX_ROLES_LENGTH) {
                throw new InvalidTokenException("claim " + rolesClaim + ": the Groupcast roles are longer than "
                        + MAX_ROLES_LENGTH + " characters, more than the authorizer's context can carry");
            }
            return grants;
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("claim " + rolesClaim + ": " + e.getMessage(), e);
        }
    }

    /** A token issued in the future (beyond the skew) is refused: else its lifetime limit could be sidestepped. */
    private void checkIssueTime(JWTClaimsSet claims) throws InvalidTokenException {
        if (claims.getIssueTime() != null
                && claims.getIssueTime().toInstant().isAfter(Instant.now().plus(clockSkew))) {
            throw new InvalidTokenException(
                    "token issued in the future (iat " + claims.getIssueTime().toInstant()
                            + ", more than the clock skew of " + clockSkew.toSeconds() + " s ahead)");
        }
    }

    /**
     * A Cognito issuer's tokens must be ID tokens ({@code token_use: id}): its access tokens carry no {@code aud}, so
     * an access token of any app client of the pool would otherwise pass.
     */
    private void checkTokenUse(JWTClaimsSet claims) throws InvalidTokenException {
        if (cognito && !"id".equals(claims.getClaim("token_use"))) {
            throw new InvalidTokenException(
                    "a Cognito token must be an ID token (token_use id), was " + claims.getClaim("token_use"));
        }
    }

    private void checkLifetime(JWTClaimsSet claims) throws InvalidTokenException {
        if (maxLifetime.isEmpty()) {
            return;
        }
        long lifetime = Duration.between(
                        claims.getIssueTime().toInstant(),
                        claims.getExpirationTime().toInstant())
                .toSeconds();
        if (lifetime > maxLifetime.get().toSeconds()) {
            throw new InvalidTokenException("token lifetime (exp - iat) of " + lifetime + " s is longer than "
                    + "JWT_MAX_LIFETIME_SECONDS (" + maxLifetime.get().toSeconds() + " s)");
        }
    }
}
