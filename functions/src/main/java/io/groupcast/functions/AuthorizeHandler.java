package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.groupcast.core.auth.InvalidTokenException;
import io.groupcast.core.auth.TokenVerifier;
import io.groupcast.core.auth.VerifiedToken;
import io.groupcast.core.model.Protocol;
import io.groupcast.functions.edge.Invocation;
import io.groupcast.functions.edge.Metrics;
import io.groupcast.functions.edge.Outcome;
import io.groupcast.functions.edge.WebSocketRequests;
import java.security.SecureRandom;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code $connect} REQUEST authorizer: Allow with the user id in the context for a valid token, Deny otherwise. */
public final class AuthorizeHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> {
    private static final String BEARER = "bearer ";

    private final TokenVerifier verifier;

    /** Lambda\'s: wired from the process environment. */
    public AuthorizeHandler() {
        this(Wiring.ofProcess());
    }

    /** Wired by {@code wiring} (the local gateway, tests, the benchmark's baseline). */
    public AuthorizeHandler(Wiring wiring) {
        this.verifier = wiring.tokens();
        // a restored snapshot may hold a secret rotated since: read it again
        wiring.primeBeforeSnapshot("authorize", this::prime, verifier::refresh);
    }

    /** Verifies a token signed with a key of its own, which is denied: parsing, MAC and policy paths, no side effect. */
    void prime() {
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            SignedJWT forged = new SignedJWT(
                    new JWSHeader(JWSAlgorithm.HS256),
                    new JWTClaimsSet.Builder()
                            .subject("groupcast-priming")
                            .expirationTime(new Date(System.currentTimeMillis() + 60_000))
                            .build());
            forged.sign(new MACSigner(key));
            APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
            event.setMethodArn("arn:aws:execute-api:us-east-1:000000000000:priming/live/$connect");
            event.setQueryStringParameters(Map.of("token", forged.serialize()));
            handleRequest(event, null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the priming token", e);
        }
    }

    @Override
    public IamPolicyResponse handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        String resource = event == null || event.getMethodArn() == null ? "*" : event.getMethodArn();
        return Invocation.of(context, "$connect")
                .answer(() -> decide(event, resource), 500, (s, c, m) -> deny(resource));
    }

    /** Allow with the user id (and the token's Groupcast roles) in the context, or Deny with the reason logged. */
    private Outcome<IamPolicyResponse> decide(APIGatewayCustomAuthorizerEvent event, String resource) {
        VerifiedToken token;
        try {
            token = verifier.verify(token(event));
        } catch (InvalidTokenException e) {
            return Outcome.of(deny(resource), "connection denied")
                    .with("reason", e.getMessage())
                    .with("outcome", "deny")
                    .count(Metrics.AUTHORIZER_DENIALS, 1);
        }
        Map<String, Object> context =
                new HashMap<>(Map.of(WebSocketRequests.USER_ID, token.user().value()));
        if (!token.roles().grants().isEmpty()) {
            context.put(WebSocketRequests.ROLES, token.roles().roles());
        }
        Protocol protocol =
                Protocol.negotiate(WebSocketRequests.header(event.getHeaders(), WebSocketRequests.SUBPROTOCOL_HEADER));
        if (protocol != Protocol.PLAIN) {
            context.put(WebSocketRequests.PROTOCOL, protocol.wire());
        }
        return Outcome.of(
                        policy(token.user().value(), IamPolicyResponse.allowStatement(resource), context),
                        "connection authorized")
                .with("userId", token.user().value())
                .with("roles", token.roles().grants().size())
                .with("protocol", protocol.wire())
                .with("outcome", "allow")
                .count(Metrics.AUTHORIZER_ALLOWED, 1);
    }

    /** The token from the {@code token} query parameter, else from {@code Authorization: Bearer}. */
    static String token(APIGatewayCustomAuthorizerEvent event) {
        if (event == null) {
            return null;
        }
        Map<String, String> query = event.getQueryStringParameters();
        if (query != null && query.get("token") != null && !query.get("token").isBlank()) {
            return query.get("token");
        }
        String value = WebSocketRequests.header(event.getHeaders(), "Authorization");
        if (value != null && value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return value.substring(BEARER.length()).trim();
        }
        return null;
    }

    private static IamPolicyResponse deny(String resource) {
        return policy("anonymous", IamPolicyResponse.denyStatement(resource), null);
    }

    private static IamPolicyResponse policy(
            String principal, IamPolicyResponse.Statement statement, Map<String, Object> context) {
        return IamPolicyResponse.builder()
                .withPrincipalId(principal)
                .withPolicyDocument(IamPolicyResponse.PolicyDocument.builder()
                        .withVersion(IamPolicyResponse.VERSION_2012_10_17)
                        .withStatement(List.of(statement))
                        .build())
                .withContext(context)
                .build();
    }
}
