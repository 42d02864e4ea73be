package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.groupcast.functions.serverapi.ServerApi;

/** The server API on the HTTP API ({@code POST /notify}, groups, presence, close), routed by route key. */
public final class ServerApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final ServerApi api;

    /** Lambda\'s: wired from the process environment. */
    public ServerApiHandler() {
        this(Wiring.ofProcess());
    }

    /** Wired by {@code wiring} (the local gateway, tests, the benchmark's baseline). */
    public ServerApiHandler(Wiring wiring) {
        this.api = new ServerApi(wiring.notifier(), wiring.groups(), wiring.permissions(), wiring::notifications);
        wiring.primeBeforeSnapshot("server-api", this::prime, () -> {});
    }

    /** A whole notify of a group no one joins, and a signed post that is never sent. */
    void prime() {
        api.prime(Priming.GROUP);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return api.handle(event, context);
    }
}
