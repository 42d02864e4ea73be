package io.groupcast.local.websocket;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** Jetty's side of one client connection; public because Jetty binds its methods by reflection. */
public final class WebSocketEndpoint implements Session.Listener.AutoDemanding {
    private final LocalConnection connection;
    private final WebSocketApi api;

    WebSocketEndpoint(LocalConnection connection, WebSocketApi api) {
        this.connection = connection;
        this.api = api;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        api.onOpen(connection, session);
    }

    @Override
    public void onWebSocketText(String message) {
        api.onText(connection, message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        api.onBinary(connection, bytes);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        api.onClose(connection, statusCode, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        api.onError(connection, cause);
    }
}
