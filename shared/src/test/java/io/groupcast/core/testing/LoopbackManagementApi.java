package io.groupcast.core.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback speaking the API Gateway Management API wire format: {@code POST|GET|DELETE
 * /{stage}/@connections/{id}}, SigV4 {@code Authorization} required, errors with {@code x-amzn-ErrorType}. Open
 * connections are registered by the test; posts to any other id answer 410 Gone. Faults and latency can be injected.
 */
public final class LoopbackManagementApi implements AutoCloseable {
    /** A scripted answer: HTTP status and AWS error type. */
    public record Fault(int status, String errorType) {
        public static final Fault GONE = new Fault(410, "GoneException");
        public static final Fault FORBIDDEN = new Fault(403, "ForbiddenException");
        public static final Fault THROTTLED = new Fault(429, "LimitExceededException");
        public static final Fault TOO_LARGE = new Fault(413, "PayloadTooLargeException");
        public static final Fault INTERNAL = new Fault(500, "InternalServerErrorException");
    }

    private final String stage;
    private final HttpServer server;
    private final ExecutorService workers = Executors.newCachedThreadPool(daemon("loopback-mgmt"));
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemon("loopback-delay"));
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> frames = new ConcurrentHashMap<>();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> faultsLeft = new ConcurrentHashMap<>();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final AtomicInteger posts = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;

    private LoopbackManagementApi(String stage) throws IOException {
        this.stage = stage;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(workers);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a server for stage {@code test}. */
    public static LoopbackManagementApi start() {
        try {
            return new LoopbackManagementApi("test");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the loopback management API", e);
        }
    }

    /** The endpoint to give the SDK, {@code http://127.0.0.1:port/test}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + stage);
    }

    /** Marks a connection as open: posts to it are delivered and recorded. */
    public void open(String connectionId) {
        open.add(connectionId);
    }

    /** Marks a connection as closed: posts to it answer 410 Gone. */
    public void close(String connectionId) {
        open.remove(connectionId);
    }

    /** Makes every post to this connection answer with {@code fault}. */
    public void fail(String connectionId, Fault fault) {
        faults.put(connectionId, fault);
        faultsLeft.remove(connectionId);
    }

    /** Makes the next {@code times} posts to this connection answer with {@code fault}, later ones succeed. */
    public void failTimes(String connectionId, Fault fault, int times) {
        faults.put(connectionId, fault);
        faultsLeft.put(connectionId, new AtomicInteger(times));
    }

    /** Delays every answer to this connection by {@code delay} (a hanging connection, when long). */
    public void delay(String connectionId, Duration delay) {
        delays.put(connectionId, delay);
    }

    /** How many POSTs arrived for this connection. */
    public int attempts(String connectionId) {
        AtomicInteger count = attempts.get(connectionId);
        return count == null ? 0 : count.get();
    }

    /** Delays every answer by {@code latency} without blocking other requests. */
    public void latency(Duration latency) {
        this.latency = latency;
    }

    /** The frames delivered to a connection, in order. */
    public List<String> frames(String connectionId) {
        return List.copyOf(frames.getOrDefault(connectionId, List.of()));
    }

    /** Every connection that received at least one frame. */
    public Set<String> receivers() {
        return Set.copyOf(frames.keySet());
    }

    /** How many POSTs arrived, answered or not. */
    public int posts() {
        return posts.get();
    }

    /** The most POSTs that were being answered at the same time. */
    public int maxConcurrentPosts() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getRawPath();
        String prefix = "/" + stage + "/@connections/";
        if (!path.startsWith(prefix)) {
            respond(exchange, 404, "NotFoundException", "no route " + path);
            return;
        }
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
            respond(exchange, 403, "ForbiddenException", "Missing Authentication Token");
            return;
        }
        String id = URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        if ("POST".equals(method)) {
            posts.incrementAndGet();
            attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            Runnable answer = () -> {
                try {
                    answerPost(exchange, id, body);
                } catch (IOException ignored) {
                    // the client went away
                } finally {
                    inFlight.decrementAndGet();
                }
            };
            Duration wait = delays.getOrDefault(id, latency);
            if (wait.isZero()) {
                answer.run();
            } else {
                timer.schedule(() -> workers.execute(answer), wait.toNanos(), TimeUnit.NANOSECONDS);
            }
        } else if ("GET".equals(method)) {
            if (!open.contains(id)) {
                respond(exchange, 410, "GoneException", null);
            } else {
                byte[] json = "{\"connectedAt\":\"2026-11-28T04:30:00.000Z\",\"identity\":{\"sourceIp\":\"127.0.0.1\"},\"lastActiveAt\":\"2026-11-28T04:30:00.000Z\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, json.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(json);
                }
            }
        } else if ("DELETE".equals(method)) {
            if (open.remove(id)) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            } else {
                respond(exchange, 410, "GoneException", null);
            }
        } else {
            respond(exchange, 405, "BadRequestException", "method not allowed");
        }
    }

    private void answerPost(HttpExchange exchange, String id, byte[] body) throws IOException {
        Fault fault = faults.get(id);
        AtomicInteger left = faultsLeft.get(id);
        if (fault != null && left != null && left.getAndDecrement() <= 0) {
            fault = null;
        }
        if (fault != null) {
            respond(exchange, fault.status(), fault.errorType(), fault.errorType());
        } else if (!open.contains(id)) {
            respond(exchange, 410, "GoneException", null);
        } else {
            frames.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(new String(body, StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String errorType, String message) throws IOException {
        byte[] json = ("{\"message\":" + (message == null ? "null" : "\"" + message + "\"") + "}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("x-amzn-ErrorType", errorType);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        timer.shutdownNow();
        workers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
