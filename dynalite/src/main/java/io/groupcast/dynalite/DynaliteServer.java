package io.groupcast.dynalite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * dynalite (the DynamoDB wire protocol, from the project's pinned npm package) as a child process on a loopback
 * port. Started with {@code node node_modules/dynalite/cli.js} directly, so the process we hold is the server.
 */
public final class DynaliteServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Thread shutdownHook;

    private DynaliteServer(Process process, int port) {
        this.process = process;
        this.port = port;
        this.shutdownHook = new Thread(this::stopProcess, "dynalite-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts dynalite from {@code projectRoot/node_modules/dynalite} on {@code port} (0 for a free one), in memory or
     * keeping its data in {@code dataDir}, and waits until it listens.
     */
    public static DynaliteServer start(Path projectRoot, int port, Optional<Path> dataDir, Duration timeout) {
        Path cli = projectRoot.resolve("node_modules/dynalite/cli.js");
        if (!Files.exists(cli)) {
            throw new IllegalStateException("dynalite is not installed in " + projectRoot
                    + ": run `npm ci` there first (Node.js 18+ with npm)");
        }
        int chosen = port == 0 ? freePort() : port;
        List<String> command = new ArrayList<>(List.of(
                "node",
                cli.toString(),
                "--port",
                Integer.toString(chosen),
                "--createTableMs",
                "0",
                "--deleteTableMs",
                "0",
                "--updateTableMs",
                "0"));
        if (dataDir.isPresent()) {
            try {
                Files.createDirectories(dataDir.get());
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot create the data folder " + dataDir.get() + ": " + e.getMessage(), e);
            }
            command.add("--path");
            command.add(dataDir.get().toAbsolutePath().toString());
        }
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(projectRoot.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot start node (Node.js 18+ must be on the PATH): " + e.getMessage(), e);
        }
        DynaliteServer server = new DynaliteServer(process, chosen);
        server.awaitListening(timeout);
        return server;
    }

    private final StringBuilder output = new StringBuilder();

    /** The endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** The last lines dynalite printed (about 10,000 characters at most), for diagnosing a crash. */
    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Whether the process still runs. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /** The process id, for operators. */
    public long pid() {
        return process.pid();
    }

    /** Stops the server and waits for it to exit. */
    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) anyway
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening(Duration timeout) {
        CompletableFuture<Void> listening = new CompletableFuture<>();
        StringBuilder output = this.output;
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = lines.readLine()) != null; ) {
                            synchronized (output) {
                                output.append(line).append('\n');
                                if (output.length() > 20_000) {
                                    output.delete(0, output.length() - 10_000);
                                }
                            }
                            if (line.contains("listening")) {
                                listening.complete(null);
                            }
                        }
                    } catch (IOException ignored) {
                        // the process ended
                    }
                    listening.completeExceptionally(new IllegalStateException("dynalite exited"));
                },
                "dynalite-output");
        reader.setDaemon(true);
        reader.start();
        try {
            listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            close();
            synchronized (output) {
                throw new IllegalStateException("dynalite did not start on port " + port + ": " + output, e);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
