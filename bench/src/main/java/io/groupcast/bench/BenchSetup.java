package io.groupcast.bench;

import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.dynalite.DynaliteServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** What every scenario needs: the project root, dynalite, and environments for the SDK clients. */
public final class BenchSetup implements AutoCloseable {
    public final Path root;
    final DynaliteServer dynalite;
    public final DynamoDbClient dynamo;

    BenchSetup() {
        root = projectRoot();
        Progress.say("starting dynalite");
        dynalite = DynaliteServer.start(root, 0, Optional.empty(), Duration.ofSeconds(30));
        dynamo = AwsClients.from(Environment.of(env(null))).dynamoDb();
    }

    /** The environment functions get: region, dummy credentials, dynalite, and the management API endpoint. */
    public Map<String, String> env(String managementEndpoint) {
        Map<String, String> env = new HashMap<>(Map.of(
                "AWS_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", "bench",
                "AWS_SECRET_ACCESS_KEY", "bench"));
        if (dynalite != null) {
            env.put("DYNAMODB_ENDPOINT", dynalite.endpoint().toString());
        }
        if (managementEndpoint != null) {
            env.put("MANAGEMENT_API_ENDPOINT", managementEndpoint);
        }
        return env;
    }

    public String newTable() {
        String table = "bench-" + UUID.randomUUID();
        DynamoDbTable.createIfMissing(dynamo, table);
        return table;
    }

    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve("package.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("run the benchmark from the Groupcast folder (template.yaml, package.json)");
    }

    @Override
    public void close() {
        dynamo.close();
        dynalite.close();
    }
}
