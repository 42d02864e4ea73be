package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.auth.TokenVerifier;
import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.model.UserId;
import io.groupcast.core.testing.NotifyAnswers;
import io.groupcast.dynalite.DynaliteServer;
import io.groupcast.standins.ProjectRoot;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar as a user runs it: prints ready, serves real clients, stops cleanly with its dynalite. */
class LocalJarIT {
    private static final Path JAR = ProjectRoot.get().resolve("local/target/groupcast-local.jar");
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldStartPrintReadyServeAndStopCleanly() throws Exception {
        assertThat(JAR).exists();
        int wsPort = freePort();
        int httpPort = freePort();
        Running running =
                Running.start("--ws-port", Integer.toString(wsPort), "--http-port", Integer.toString(httpPort));
        Process gateway = running.process();
        List<String> output = running.output();
        try {
            int dynalitePort = dynalitePort(output);
            assertThat(listening(dynalitePort)).isTrue();

            String token = token("kevin");
            TestClient client = TestClient.connect(URI.create("ws://localhost:" + wsPort + "/"), token);
            HttpResponse<String> notified = notify(httpPort, "{\"user\":\"kevin\",\"message\":{\"n\":1}}");
            assertThat(notified.statusCode()).isEqualTo(200);
            assertThat(NotifyAnswers.counts(notified.body())).isEqualTo(NotifyAnswers.expected(1, 1, 0, 0, 0));
            assertThat(client.next(Duration.ofSeconds(10))).isEqualTo("{\"n\":1}");

            gateway.destroy();
            assertThat(gateway.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(client.closeCode(Duration.ofSeconds(10))).isNotZero();
            assertThat(listening(dynalitePort))
                    .as("dynalite stopped with the gateway")
                    .isFalse();
            assertThat(listening(wsPort)).isFalse();
        } finally {
            gateway.destroyForcibly();
        }
    }

    @Test
    void shouldPrintAVerifiableDevToken_andRefuseAnInvalidUser() throws Exception {
        String token = token("kevin");
        assertThat(new TokenVerifier(Settings.tokens(Environment.of(Map.of("JWT_SECRET", DevDefaults.JWT_SECRET))))
                        .verify(token)
                        .user())
                .isEqualTo(UserId.of("kevin"));

        Process refused = new ProcessBuilder("java", "-jar", JAR.toString(), "token", "not valid")
                .redirectErrorStream(true)
                .start();
        String text = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor()).isEqualTo(2);
        assertThat(text).contains("user 'not valid' is not a valid user id");
    }

    @Test
    void shouldRestartOnItsDataAfterAKill9_withNoManualCleanup(@TempDir Path data) throws Exception {
        String[] command = {
            "--data", data.toString(),
            "--ws-port", Integer.toString(freePort()),
            "--http-port", Integer.toString(freePort())
        };
        int httpPort = Integer.parseInt(command[5]);
        Running first = Running.start(command);
        try {
            assertThat(http(httpPort, "PUT", "/groups/team/users/kim").statusCode())
                    .isEqualTo(200);
            long dynalite = Long.parseLong(
                    Files.readString(data.resolve(DynaliteServer.PID_FILE)).trim());

            first.process().destroyForcibly();
            assertThat(first.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();
            Eventually.await(
                    "dynalite exits with the gateway that was killed",
                    WAIT,
                    () -> ProcessHandle.of(dynalite).map(ProcessHandle::isAlive).orElse(false) == false);
        } finally {
            first.process().destroyForcibly();
        }

        Running second = Running.start(command);
        try {
            TestClient kim = TestClient.connect(URI.create("ws://localhost:" + command[3] + "/"), token("kim"));
            assertThat(http(httpPort, "GET", "/groups/team").body())
                    .as("the link made before the crash, from the data kept in " + data)
                    .isEqualTo("{\"group\":\"team\",\"connections\":1,\"verified\":false}");
            kim.close();
        } finally {
            second.process().destroy();
            second.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The jar running with these options, once it printed its ready line; its output so far and to come. */
    private record Running(Process process, List<String> output) {
        static Running start(String... options) throws Exception {
            List<String> command = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
            command.addAll(List.of(options));
            Process gateway = new ProcessBuilder(command)
                    .directory(ProjectRoot.get().toFile())
                    .redirectErrorStream(true)
                    .start();
            List<String> output = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> ready = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        output.add(line);
                        if (line.contains("ready")) {
                            ready.complete(null);
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
                ready.completeExceptionally(new AssertionError("the gateway exited: " + output));
            });
            reader.setDaemon(true);
            reader.start();
            try {
                ready.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                gateway.destroyForcibly();
                throw e;
            }
            return new Running(gateway, output);
        }
    }

    private static HttpResponse<String> http(int port, String method, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static String token(String user) throws Exception {
        Process process = new ProcessBuilder("java", "-jar", JAR.toString(), "token", user).start();
        String token = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor()).isZero();
        return token;
    }

    private static HttpResponse<String> notify(int port, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/notify"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static int dynalitePort(List<String> output) {
        Pattern endpoint = Pattern.compile("dynalite http://127\\.0\\.0\\.1:(\\d+)");
        for (String line : output) {
            Matcher m = endpoint.matcher(line);
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the banner names no dynalite endpoint: " + output);
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
