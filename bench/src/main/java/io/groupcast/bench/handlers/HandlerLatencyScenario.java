package io.groupcast.bench.handlers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.groupcast.bench.BenchGateway;
import io.groupcast.bench.BenchSetup;
import io.groupcast.bench.Machine;
import io.groupcast.bench.Progress;
import io.groupcast.core.model.Json;
import io.groupcast.local.LocalGateway;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the server-side handlers add, locally, one real WebSocket client at a time: a client event's round trip (frame
 * to the ack with the handler's data, the handler an HTTP endpoint on loopback that answers at once) against a plain
 * {@code send} to a group of one (frame to ack), and a connect with the connect hook against one without, on two
 * gateways that differ only in {@code ConnectHook} ({@code MaxPublishesPerSecond} raised: one client sends them all). Medians and p99 of {@link #RUNS} each, after {@link #WARMUP}.
 */
public final class HandlerLatencyScenario {
    static final int WARMUP = 100;
    static final int RUNS = 300;
    static final int CONNECTS = 60;

    private HandlerLatencyScenario() {}

    /** A client that hands each frame it gets to the scenario. */
    static final class Frames implements WebSocket.Listener {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        String next() throws InterruptedException {
            String frame = received.poll(60, TimeUnit.SECONDS);
            if (frame == null) {
                throw new IllegalStateException("no answer within 60 s");
            }
            return frame;
        }
    }

    /** Runs the scenario and answers its one result line. */
    public static ObjectNode run(BenchSetup setup) throws Exception {
        HttpServer handler = handler();
        String url = "http://127.0.0.1:" + handler.getAddress().getPort() + "/";
        try (LocalGateway hooked = BenchGateway.start(
                        setup,
                        "bench-handlers-" + System.nanoTime(),
                        "--event-handler-url",
                        url,
                        "--parameter",
                        "ConnectHook=Enabled",
                        "--parameter",
                        "MaxPublishesPerSecond=1000");
                LocalGateway plain = BenchGateway.start(setup, "bench-plain-" + System.nanoTime())) {
            Frames frames = new Frames();
            WebSocket client = BenchGateway.connect(hooked, "bench", List.of("groupcast.sendToGroup"), frames)
                    .get(60, TimeUnit.SECONDS);
            List<Long> sendMs = roundTrips(
                    client,
                    frames,
                    "{\"action\":\"send\",\"group\":\"bench\",\"data\":1," + "\"noEcho\":true}",
                    "\"action\":\"send\"");
            List<Long> eventMs =
                    roundTrips(client, frames, "{\"action\":\"event\",\"event\":\"bench\",\"data\":1}", "\"data\"");
            client.abort();
            List<Long> connectMs = connects(plain);
            List<Long> hookedMs = connects(hooked);
            ObjectNode line = Json.object()
                    .put("scenario", "handlers")
                    .put("sendMs", percentile(sendMs, 50))
                    .put("sendP99Ms", percentile(sendMs, 99))
                    .put("eventMs", percentile(eventMs, 50))
                    .put("eventP99Ms", percentile(eventMs, 99))
                    .put("connectMs", percentile(connectMs, 50))
                    .put("connectHookMs", percentile(hookedMs, 50))
                    .put("ok", true);
            line.set("machine", Machine.describe());
            return line;
        } finally {
            handler.stop(0);
        }
    }

    /** The milliseconds from sending {@code frame} to the answer containing {@code answer}, after the warm-up. */
    private static List<Long> roundTrips(WebSocket client, Frames frames, String frame, String answer)
            throws InterruptedException {
        List<Long> times = new ArrayList<>();
        for (int run = 0; run < WARMUP + RUNS; run++) {
            Progress.say("handlers: " + frame + " " + (run + 1) + " of " + (WARMUP + RUNS));
            long started = System.nanoTime();
            client.sendText(frame, true).join();
            String got = frames.next();
            if (!got.contains(answer)) {
                throw new IllegalStateException("expected " + answer + ", got " + got);
            }
            if (run >= WARMUP) {
                times.add((System.nanoTime() - started) / 1_000_000);
            }
        }
        return times;
    }

    /** The milliseconds each of {@link #CONNECTS} connects takes, from the upgrade request to the open socket. */
    private static List<Long> connects(LocalGateway gateway) throws Exception {
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < CONNECTS + 10; i++) {
            long started = System.nanoTime();
            WebSocket socket = BenchGateway.connect(gateway, "c" + i, List.of(), new Frames())
                    .get(60, TimeUnit.SECONDS);
            if (i >= 10) {
                times.add((System.nanoTime() - started) / 1_000_000);
            }
            socket.abort();
        }
        return times;
    }

    /** A handler that answers every event at once, and lets every connection in. */
    private static HttpServer handler() throws IOException {
        // without it the JDK's server writes headers and body in two packets, and Nagle holds the second ~40 ms
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            String input = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            byte[] reply = (input.contains("\"type\":\"connect\"") ? "{\"allow\":true}" : "{\"data\":{\"ok\":true}}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static long percentile(List<Long> values, int percent) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percent / 100));
    }
}
