package io.groupcast.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.Json;
import io.groupcast.core.model.UserId;
import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.local.DevDefaults;
import io.groupcast.local.DevTokens;
import io.groupcast.local.lambda.LocalFunctions;
import io.groupcast.local.lambda.LocalSettings;
import io.groupcast.local.template.SamTemplate;
import io.groupcast.standins.LoopbackManagementApi;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Each function in a fresh JVM, from process start to the end of its first invocation (init, its DynamoDB calls,
 * its post where it posts), as deployed (the functions jar, the template's environment including
 * {@code JAVA_TOOL_OPTIONS}) against a baseline of the same handlers with the SDK's default configuration.
 */
final class ColdStartScenario {
    private static final String[][] FUNCTIONS = {
        {"AuthorizeFunction", "authorize.json"},
        {"ConnectFunction", "connect.json"},
        {"DisconnectFunction", "disconnect.json"},
        {"MessageFunction", "message.json"},
        {"NotifyFunction", "notify.json"}
    };

    /** With more than one sync HTTP client on the bench's class path, name the one a default build has. */
    private static final List<String> BASELINE_FLAGS = List.of(
            "-Dsoftware.amazon.awssdk.http.service.impl=software.amazon.awssdk.http.apache5.Apache5SdkHttpService");

    private ColdStartScenario() {}

    static List<ObjectNode> run(BenchSetup setup, int runs) throws Exception {
        Path root = setup.root;
        Path functionsJar = existing(root.resolve("functions/target/groupcast-functions.jar"));
        Path benchJar = existing(root.resolve("bench/target/groupcast-bench.jar"));
        Path childClasses = existing(root.resolve("bench/target/classes"));
        Path serialization = existing(root.resolve("bench/target/coldstart-lib/aws-lambda-java-serialization.jar"));
        SamTemplate template = SamTemplate.read(root.resolve("template.yaml"));
        List<ObjectNode> lines = new ArrayList<>();
        try (LoopbackManagementApi api = LoopbackManagementApi.start()) {
            String table = setup.newTable();
            DynamoDbMembershipStore store = new DynamoDbMembershipStore(new DynamoDbTable(setup.dynamo, table));
            store.connect(Connection.opened(ConnectionId.of("cold-kevin="), UserId.of("kevin"), Instant.now()));
            api.open("cold-kevin=");
            Map<String, Map<String, String>> environments =
                    LocalFunctions.environments(template, settings(setup, table, api));
            Path work = Files.createTempDirectory("groupcast-coldstart");
            Path childJar = childJar(childClasses, work);
            for (String[] function : FUNCTIONS) {
                String name = function[0];
                String handler = template.functions().get(name).handlerClass();
                Map<String, String> deployed = environments.get(name);
                Map<String, String> baselineEnv = new HashMap<>(deployed);
                baselineEnv.remove("JAVA_TOOL_OPTIONS");
                String groupcastClasspath = String.join(
                        File.pathSeparator, functionsJar.toString(), childJar.toString(), serialization.toString());
                Path archive = work.resolve(name + ".jsa");
                Progress.say("coldstart " + name + ": training run that writes its AppCDS archive");
                measure(
                        groupcastClasspath,
                        List.of("-XX:ArchiveClassesAtExit=" + archive),
                        "groupcast",
                        handler,
                        event(work, function[1], name, "training", store, api),
                        deployed);
                Samples samples = new Samples(Files.isRegularFile(archive));
                for (int run = 0; run < runs; run++) {
                    Progress.say("coldstart " + name + ": run " + (run + 1) + " of " + runs);
                    Measurement g = measure(
                            groupcastClasspath,
                            List.of("-XX:SharedArchiveFile=" + archive),
                            "groupcast",
                            handler,
                            event(work, function[1], name, "g" + run, store, api),
                            deployed);
                    Measurement n = measure(
                            groupcastClasspath,
                            List.of(),
                            "groupcast",
                            handler,
                            event(work, function[1], name, "n" + run, store, api),
                            deployed);
                    Measurement b = measure(
                            benchJar.toString(),
                            BASELINE_FLAGS,
                            "baseline",
                            handler,
                            event(work, function[1], name, "b" + run, store, api),
                            baselineEnv);
                    samples.add(g, n, b);
                }
                lines.add(line(name, runs, samples, Files.size(functionsJar), deployed));
            }
        }
        return lines;
    }

    /** The local gateway's settings for the functions' environments, against the bench's table and loopback API. */
    private static LocalSettings settings(BenchSetup setup, String table, LoopbackManagementApi api) {
        return new LocalSettings(
                table,
                api.endpoint().toString(),
                Optional.of(setup.dynalite.endpoint().toString()),
                "us-east-1",
                "bench",
                "bench",
                Map.of("JwtSecret", DevDefaults.JWT_SECRET),
                Optional.empty());
    }

