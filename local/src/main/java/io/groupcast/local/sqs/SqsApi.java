package io.groupcast.local.sqs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;
import io.groupcast.local.apigateway.HttpResponses;
import io.groupcast.local.apigateway.SigV4Verifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The part of the SQS API the functions call, in its JSON protocol ({@code X-Amz-Target: AmazonSQS.*}), so the SDK's
 * own client runs locally: {@code SendMessage} and {@code SendMessageBatch} to the template's queues, {@code ChangeMessageVisibility} of a received
 * message, addressed by
 * {@code http://localhost:PORT/000000000000/{LogicalId}}. Receiving is the gateway's own (its event source
 * mappings), as on AWS. With {@code --verify-sigv4} requests must be signed with that key, as SQS checks them.
 */
public final class SqsApi extends Handler.Abstract {
    /** The most bytes of one SQS message (1 MiB). */
    static final int MAX_BODY = 1024 * 1024;

    private final LocalQueues queues;
    private final Optional<SigV4Verifier> sigV4;

    /** @param sigV4 the key requests must be signed with ({@code --verify-sigv4}; the functions are given it) */
    public SqsApi(LocalQueues queues, Optional<SigV4Verifier> sigV4) {
        this.queues = queues;
        this.sigV4 = sigV4;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String target = request.getHeaders().get("X-Amz-Target");
        byte[] raw = HttpResponses.body(request, 2 * MAX_BODY);
        if (target == null || raw == null || !"POST".equals(request.getMethod())) {
            error(response, callback, "InvalidAction", "only POST with X-Amz-Target AmazonSQS.SendMessage(Batch)");
            return true;
        }
        Optional<SigV4Verifier.Refusal> refusal = sigV4.flatMap(verifier -> verifier.refusal(request, raw));
        if (refusal.isPresent()) {
            error(
                    response,
                    callback,
                    refusal.get().status(),
                    refusal.get().code(),
                    refusal.get().message());
            return true;
        }
        JsonNode body;
        try {
            body = Json.parse(new String(raw, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            error(response, callback, "InvalidParameterValue", "the body is not JSON");
            return true;
        }
        String url = body.path("QueueUrl").asText();
        String name = url.substring(url.lastIndexOf('/') + 1);
        if (!queues.names().contains(name)) {
            error(response, callback, "QueueDoesNotExist", "no queue " + url);
            return true;
        }
        switch (target) {
            case "AmazonSQS.SendMessage" -> {
                String message = body.path("MessageBody").asText();
                String id = queues.send(name, message);
                reply(response, callback, Json.object().put("MessageId", id).put("MD5OfMessageBody", md5(message)));
            }
            case "AmazonSQS.SendMessageBatch" -> {
                ObjectNode answer = Json.object();
                ArrayNode successful = answer.putArray("Successful");
                answer.putArray("Failed");
                for (JsonNode entry : body.path("Entries")) {
                    String message = entry.path("MessageBody").asText();
                    successful
                            .addObject()
                            .put("Id", entry.path("Id").asText())
                            .put("MessageId", queues.send(name, message))
                            .put("MD5OfMessageBody", md5(message));
                }
                reply(response, callback, answer);
            }
            case "AmazonSQS.ChangeMessageVisibility" -> changeVisibility(name, body, response, callback);
            default -> error(response, callback, "InvalidAction", target + " is not served locally");
        }
        return true;
    }

    private void changeVisibility(String name, JsonNode body, Response response, Callback callback) {
        queues.changeVisibility(
                name,
                body.path("ReceiptHandle").asText(),
                Duration.ofSeconds(body.path("VisibilityTimeout").asLong()));
        reply(response, callback, Json.object());
    }

    private static void reply(Response response, Callback callback, JsonNode body) {
        HttpResponses.send(
                response,
                callback,
                200,
                "application/x-amz-json-1.0",
                body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void error(Response response, Callback callback, String type, String message) {
        error(response, callback, 400, type, message);
    }

    /** SQS's error shape in its JSON protocol: the SDK reads the code from {@code __type}, after the {@code #}. */
    private static void error(Response response, Callback callback, int status, String type, String message) {
        HttpResponses.send(
                response,
                callback,
                status,
                "application/x-amz-json-1.0",
                Json.object()
                        .put("__type", "com.amazonaws.sqs#" + type)
                        .put("message", message)
                        .toString()
                        .getBytes(StandardCharsets.UTF_8));
    }

    static String md5(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
