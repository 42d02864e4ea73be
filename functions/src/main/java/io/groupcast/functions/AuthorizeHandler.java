package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponse;
import io.groupcast.core.Environment;
import io.groupcast.core.InvalidTokenException;
import io.groupcast.core.TokenSettings;
import io.groupcast.core.TokenVerifier;
import io.groupcast.core.UserId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code $connect} REQUEST authorizer: Allow with the user id in the context for a valid token, Deny otherwise. */
public final class AuthorizeHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponse> {
    private static final String BEARER = "bearer ";

    private final TokenVerifier verifier;

    /** Wires the verifier from the process environment (Lambda). */
    public AuthorizeHandler() {
        this(System.getenv());
        Priming.register("authorize", this::prime);
    }

    /** Wires the verifier from the given environment (local gateway). */
    public AuthorizeHandler(Map<String, String> env) {
        this(new TokenVerifier(TokenSettings.from(Log.configured(env))));
    }

    AuthorizeHandler(TokenVerifier verifier) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /** Verifies a token signed with a key of its own, which is denied: parsing, MAC and policy paths, no side effect. */
    void prime() {
        try {
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            com.nimbusds.jwt.SignedJWT forged = new com.nimbusds.jwt.SignedJWT(
                    new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
                    new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("groupcast-priming")
                            .expirationTime(new java.util.Date(System.currentTimeMillis() + 60_000)).build());
            forged.sign(new com.nimbusds.jose.crypto.MACSigner(key));
            APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
            event.setMethodArn("arn:aws:execute-api:us-east-1:000000000000:priming/live/$connect");
            event.setQueryStringParameters(Map.of("token", forged.serialize()));
            handleRequest(event, null);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException("cannot sign the priming token", e);
        }
    }

    @Override
    public IamPolicyResponse handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        String resource = event == null || event.getMethodArn() == null ? "*" : event.getMethodArn();
        try {
            UserId user = verifier.verify(token(event));
            Log.info(context, "connection authorized", Map.of("userId", user.value(), "route", "$connect",
                    "outcome", "allow"));
            Metrics.count(context, Map.of(Metrics.AUTHORIZER_ALLOWED, 1));
            return IamPolicyResponse.builder()
                    .withPrincipalId(user.value())
                    .withPolicyDocument(policy(IamPolicyResponse.ALLOW, resource))
                    .withContext(Map.of(WebSocketRequests.USER_ID, user.value()))
                    .build();
        } catch (InvalidTokenException e) {
            Log.info(context, "connection denied", Map.of("reason", e.getMessage(), "route", "$connect",
                    "outcome", "deny"));
            Metrics.count(context, Map.of(Metrics.AUTHORIZER_DENIALS, 1));
            return IamPolicyResponse.builder()
                    .withPrincipalId("anonymous")
                    .withPolicyDocument(policy(IamPolicyResponse.DENY, resource))
                    .build();
        }
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
        Map<String, String> headers = event.getHeaders();
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                String value = header.getValue();
                if ("authorization".equalsIgnoreCase(header.getKey()) && value != null
                        && value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                    return value.substring(BEARER.length()).trim();
                }
            }
        }
        return null;
    }

    private static IamPolicyResponse.PolicyDocument policy(String effect, String resource) {
        return IamPolicyResponse.PolicyDocument.builder()
                .withVersion(IamPolicyResponse.VERSION_2012_10_17)
                .withStatement(List.of(IamPolicyResponse.Statement.builder()
                        .withAction(IamPolicyResponse.EXECUTE_API_INVOKE)
                        .withEffect(effect)
                        .withResource(List.of(resource))
                        .build()))
                .build();
    }
}
