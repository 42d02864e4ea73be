package io.groupcast.core.testing;

import io.groupcast.core.store.dynamodb.DynamoDbMembershipStore;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.dynalite.DynaliteServer;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * dynalite on a free loopback port, started before a test class and stopped after it. Register with
 * {@code @RegisterExtension static}.
 */
public final class Dynalite extends ClassResource {
    private DynaliteServer server;
    private DynamoDbClient client;

    /** Starts the server (also usable outside JUnit's lifecycle). */
    @Override
    public synchronized Dynalite start() {
        server = DynaliteServer.start(ProjectRoot.get(), 0, Optional.empty(), Duration.ofSeconds(20));
        return this;
    }

    /** Stops the server; a stopped store answers like an unreachable DynamoDB. */
    @Override
    public synchronized void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (server != null) {
            server.close();
        }
    }

    /** The endpoint, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return server.endpoint();
    }

    /**
     * Stops ({@code true}) or continues the server process with SIGSTOP/SIGCONT: paused, it still accepts TCP
     * connections (the kernel does) and never answers, a store that hangs.
     */
    public synchronized void paused(boolean paused) {
        try {
            Process kill = new ProcessBuilder("kill", paused ? "-STOP" : "-CONT", Long.toString(server.pid()))
                    .inheritIO()
                    .start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill " + (paused ? "-STOP" : "-CONT") + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot signal dynalite: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A client for this server with dummy credentials. */
    public synchronized DynamoDbClient client() {
        if (client == null) {
            client = clientFor(endpoint());
        }
        return client;
    }

    /**
     * A DynamoDB client with dummy credentials for a local endpoint (a test's dynalite, the gateway's), with
     * {@code interceptors} (a {@code CapacityMeter}).
     */
    public static DynamoDbClient clientFor(URI endpoint, ExecutionInterceptor... interceptors) {
        ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder();
        for (ExecutionInterceptor interceptor : interceptors) {
            override.addExecutionInterceptor(interceptor);
        }
        return DynamoDbClient.builder()
                .overrideConfiguration(override.build())
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** A new empty table on this dynalite. */
    public DynamoDbTable newTable() {
        return new DynamoDbTable(client(), createTable());
    }

    /** The membership store on a new empty table. */
    public DynamoDbMembershipStore newStore() {
        return new DynamoDbMembershipStore(newTable());
    }

    /** Creates a fresh membership table with a unique name and returns the name. */
    public String createTable() {
        String name = "groupcast-test-" + UUID.randomUUID();
        DynamoDbTable.createIfMissing(client(), name);
        return name;
    }
}
