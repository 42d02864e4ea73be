package io.groupcast.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.groupcast.core.model.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An application's event handler on a loopback port, as an app in any language would serve it for
 * {@code --event-handler-url} (and a sink for {@code --events-url}): each POST's JSON body is recorded, and answered
 * by the script for its {@code event} (a status and a body; a negative status hangs until {@link #close}).
 */
final class ScriptedHandler implements AutoCloseable {
    /** A scripted answer: a status (negative: hang first) and a body. */
    record Answer(int status, String body) {
        static Answer data(String json) {
            return new Answer(200, "{\"data\":" + json + "}");
        }
    }

    private final HttpServer server;
    private final CountDownLatch released = new CountDownLatch(1);
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final Map<String, Function<JsonNode, Answer>> script = new ConcurrentHashMap<>();

    private ScriptedHandler() {
        // answers in one packet: without it Nagle holds each body back about 40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
    }

    /** A handler that answers {@code {"data":{"echo":<the input>}}} to whatever the script does not name. */
    static ScriptedHandler start() {
        return new ScriptedHandler();
    }

    /** Answers events named {@code event} with {@code answer} of their input. */
    ScriptedHandler on(String event, Function<JsonNode, Answer> answer) {
        script.put(event, answer);
        return this;
    }

    /** The URL to give the gateway. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/handler";
    }

    /** Every body posted so far. */
    List<JsonNode> received() {
        return List.copyOf(received);
    }

    private void answer(HttpExchange exchange) throws IOException {
        JsonNode input = Json.parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        received.add(input);
        Answer answer = script.getOrDefault(
                        input.path("event").asText(), in -> new Answer(200, "{\"data\":{\"echo\":" + in + "}}"))
                .apply(input);
        if (answer.status() < 0) {
            try {
                released.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(Math.abs(answer.status()), body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
    }
}
