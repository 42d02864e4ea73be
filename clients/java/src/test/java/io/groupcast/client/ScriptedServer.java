package io.groupcast.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * A real HTTP server on loopback that records every request and answers what the test scripts: answers queued in
 * order, then the responder's answer for the rest. {@link Answer#HANG} leaves a request unanswered until the server
 * stops.
 */
final class ScriptedServer implements AutoCloseable {
    static final String SENT =
            "{\"recipients\":2,\"delivered\":2,\"gone\":0,\"failed\":0,\"skipped\":0,\"elapsedMs\":7}";

    /** An answer: status, body and headers. */
    record Answer(int status, String body, Map<String, String> headers) {
        static final Answer HANG = new Answer(-1, "", Map.of());

        static Answer of(int status, String body) {
            return new Answer(status, body, Map.of());
        }

        Answer with(String header, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(header, value);
            return new Answer(status, body, more);
        }
    }

    /** A request as it arrived: header names in lower case, and when ({@link System#nanoTime()}). */
    record Received(String method, String pathQuery, Map<String, String> headers, String body, long nanos) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final Function<Received, Answer> responder;
    private final Server server = new Server(0);

    private ScriptedServer(Function<Received, Answer> responder) {
        this.responder = responder;
    }

    /** A server that answers {@link #SENT} to anything not scripted. */
    static ScriptedServer start() {
        return start(request -> Answer.of(200, SENT));
    }

    /** A server that answers with {@code responder} whatever is not scripted. */
    static ScriptedServer start(Function<Received, Answer> responder) {
        ScriptedServer scripted = new ScriptedServer(responder);
        scripted.server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return scripted.answer(request, response, callback);
            }
        });
        try {
            scripted.server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the loopback server did not start", e);
        }
        return scripted;
    }

    /** Queues answers for the next requests, in order. */
    ScriptedServer then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    URI uri() {
        return URI.create("http://localhost:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    List<Received> requests() {
        return List.copyOf(requests);
    }

    private boolean answer(Request request, Response response, Callback callback) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.put(field.getLowerCaseName(), field.getValue());
        }
        Received received = new Received(
                request.getMethod(),
                request.getHttpURI().getPathQuery(),
                headers,
                Content.Source.asString(request, StandardCharsets.UTF_8),
                System.nanoTime());
        requests.add(received);
        Answer answer = script.isEmpty() ? responder.apply(received) : script.poll();
        if (answer == Answer.HANG) {
            return true;
        }
        response.setStatus(answer.status());
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.write(true, ByteBuffer.wrap(answer.body().getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the loopback server did not stop", e);
        }
    }
}
