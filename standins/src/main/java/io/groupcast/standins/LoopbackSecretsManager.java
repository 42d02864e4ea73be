package io.groupcast.standins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * AWS Secrets Manager's {@code GetSecretValue} on loopback, in its JSON 1.1 wire format, for one secret whose value
 * can be rotated: the new value becomes {@code AWSCURRENT} and the one before {@code AWSPREVIOUS}, as a rotation
 * does. Point the SDK at {@link #endpoint()}.
 */
public final class LoopbackSecretsManager implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server server;
    private final String arn;
    private final List<Version> versions = new ArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();

    private record Version(String id, String value, Instant created) {}

    private LoopbackSecretsManager(String arn, String value, Instant created) throws Exception {
        this.arn = arn;
        versions.add(new Version(UUID.randomUUID().toString(), value, created));
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setDaemon(true);
        server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                answer(request.getHeaders().get("X-Amz-Target"), body, response, callback);
                return true;
            }
        });
        server.start();
    }

    /** A secret {@code arn} holding {@code value}, created at {@code created}. */
    public static LoopbackSecretsManager start(String arn, String value, Instant created) {
        try {
            return new LoopbackSecretsManager(arn, value, created);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the loopback Secrets Manager", e);
        }
    }

    /** The endpoint to give the SDK. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    /** Rotates the secret: {@code value} becomes current at {@code created}, the current one previous. */
    public synchronized void rotate(String value, Instant created) {
        versions.add(new Version(UUID.randomUUID().toString(), value, created));
    }

    /** How many GetSecretValue calls were answered. */
    public int reads() {
        return reads.get();
    }

    private synchronized void answer(String target, String body, Response response, Callback callback) {
        try {
            JsonNode request = JSON.readTree(body);
            if (!"secretsmanager.GetSecretValue".equals(target)
                    || !arn.equals(request.path("SecretId").asText())) {
                error(
                        response,
                        callback,
                        "ResourceNotFoundException",
                        "Secrets Manager can't find the specified secret.");
                return;
            }
            String stage = request.path("VersionStage").asText("AWSCURRENT");
            int index = stage.equals("AWSPREVIOUS") ? versions.size() - 2 : versions.size() - 1;
            if (index < 0 || !(stage.equals("AWSCURRENT") || stage.equals("AWSPREVIOUS"))) {
                error(response, callback, "ResourceNotFoundException", "no version with staging label " + stage);
                return;
            }
            reads.incrementAndGet();
            Version version = versions.get(index);
            ObjectNode answer = JSON.createObjectNode()
                    .put("ARN", arn)
                    .put("Name", arn.substring(arn.lastIndexOf(':') + 1))
                    .put("VersionId", version.id())
                    .put("SecretString", version.value())
                    .put("CreatedDate", version.created().getEpochSecond());
            answer.putArray("VersionStages").add(stage);
            send(response, callback, 200, answer);
        } catch (Exception e) {
            error(response, callback, "InvalidRequestException", String.valueOf(e.getMessage()));
        }
    }

    private static void error(Response response, Callback callback, String type, String message) {
        send(
                response,
                callback,
                400,
                JSON.createObjectNode().put("__type", type).put("message", message));
    }

    private static void send(Response response, Callback callback, int status, ObjectNode body) {
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/x-amz-json-1.1");
        response.write(true, ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8)), callback);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // nothing to keep: the test is over
        }
    }
}