    /**
     * One function's runs: with the AppCDS archive (g), without it (n) and the baseline (b); ok while the archive was
     * written and every run answered.
     */
    private static final class Samples {
        private final List<Long> groupcast = new ArrayList<>();
        private final List<Long> noCds = new ArrayList<>();
        private final List<Long> baseline = new ArrayList<>();
        private final List<Long> rss = new ArrayList<>();
        private final List<Long> baselineRss = new ArrayList<>();
        private boolean ok;

        Samples(boolean cds) {
            ok = cds;
        }

        void add(Measurement g, Measurement n, Measurement b) {
            for (Measurement m : List.of(g, n, b)) {
                ok &= m.output().contains("\"statusCode\":200") || m.output().contains("Allow");
            }
            groupcast.add(g.millis());
            noCds.add(n.millis());
            baseline.add(b.millis());
            rss.add(g.peakRssKb());
            baselineRss.add(b.peakRssKb());
        }
    }

    private static ObjectNode line(
            String function, int runs, Samples samples, long jarBytes, Map<String, String> deployed) {
        long g = median(samples.groupcast);
        long n = median(samples.noCds);
        long b = median(samples.baseline);
        ObjectNode line = Json.object()
                .put("scenario", "coldstart")
                .put("function", function)
                .put("runs", runs)
                .put("groupcastMs", g)
                .put("baselineMs", b)
                .put("ratio", FanoutScenario.round(g / (double) b))
                .put("withoutCdsMs", n)
                .put("ratioWithoutCds", FanoutScenario.round(n / (double) b))
                .put("rssMb", median(samples.rss) / 1024)
                .put("baselineRssMb", median(samples.baselineRss) / 1024)
                .put("jarMb", FanoutScenario.round(jarBytes / 1048576.0))
                .put("javaToolOptions", deployed.getOrDefault("JAVA_TOOL_OPTIONS", ""))
                .put("ok", samples.ok);
        line.set("groupcastRunsMs", Json.mapper().valueToTree(samples.groupcast));
        line.set("withoutCdsRunsMs", Json.mapper().valueToTree(samples.noCds));
        line.set("baselineRunsMs", Json.mapper().valueToTree(samples.baseline));
        line.set("machine", Machine.describe());
        return line;
    }

    private record Measurement(long millis, long peakRssKb, String output) {}

    private static Measurement measure(
            String classpath, List<String> jvmFlags, String mode, String handler, Path event, Map<String, String> env)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", classpath, ColdStartChild.class.getName(), handler, event.toString(), mode));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        String done = null;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("done ")) {
                    done = line;
                    break;
                }
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        if (done == null) {
            return new Measurement(millis, -1, "");
        }
        String[] parts = done.split(" ", 3);
        return new Measurement(millis, Long.parseLong(parts[1]), parts.length > 2 ? parts[2] : "");
    }

    /** The sample event for one run, made current: fresh token, connect time, and connection ids that exist. */
    private static Path event(
            Path work,
            String file,
            String function,
            String run,
            DynamoDbMembershipStore store,
            LoopbackManagementApi api)
            throws IOException {
        ObjectNode event = (ObjectNode) Json.mapper()
                .readTree(Files.readString(
                        BenchSetup.projectRoot().resolve("events").resolve(file)));
        long now = System.currentTimeMillis();
        ObjectNode context = (ObjectNode) event.get("requestContext");
        switch (function) {
            case "AuthorizeFunction" ->
                ((ObjectNode) event.get("queryStringParameters"))
                        .put("token", DevTokens.dev().issue(UserId.of("kevin"), Duration.ofHours(1)));
            case "ConnectFunction" ->
                context.put("connectionId", "cold-" + run + "=").put("connectedAt", now);
            case "DisconnectFunction" -> {
                String id = "cold-d-" + run + "=";
                store.connect(Connection.opened(ConnectionId.of(id), UserId.of("kevin"), Instant.now()));
                context.put("connectionId", id).put("connectedAt", now);
            }
            case "MessageFunction" -> context.put("connectionId", "cold-kevin=").put("connectedAt", now);
            case "NotifyFunction" -> event.put("body", "{\"user\":\"kevin\",\"message\":{\"cold\":\"" + run + "\"}}");
            default -> throw new IllegalArgumentException(function);
        }
        Path path = work.resolve(function + "-" + run + ".json");
        Files.writeString(path, event.toString());
        return path;
    }

    /** The child's classes as a jar of their own: AppCDS archives only classes loaded from jars. */
    private static Path childJar(Path classes, Path work) throws IOException {
        Path jar = work.resolve("coldstart-child.jar");
        Path folder = classes.resolve("io/groupcast/bench");
        try (var out = new JarOutputStream(Files.newOutputStream(jar));
                var files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("ColdStartChild"))
                    .toList()) {
                out.putNextEntry(new JarEntry("io/groupcast/bench/" + file.getFileName()));
                out.write(Files.readAllBytes(file));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static Path existing(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalStateException(path + " is missing: run `mvn -DskipTests package` first");
        }
        return path;
    }
}
