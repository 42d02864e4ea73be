package io.groupcast.dynalite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
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
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * dynalite (the DynamoDB wire protocol, from the project's pinned npm package) as a child process on a loopback
 * port. Node runs dynalite's own {@code cli.js} in the process we hold, behind a few lines that end it when this JVM
 * ends, even on {@code kill -9}: its stdin (a pipe from this JVM) closes, or its parent changes. With a data folder it
 * leaves its pid there, so a start after a crash can stop a leftover that still holds the folder.
 */
public final class DynaliteServer implements AutoCloseable {
    /** The file in a data folder that names the dynalite serving it. */
    public static final String PID_FILE = "groupcast-dynalite.pid";

    /** Runs dynalite's CLI ({@code argv[1]}), exiting when the JVM that started it is gone. */
    static final String LAUNCHER = String.join(
            "\n",
            "const parent = process.ppid;",
            "const exit = () => process.exit(0);",
            "process.stdin.on('end', exit);",
            "process.stdin.on('error', exit);",
            "process.stdin.resume();",
            "setInterval(() => { if (process.ppid !== parent) exit(); }, 500).unref();",
            "require(process.argv[1]);");

    private final Process process;
    private final int port;
    private final Thread shutdownHook;
    private final Optional<Path> pidFile;

    private DynaliteServer(Process process, int port, Optional<Path> pidFile) {
        this.process = process;
        this.port = port;
        this.pidFile = pidFile;
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
                "-e",
                LAUNCHER,
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
            stopLeftover(dataDir.get());
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
        Optional<Path> pidFile = dataDir.map(dir -> dir.resolve(PID_FILE));
        DynaliteServer server = new DynaliteServer(process, chosen, pidFile);
        server.awaitListening(timeout);
        if (pidFile.isPresent()) {
            server.writePid(pidFile.get());
            server.probe(dataDir.get(), timeout);
        }
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
        pidFile.ifPresent(file -> {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a stale pid file names a dead process, which the next start ignores
            }
        });
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

    /**
     * Stops the dynalite a crashed run left serving {@code dataDir} (named by its pid file, and still running our
     * launcher on that folder), which would hold the folder's lock; a pid that is someone else's is left alone.
     */
    static void stopLeftover(Path dataDir) {
        Path file = dataDir.resolve(PID_FILE);
        Optional<ProcessHandle> holder;
        try {
            holder = Files.exists(file)
                    ? ProcessHandle.of(Long.parseLong(Files.readString(file).trim()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            holder = Optional.empty();
        }
        String folder = dataDir.toAbsolutePath().toString();
        holder.filter(ProcessHandle::isAlive)
                .filter(process -> process.info()
                        .commandLine()
                        .map(line -> line.contains("dynalite") && line.contains(folder))
                        .orElse(false))
                .ifPresent(leftover -> {
                    System.err.println("groupcast: stopping dynalite pid " + leftover.pid() + ", left over from a run "
                            + "that ended without stopping it, which still holds " + folder);
                    leftover.destroy();
                    try {
                        leftover.onExit().get(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (ExecutionException | TimeoutException e) {
                        leftover.destroyForcibly();
                    }
                });
    }

    private void writePid(Path file) {
        try {
            Files.writeString(file, Long.toString(process.pid()));
        } catch (IOException e) {
            close();
            throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * One request, so a data folder dynalite cannot open (another process holds its lock) fails the start with
     * dynalite's own words and what to do, instead of the first real call failing with "connection refused".
     */
    private void probe(Path dataDir, Duration timeout) {
        HttpRequest listTables = HttpRequest.newBuilder(endpoint())
                .timeout(timeout)
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", "DynamoDB_20120810.ListTables")
                .header("X-Amz-Date", "20260101T000000Z")
                .header(
                        "Authorization",
                        "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, "
                                + "SignedHeaders=host;x-amz-date, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        int status;
        try {
            status = HttpClient.newHttpClient()
                    .send(listTables, HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        }
        if (status != 200) {
            try {
                process.waitFor(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            close();
            throw new IllegalStateException("dynalite cannot open its data in " + dataDir + " (is another gateway "
                    + "using it? stop that one, or start with another --data folder); dynalite said:\n" + output());
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
