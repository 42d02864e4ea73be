package io.groupcast.local;

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

/** Small helpers to answer plain HTTP requests on Jetty's core API. */
final class HttpResponses {
    private HttpResponses() {
    }

    static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        if (contentType != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    static void json(Response response, Callback callback, int status, String json) {
        send(response, callback, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** An AWS-style error: {@code x-amzn-ErrorType} header and {@code {"message":...}} body. */
    static void awsError(Response response, Callback callback, int status, String errorType, String message) {
        response.getHeaders().put("x-amzn-ErrorType", errorType);
        json(response, callback, status, message == null ? "{\"message\":null}"
                : "{\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
    }

    /** The text of UTF-8 bytes, or null when they are not valid UTF-8. */
    static String utf8(byte[] data) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Reads the body, or null when it is longer than {@code limit} bytes. */
    static byte[] body(Request request, int limit) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] body = in.readNBytes(limit + 1);
            return body.length > limit ? null : body;
        }
    }
}
