package io.groupcast.bench.cost;

import com.amazonaws.services.lambda.runtime.Context;
import io.groupcast.functions.AuthorizeHandler;
import io.groupcast.functions.ServerApiHandler;
import io.groupcast.functions.WebSocketHandler;
import io.groupcast.functions.Wiring;
import io.groupcast.standins.LambdaContext;
import java.time.Duration;

/**
 * The functions as API Gateway calls them: each real handler given Lambda's own event type, in a context with its
 * function's name and memory size and a logger that counts the bytes logged.
 */
final class FunctionCalls {
    private final CountingLogger logger = new CountingLogger();
    private final Context connectContext = context("ConnectFunction", 512);
    private final Context messageContext = context("MessageFunction", 512);
    private final Context notifyContext = context("NotifyFunction", 1769);
    private final HandlerEvents events;
    private final AuthorizeHandler authorizer;
    private final WebSocketHandler webSocket;
    private final ServerApiHandler serverApi;

    /** The handlers {@code wiring} builds, called with {@code events}. */
    FunctionCalls(Wiring wiring, HandlerEvents events) {
        this.events = events;
        authorizer = new AuthorizeHandler(wiring);
        webSocket = new WebSocketHandler(wiring);
        serverApi = new ServerApiHandler(wiring);
    }

    /** The authorizer, for a connection with {@code token}, in a fresh context. */
    void authorize(String token) {
        authorizer.handleRequest(events.authorize(token), context("AuthorizeFunction", 512));
    }

    /** {@code $connect}. */
    void connect(String id, String user) {
        webSocket.handleRequest(events.connect(id, user), connectContext);
    }

    /** A frame on the WebSocket API's default route. */
    void message(String id, String user, String body) {
        webSocket.handleRequest(events.message(id, user, body), messageContext);
    }

    /** {@code $disconnect}, in the connect function's context. */
    void disconnect(String id, String user) {
        webSocket.handleRequest(events.disconnect(id, user), connectContext);
    }

    /** The HTTP API's {@code POST /notify}. */
    void postNotify(String body) {
        serverApi.handleRequest(HandlerEvents.notify(body), notifyContext);
    }

    /** How many bytes the handlers logged so far. */
    long loggedBytes() {
        return logger.bytes.get();
    }

    private Context context(String function, int memoryMb) {
        return LambdaContext.of(function, Duration.ofSeconds(30), memoryMb, logger);
    }
}
