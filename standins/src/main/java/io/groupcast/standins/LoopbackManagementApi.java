package io.groupcast.standins;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A real HTTP server (Jetty) on loopback speaking the API Gateway Management API wire format: {@code POST|GET|DELETE
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

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String stage;
    private final Server server;
    private final Scheduler timer = new ScheduledExecutorScheduler("loopback-delay", true, null, null, 2);
    private final Set<String> open = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> frames = new ConcurrentHashMap<>();
    private final ScriptedFaults faults = new ScriptedFaults();
    private final Map<String, Duration> delays = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final AtomicInteger posts = new AtomicInteger();
    private final AtomicInteger gets = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    private final TokenBucket bucket = new TokenBucket();
    private volatile String lastAuthorization;
    private volatile Map<String, String> lastHeaders = Map.of();
    private volatile String lastRawPath;

    private LoopbackManagementApi(String stage) throws IOException {
        this.stage = stage;
        QueuedThreadPool threads = new QueuedThreadPool(256, 4);
        threads.setName("loopback-mgmt");
        threads.setDaemon(true);
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(1024);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return LoopbackManagementApi.this.handle(request, response, callback);
            }
        });
        try {
            timer.start();
            server.start();
        } catch (Exception e) {
            throw new IOException("cannot start the loopback management API", e);
        }
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
        return URI.create(
                "http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/" + stage);
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
        faults.always(connectionId, fault);
    }

    /** Makes the next {@code times} posts to this connection answer with {@code fault}, later ones succeed. */
    public void failTimes(String connectionId, Fault fault, int times) {
        faults.times(connectionId, fault, times);
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

    /**
     * Throttles posts with a token bucket, as API Gateway's account quota does: {@code perSecond} tokens a second, a
     * burst of a tenth of that; a post finding the bucket empty answers 429 {@code LimitExceededException}. Zero
     * turns it off.
     */
    public void throttle(int perSecond) {
        bucket.rate(perSecond);
    }

    /** How many posts the token bucket answered 429. */
    public int throttled() {
        return bucket.refused();
    }

    /** Every connection's number of delivered frames (connections without any are absent). */
    public Map<String, Integer> deliveredCounts() {
        Map<String, Integer> counts = new HashMap<>();
        frames.forEach((id, list) -> counts.put(id, list.size()));
        return counts;
    }

    /** The frames delivered to a connection, in order. */
    public List<String> frames(String connectionId) {
        return List.copyOf(frames.getOrDefault(connectionId, List.of()));
    }

    /** Every connection a {@code DELETE} (close) was asked for, open or not. */
    public Set<String> closed() {
        return Set.copyOf(deleted);
    }

    /** Every connection that received at least one frame. */
    public Set<String> receivers() {
        return Set.copyOf(frames.keySet());
    }

    /** The headers of the last request, names in lower case. */
    public Map<String, String> lastHeaders() {
        return lastHeaders;
    }

    /** The path of the last request as it was sent, still percent-encoded. */
    public String lastRawPath() {
        return lastRawPath;
    }

    /** The Authorization header of the last request. */
    public String lastAuthorization() {
        return lastAuthorization;
    }

    /** How many {@code GET}s (connection checks) arrived. */
    public int gets() {
        return gets.get();
    }

    /** How many POSTs arrived, answered or not. */
    public int posts() {
        return posts.get();
    }

    /** The most POSTs that were being answered at the same time. */
    public int maxConcurrentPosts() {
        return maxInFlight.get();
    }

    private boolean handle(Request request, Response response, Callback callback) {
        // the body is read without blocking a server thread: clients may send it after the headers
        Content.Source.asStringAsync(request, StandardCharsets.UTF_8).whenComplete((body, error) -> {
            if (error != null) {
                callback.failed(error);
            } else {
                answer(request, response, callback, body);
            }
        });
        return true;
    }

    private void answer(Request request, Response response, Callback callback, String body) {
        String path = request.getHttpURI().getPath();
        String prefix = "/" + stage + "/@connections/";
        if (!path.startsWith(prefix)) {
            respond(response, callback, 404, "NotFoundException", "no route " + path);
            return;
        }
        String auth = request.getHeaders().get("Authorization");
        lastAuthorization = auth;
        Map<String, String> headers = new HashMap<>();
        request.getHeaders().forEach(f -> headers.put(f.getLowerCaseName(), f.getValue()));
        lastHeaders = Map.copyOf(headers);
        lastRawPath = request.getHttpURI().getPath();
        if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
            respond(response, callback, 403, "ForbiddenException", "Missing Authentication Token");
            return;
        }
        String id = URLDecoder.decode(path.substring(prefix.length()), StandardCharsets.UTF_8);
        switch (request.getMethod()) {
            case "POST" -> {
                posts.incrementAndGet();
                attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                Runnable answer = () -> {
                    try {
                        answerPost(response, callback, id, body);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                };
                Duration wait = delays.getOrDefault(id, latency);
                if (wait.isZero()) {
                    answer.run();
                } else {
                    timer.schedule(answer, wait.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            case "GET" -> {
                gets.incrementAndGet();
                Duration wait = delays.getOrDefault(id, latency);
                if (wait.isZero()) {
                    answerGet(response, callback, id);
                } else {
                    timer.schedule(() -> answerGet(response, callback, id), wait.toNanos(), TimeUnit.NANOSECONDS);
                }
            }
            case "DELETE" -> {
                deleted.add(id);
                if (open.remove(id)) {
                    response.setStatus(204);
                    callback.succeeded();
                } else {
                    respond(response, callback, 410, "GoneException", null);
                }
            }
            default -> respond(response, callback, 405, "BadRequestException", "method not allowed");
        }
    }

    private void answerGet(Response response, Callback callback, String id) {
        if (!open.contains(id)) {
            respond(response, callback, 410, "GoneException", null);
            return;
        }
        response.getHeaders().put("Content-Type", "application/json");
        ObjectNode info = JSON.createObjectNode()
                .put("connectedAt", "2026-11-28T04:30:00.000Z")
                .put("lastActiveAt", "2026-11-28T04:30:00.000Z");
        info.putObject("identity").put("sourceIp", "127.0.0.1");
        response.write(true, ByteBuffer.wrap(info.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }

    private void answerPost(Response response, Callback callback, String id, String body) {
        Fault fault = faults.next(id);
        if (fault != null) {
            respond(response, callback, fault.status(), fault.errorType(), fault.errorType());
        } else if (!bucket.take()) {
            respond(response, callback, 429, "LimitExceededException", "Rate exceeded");
        } else if (!open.contains(id)) {
            respond(response, callback, 410, "GoneException", null);
        } else {
            frames.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(body);
            response.setStatus(200);
            callback.succeeded();
        }
    }

    private static void respond(Response response, Callback callback, int status, String errorType, String message) {
        byte[] json = JSON.createObjectNode().put("message", message).toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put("x-amzn-ErrorType", errorType);
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.wrap(json), callback);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping anyway
        }
        try {
            timer.stop();
        } catch (Exception e) {
            // stopping anyway
        }
    }
}
