package io.groupcast.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;

/**
 * One attempt of a request to the server API: signed with SigV4 for {@code execute-api}, named {@code
 * groupcast-java/<version>} in its User-Agent, and aborted when its time is up.
 */
final class Transport {
    static final String USER_AGENT = "groupcast-java/" + version();
    private static final String SERVICE = "execute-api";

    /** A request: {@code repeatable} when sending it twice does what sending it once does. */
    record Call(String method, String path, Map<String, String> query, byte[] body, boolean repeatable) {}

    /** An answer: its status, body, API Gateway's request id and the wait its {@code Retry-After} asks for. */
    record Answer(int status, String body, Optional<String> requestId, Optional<Duration> retryAfter) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    /** The attempt ran out of its time and was aborted. */
    static final class TimedOut extends IOException {
        private static final long serialVersionUID = 1L;

        TimedOut(Duration limit, Throwable cause) {
            super("no answer within " + limit.toMillis() + " ms", cause);
        }
    }

    private final URI endpoint;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final SdkHttpClient http;
    private final ScheduledExecutorService timer;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /** {@code timer} aborts attempts that run out of time; it may be null when no attempt has a limit. */
    Transport(
            URI endpoint,
            Region region,
            AwsCredentialsProvider credentials,
            SdkHttpClient http,
            ScheduledExecutorService timer) {
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
        this.http = http;
        this.timer = timer;
    }

    URI endpoint() {
        return endpoint;
    }

    /** Sends the call once, within {@code limit} if there is one (then the answer's body is read within it too). */
    Answer send(Call call, Optional<Duration> limit) throws IOException {
        // No body, no content stream: Java's HttpURLConnection would turn a GET with one into a POST.
        SignedRequest signed = sign(call);
        ExecutableHttpRequest prepared = http.prepareRequest(HttpExecuteRequest.builder()
                .request(signed.request())
                .contentStreamProvider(
                        call.body().length == 0 ? null : signed.payload().orElse(null))
                .build());
        AtomicBoolean aborted = new AtomicBoolean();
        ScheduledFuture<?> abort = limit.map(time -> timer.schedule(
                        () -> {
                            aborted.set(true);
                            prepared.abort();
                        },
                        time.toMillis(),
                        TimeUnit.MILLISECONDS))
                .orElse(null);
        try {
            return read(prepared.call());
        } catch (IOException | UncheckedIOException e) {
            if (aborted.get()) {
                throw new TimedOut(limit.orElseThrow(), e);
            }
            throw e instanceof UncheckedIOException unchecked ? unchecked.getCause() : (IOException) e;
        } finally {
            if (abort != null) {
                abort.cancel(false);
            }
        }
    }

    private SignedRequest sign(Call call) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(call.method()))
                .uri(endpoint)
                .encodedPath(endpoint.getRawPath().replaceAll("/$", "") + call.path())
                .putHeader("User-Agent", USER_AGENT);
        if (call.body().length > 0) {
            request.putHeader("Content-Type", "application/json");
        }
        call.query().forEach(request::putRawQueryParameter);
        return signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(call.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id()));
    }

    private static Answer read(HttpExecuteResponse response) throws IOException {
        String text = "";
        if (response.responseBody().isPresent()) {
            try (InputStream in = response.responseBody().get()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        SdkHttpResponse head = response.httpResponse();
        Optional<String> requestId =
                head.firstMatchingHeader("apigw-requestid").or(() -> head.firstMatchingHeader("x-amzn-RequestId"));
        return new Answer(
                head.statusCode(),
                text,
                requestId,
                head.firstMatchingHeader("Retry-After").flatMap(Transport::wait));
    }

    /** {@code Retry-After} in seconds or as an HTTP date; nothing when it is neither. */
    static Optional<Duration> wait(String retryAfter) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /** The version Maven wrote into {@code version.properties}, else the jar manifest's, else {@code unknown}. */
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = Transport.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String version = properties.getProperty("version", "");
        if (!version.isEmpty() && !version.startsWith("${")) {
            return version;
        }
        return Optional.ofNullable(Transport.class.getPackage().getImplementationVersion())
                .orElse("unknown");
    }
}
