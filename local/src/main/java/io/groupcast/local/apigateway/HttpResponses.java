package io.groupcast.local.apigateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Answers to plain HTTP requests on Jetty's core API, in the shapes API Gateway and Groupcast use. */
public final class HttpResponses {
    private HttpResponses() {}

    /** {@code body} with {@code status} and, when given, its content type. */
    public static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** A JSON body. */
    public static void json(Response response, Callback callback, int status, JsonNode body) {
        send(response, callback, status, "application/json", Json.bytes(body));
    }

    /** Groupcast's error shape, {@code {"error":code,"message":sentence}}, with the code's status. */
    public static void error(Response response, Callback callback, ErrorCode code, String message) {
        json(
                response,
                callback,
                code.status(),
                Json.object().put("error", code.code()).put("message", message));
    }

    /** API Gateway's own answer, {@code {"message":...}}, e.g. {@code Forbidden} or {@code Internal Server Error}. */
    public static void gateway(Response response, Callback callback, int status, String message) {
        json(response, callback, status, Json.object().put("message", message));
    }

    /** An AWS service error: the {@code x-amzn-ErrorType} header the SDKs map to exception types, and a message. */
    public static void awsError(Response response, Callback callback, int status, String errorType, String message) {
        response.getHeaders().put("x-amzn-ErrorType", errorType);
        json(response, callback, status, Json.object().put("message", message));
    }

    /** The text of UTF-8 bytes, or null when they are not valid UTF-8. */
    public static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Reads the body, or null when it is longer than {@code limit} bytes. */
    public static byte[] body(Request request, int limit) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(limit + 1);
            return body.length > limit ? null : body;
        }
    }
}
