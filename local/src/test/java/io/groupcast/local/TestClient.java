package io.groupcast.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (the JDK's) that records every text message and how the connection closed. */
final class TestClient implements WebSocket.Listener {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final List<String> all = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    /** Connects with {@code ?token=}; throws {@link Refused} with the status when the upgrade is refused. */
    static TestClient connect(URI base, String token) {
        return connect(URI.create(base + (token == null ? "" : "?token=" + token)), null, null);
    }

    static TestClient connect(URI uri, String header, String value) {
        return connect(uri, header, value, List.of());
    }

    /** Connects with {@code ?token=}, offering these subprotocols in {@code Sec-WebSocket-Protocol}. */
    static TestClient offering(URI base, String token, String... subprotocols) {
        return connect(URI.create(base + "?token=" + token), null, null, List.of(subprotocols));
    }

    static TestClient connect(URI uri, String header, String value, List<String> subprotocols) {
        TestClient client = new TestClient();
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (header != null) {
            builder.header(header, value);
        }
        if (!subprotocols.isEmpty()) {
            builder.subprotocols(
                    subprotocols.get(0),
                    subprotocols.subList(1, subprotocols.size()).toArray(String[]::new));
        }
        try {
            client.socket = builder.buildAsync(uri, client).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                throw new Refused(refused.getResponse().statusCode());
            }
            throw e;
        }
        return client;
    }

    /** The subprotocol the handshake accepted; empty for none. */
    String subprotocol() {
        return socket.getSubprotocol();
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message, waiting up to {@code timeout}. */
    String next(Duration timeout) {
        try {
            String message = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message within " + timeout.toMillis() + " ms; got so far: " + all);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Every message received so far. */
    List<String> received() {
        return new ArrayList<>(all);
    }

    /** Closes with a close frame (a tab closing). */
    void close() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    /** Whether the connection is still open (no close frame, no error). */
    boolean isOpen() {
        return !closed.isDone();
    }

    /** Drops the TCP connection without a close frame (a laptop lid closing). */
    void drop() {
        socket.abort();
    }

    /** The close code the server sent, waiting up to {@code timeout}. */
    int closeCode(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the connection did not close within " + timeout.toMillis() + " ms", e);
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String message = partial.toString();
            partial.setLength(0);
            all.add(message);
            messages.add(message);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(1006);
    }

    /** The upgrade was refused with this HTTP status. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status) {
            super("upgrade refused with " + status);
            this.status = status;
        }
    }
}
