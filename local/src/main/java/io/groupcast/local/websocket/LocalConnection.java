package io.groupcast.local.websocket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.local.apigateway.HttpResponses;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** One client connection of the local WebSocket API, from the upgrade until it closes. */
public final class LocalConnection {
    private final String id;
    private final long connectedAt;
    private final ClientRequest request;
    private final ObjectNode authorizer;
    private volatile Session session;
    private volatile long lastActiveAt;
    private volatile ScheduledFuture<?> maxDuration;
    private CompletableFuture<Void> queue = CompletableFuture.completedFuture(null);

    LocalConnection(String id, long connectedAt, ClientRequest request, ObjectNode authorizer) {
        this.id = id;
        this.connectedAt = connectedAt;
        this.request = request;
        this.authorizer = authorizer;
        this.lastActiveAt = connectedAt;
    }

    public String id() {
        return id;
    }

    public long connectedAt() {
        return connectedAt;
    }

    ClientRequest request() {
        return request;
    }

    ObjectNode authorizer() {
        return authorizer;
    }

    long lastActiveAt() {
        return lastActiveAt;
    }

    void touch() {
        lastActiveAt = System.currentTimeMillis();
    }

    /** Open once the upgrade completed: before that (during $connect) posts answer 410 as on AWS. */
    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    void opened(Session session, ScheduledFuture<?> maxDuration) {
        this.session = session;
        this.maxDuration = maxDuration;
    }

    void closed() {
        ScheduledFuture<?> task = maxDuration;
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Runs this connection's integrations one after another, in the order its frames arrived. */
    synchronized void enqueue(Runnable task, ExecutorService pool) {
        queue = queue.thenRunAsync(task, pool).exceptionally(error -> null);
    }

    /** Sends {@code data} as one message: a text frame when it is UTF-8, else binary. */
    CompletableFuture<Void> send(byte[] data) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        Session s = session;
        if (s == null || !s.isOpen()) {
            sent.completeExceptionally(new IllegalStateException("connection " + id + " is not open"));
            return sent;
        }
        Callback callback = Callback.from(() -> sent.complete(null), sent::completeExceptionally);
        String text = HttpResponses.utf8(data);
        if (text != null) {
            s.sendText(text, callback);
        } else {
            s.sendBinary(ByteBuffer.wrap(data), callback);
        }
        return sent;
    }

    /** Closes the connection with a close frame. */
    public void close(int status, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(status, reason, Callback.NOOP);
        }
    }
}
