package io.groupcast.bench;

import io.groupcast.core.model.UserId;
import io.groupcast.local.DevDefaults;
import io.groupcast.local.DevTokens;
import io.groupcast.local.GatewayOptions;
import io.groupcast.local.LocalGateway;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The local gateway on free ports, quiet, on the benchmark's dynalite, verifying dev tokens. */
public final class BenchGateway {
    /** The WebSocket and HTTP client of the scenarios. */
    public static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    private BenchGateway() {}

    /** The gateway on {@code table}, with more command-line options. */
    public static LocalGateway start(BenchSetup setup, String table, String... args) {
        List<String> command = new ArrayList<>(List.of(
                "--quiet", "--template", setup.root.resolve("template.yaml").toString()));
        command.addAll(List.of(args));
        GatewayOptions options = GatewayOptions.parse(
                command,
                Map.of(
                        "PORT_WS",
                        "0",
                        "PORT_HTTP",
                        "0",
                        "TABLE_NAME",
                        table,
                        "JWT_SECRET",
                        DevDefaults.JWT_SECRET,
                        "DYNAMODB_ENDPOINT",
                        setup.dynalite.endpoint().toString()));
        return LocalGateway.start(options, new PrintStream(OutputStream.nullOutputStream()));
    }

    /** Starts a WebSocket connect as {@code user} with these roles (a dev token); the future completes once open. */
    public static CompletableFuture<WebSocket> connect(
            LocalGateway gateway, String user, List<String> roles, WebSocket.Listener listener) {
        String token = DevTokens.dev().issue(UserId.of(user), roles, Duration.ofHours(1));
        return HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(60))
                .buildAsync(URI.create(gateway.webSocketUrl() + "?token=" + token), listener);
    }
}
