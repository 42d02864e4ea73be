package io.groupcast.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;
import io.groupcast.local.LocalGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A client publishing to a group of N real WebSocket members through the local gateway (a {@code send} frame: the
 * message function checks the permission and the rate, then fans out), against the same message sent by a server's
 * {@code POST /notify} to the same group in the same run: time until the sender's ack, and until every member has
 * it.
 */
final class PublishScenario {
    static final String GROUP = "bench-room";
    static final int RUNS = 5;

    private PublishScenario() {}

    /** One member: counts the frames that carry each run's marker. */
    static final class Member implements WebSocket.Listener {
        final Map<String, Integer> seen = new ConcurrentHashMap<>();
        volatile CountDownLatch expected = new CountDownLatch(0);
        volatile String marker = "";
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            socket.request(1);
            if (last) {
                count(partial.toString());
                partial.setLength(0);
            }
            return null;
        }

        private void count(String frame) {
            String current = marker;
            if (!current.isEmpty() && frame.contains(current)) {
                seen.merge(current, 1, Integer::sum);
                expected.countDown();
            }
        }
    }

    static ObjectNode run(BenchSetup setup, int members) throws Exception {
        String table = "bench-publish-" + members + "-" + System.nanoTime();
        try (LocalGateway gateway = BenchGateway.start(setup, table)) {
            Progress.say("publish: " + members + " members connecting and joining " + GROUP);
            List<Member> listeners = new ArrayList<>();
            List<CompletableFuture<WebSocket>> pending = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                Member member = new Member();
                listeners.add(member);
                pending.add(BenchGateway.connect(
                        gateway, "member" + i, List.of("groupcast.joinLeaveGroup." + GROUP), member));
            }
            List<WebSocket> sockets = new ArrayList<>();
            for (CompletableFuture<WebSocket> future : pending) {
                sockets.add(future.get(120, TimeUnit.SECONDS));
            }
            await(
                    listeners,
                    sockets,
                    "{\"type\":\"ack\",\"action\":\"join\"",
                    socket -> socket.sendText("{\"action\":\"join\",\"group\":\"" + GROUP + "\"}", true)
                            .join());
            Member senderListener = new Member();
            WebSocket sender = BenchGateway.connect(
                            gateway, "publisher", List.of("groupcast.sendToGroup." + GROUP), senderListener)
                    .get(60, TimeUnit.SECONDS);

            List<Long> ackMs = new ArrayList<>();
            List<Long> publishMs = new ArrayList<>();
            List<Long> notifyMs = new ArrayList<>();
            long wrong = 0;
            for (int run = 0; run < RUNS; run++) {
                Progress.say("publish: run " + (run + 1) + " of " + RUNS + ", client send then server notify");
                String published = "publish-" + run;
                senderListener.marker = "{\"type\":\"ack\",\"action\":\"send\"";
                senderListener.expected = new CountDownLatch(1);
                CountDownLatch all = expect(listeners, published);
                long started = System.nanoTime();
                sender.sendText(
                                "{\"action\":\"send\",\"group\":\"" + GROUP + "\",\"data\":{\"bench\":\"" + published
                                        + "\"},\"noEcho\":true}",
                                true)
                        .join();
                boolean acked = senderListener.expected.await(60, TimeUnit.SECONDS);
                ackMs.add((System.nanoTime() - started) / 1_000_000);
                boolean delivered = all.await(60, TimeUnit.SECONDS);
                publishMs.add((System.nanoTime() - started) / 1_000_000);
                wrong += acked && delivered ? exactlyOnce(listeners, published) : members;

                String notified = "notify-" + run;
                CountDownLatch allNotified = expect(listeners, notified);
                long notifyStarted = System.nanoTime();
                HttpResponse<String> answer = BenchGateway.HTTP.send(
                        HttpRequest.newBuilder(URI.create(gateway.httpUrl() + "/notify"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"group\":\"" + GROUP + "\",\"message\":{\"bench\":\"" + notified + "\"}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                boolean notifiedAll = allNotified.await(60, TimeUnit.SECONDS);
                notifyMs.add((System.nanoTime() - notifyStarted) / 1_000_000);
                wrong += answer.statusCode() == 200 && notifiedAll ? exactlyOnce(listeners, notified) : members;
            }
            sockets.forEach(WebSocket::abort);
            sender.abort();
            ObjectNode line = Json.object()
                    .put("scenario", "publish")
                    .put("members", members)
                    .put("publishMs", median(publishMs))
                    .put("ackMs", median(ackMs))
                    .put("notifyMs", median(notifyMs))
                    .putPOJO("publishRunsMs", publishMs)
                    .putPOJO("notifyRunsMs", notifyMs)
                    .put("wrongDeliveries", wrong)
                    .put("ok", wrong == 0);
            line.set("machine", Machine.describe());
            return line;
        }
    }

    interface Action {
        void on(WebSocket socket);
    }

    /** Sends {@code action} on every socket and waits until each got a frame containing {@code reply}. */
    private static void await(List<Member> listeners, List<WebSocket> sockets, String reply, Action action)
            throws InterruptedException {
        CountDownLatch all = expect(listeners, reply);
        sockets.forEach(action::on);
        if (!all.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException(all.getCount() + " members never answered " + reply);
        }
    }

    private static CountDownLatch expect(List<Member> listeners, String marker) {
        CountDownLatch all = new CountDownLatch(listeners.size());
        for (Member member : listeners) {
            member.expected = all;
            member.marker = marker;
        }
        return all;
    }

    /** How many members did not get the marked message exactly once. */
    private static long exactlyOnce(List<Member> listeners, String marker) {
        return listeners.stream()
                .filter(member -> member.seen.getOrDefault(marker, 0) != 1)
                .count();
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
