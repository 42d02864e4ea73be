package io.groupcast.core.handlers.http;

import io.groupcast.core.handlers.EventHandler;
import io.groupcast.core.handlers.HandlerFailedException;
import io.groupcast.core.handlers.HandlerTimeoutException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The event handler as any HTTP endpoint (the local gateway's {@code --event-handler-url}): the input is POSTed as
 * {@code application/json}, and a 2xx answer's body is the reply. Any other status, or no answer, is
 * {@link HandlerFailedException}; no answer within the timeout is {@link HandlerTimeoutException}. Never retried.
 */
public final class HttpEventHandler implements EventHandler {
    private final HttpClient http;
    private final URI url;

    /** Posts to {@code url} with {@code http}. */
    public HttpEventHandler(HttpClient http, URI url) {
        this.http = Objects.requireNonNull(http, "http");
        this.url = Objects.requireNonNull(url, "url");
    }

    /** Posts to {@code url} with a client of its own (HTTP/1.1, 2 s to connect). */
    public static HttpEventHandler at(URI url) {
        return new HttpEventHandler(
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(2))
                        .build(),
                url);
    }

    @Override
    public String call(byte[] input, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(input))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new HandlerTimeoutException(
                    "the handler at " + url + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new HandlerFailedException("cannot reach the handler at " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HandlerFailedException("interrupted while calling the handler at " + url, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw new HandlerFailedException("the handler at " + url + " answered " + response.statusCode());
        }
        return response.body();
    }
}
