package io.groupcast.local;

import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.DaemonThreads;
import io.groupcast.core.config.Environment;
import io.groupcast.core.model.ApiGatewayLimits;
import io.groupcast.dynalite.DynaliteServer;
import io.groupcast.local.apigateway.GatewayLog;
import io.groupcast.local.apigateway.HostCheck;
import io.groupcast.local.apigateway.SigV4Verifier;
import io.groupcast.local.events.EventsApi;
import io.groupcast.local.http.HttpApi;
import io.groupcast.local.lambda.CalledActions;
import io.groupcast.local.lambda.LocalFunctions;
import io.groupcast.local.lambda.LocalMetrics;
import io.groupcast.local.lambda.LocalSettings;
import io.groupcast.local.sqs.LocalQueues;
import io.groupcast.local.sqs.QueuePollers;
import io.groupcast.local.sqs.SqsApi;
import io.groupcast.local.template.SamTemplate;
import io.groupcast.local.websocket.LocalConnection;
import io.groupcast.local.websocket.ManagementApi;
import io.groupcast.local.websocket.WebSocketApi;
import io.groupcast.local.websocket.WebSocketEvents;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Groupcast on one machine: the template's WebSocket API (with the {@code @connections} management API on the same
 * port) and HTTP API, its functions loaded in this JVM, and DynamoDB from dynalite (started here) or any endpoint.
 */
public final class LocalGateway implements AutoCloseable {
    private final GatewayOptions options;
    private final GatewayLog log;
    private final GatewayServers servers;
    private final Optional<SigV4Verifier> sigV4;
    private final CalledActions calls = new CalledActions();
    private final ExecutorService integrations =
            Executors.newCachedThreadPool(DaemonThreads.named("gateway-integration"));
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("gateway-timer"));
    private DynaliteServer dynalite;
    private LocalQueues queues;
    private String sqsEndpoint;
    private String eventsEndpoint;
    private QueuePollers pollers;
    private String dynamoEndpoint;
    private String stage;
    private int wsPort;
    private int httpPort;
    private WebSocketApi webSocketApi;
    private DynamoDbClient dynamo;
    private TableKeeper keeper;

    private LocalGateway(GatewayOptions options, PrintStream out) {
        this.options = options;
        this.sigV4 = options.verifySigV4().map(SigV4Verifier::parse);
        this.log = new GatewayLog(out, options.quiet());
        this.servers = new GatewayServers(options.host(), log);
    }

    /** Starts everything; throws (after cleaning up) when any part cannot start. */
    public static LocalGateway start(GatewayOptions options, PrintStream out) {
        LocalGateway gateway = new LocalGateway(options, out);
        LocalMetrics.INSTANCE.reset();
        try {
            gateway.run();
            return gateway;
        } catch (RuntimeException e) {
            gateway.close();
            throw e;
        }
    }

    private void run() {
        SamTemplate template = SamTemplate.read(options.template());
        startStore(options.template().toAbsolutePath().getParent());
        stage = template.webSocketStageName(options.parameters());

        Server ws = servers.listen("ws", options.wsPort());
        wsPort = GatewayServers.port(ws);
        Server http = servers.listen("http", options.httpPort());
        httpPort = GatewayServers.port(http);
        Server sqs = startQueues(template);
        Server events = servers.loopback("the local EventBridge port");
        eventsEndpoint = "http://127.0.0.1:" + GatewayServers.port(events);
        events.setHandler(new EventsApi(log, options.eventsUrl(), sigV4));

        // the functions sign with the key --verify-sigv4 checks, as a function's role signs on AWS
        LocalSettings settings = new LocalSettings(
                options.tableName(),
                managementEndpoint(),
                Optional.of(dynamoEndpoint),
                DevDefaults.REGION,
                sigV4.map(SigV4Verifier::accessKeyId).orElse("local"),
                sigV4.map(SigV4Verifier::secretAccessKey).orElse("local"),
                options.parameters(),
                Optional.of(sqsEndpoint),
                endpoints());
        LocalFunctions functions = LocalFunctions.load(template, settings, keeper, calls);
        ws.setHandler(new HostCheck(webSockets(ws, template, functions), options.host()));
        keeper.onLost(this::reconnectOpenedBefore);
        timers.scheduleWithFixedDelay(this::checkTable, 1, 1, TimeUnit.SECONDS);
        DevTokens tokens = new DevTokens(
                DevDefaults.JWT_SECRET, options.parameters().getOrDefault("RolesClaim", DevTokens.DEFAULT_ROLES_CLAIM));
        Optional<HttpApi.TokenIssuer> devTokens = devSecret()
                ? Optional.of((user, roles) -> tokens.issue(user, roles, DevTokens.DEFAULT_TTL))
                : Optional.empty();
        http.setHandler(new HostCheck(new HttpApi(template, functions, devTokens, sigV4, wsPort, log), options.host()));
        try {
            sqs.start();
            events.start();
            ws.start();
            http.start();
            pollers = QueuePollers.start(template, queues, id -> event -> polled(functions, id, event), log);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the local gateway: " + e.getMessage(), e);
        }
    }

    /** What every function gets beyond the template: the event handler's URL when given, the local EventBridge. */
    private Map<String, String> endpoints() {
        Map<String, String> endpoints = new HashMap<>();
        options.eventHandlerUrl().ifPresent(url -> endpoints.put("EVENT_HANDLER_URL", url.toString()));
        endpoints.put("EVENTS_ENDPOINT", eventsEndpoint);
        return endpoints;
    }

    /** The WebSocket API on {@code ws}, and for requests that are not upgrades the management API. */
    private WebSocketUpgradeHandler webSockets(Server ws, SamTemplate template, LocalFunctions functions) {
        WebSocketEvents events = new WebSocketEvents("local", stage, DevDefaults.REGION, "localhost:" + wsPort);
        webSocketApi = new WebSocketApi(
                template, functions, events, integrations, timers, options.maxConnectionDuration(), log);
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(ws, container -> {
            container.setMaxTextMessageSize(ApiGatewayLimits.MESSAGE_BYTES);
            container.setMaxBinaryMessageSize(ApiGatewayLimits.MESSAGE_BYTES);
            container.setMaxFrameSize(ApiGatewayLimits.FRAME_BYTES);
            container.setAutoFragment(true);
            container.setIdleTimeout(options.idleTimeout());
            container.addMapping("/*", webSocketApi);
        });
        upgrades.setHandler(new ManagementApi(stage, webSocketApi.connections(), sigV4));
        return upgrades;
    }

    /** Invokes {@code function} for its queue's event source mapping, whose polling Lambda does with its role. */
    private String polled(LocalFunctions functions, String function, String event) {
        calls.polled(function);
        return functions.get(function).invoke(event);
    }

    /** Starts dynalite (unless an endpoint is given) and makes sure the table is there. */
    private void startStore(Path root) {
        if (options.dynamoDbEndpoint().isPresent()) {
            dynamoEndpoint = options.dynamoDbEndpoint().get();
        } else {
            dynalite = DynaliteServer.start(root, 0, options.dataDir(), Duration.ofSeconds(30));
            dynamoEndpoint = dynalite.endpoint().toString();
        }
        Map<String, String> storeEnv = new HashMap<>(Map.of(
                "AWS_REGION",
                DevDefaults.REGION,
                "AWS_ACCESS_KEY_ID",
                "local",
                "AWS_SECRET_ACCESS_KEY",
                "local",
                "DYNAMODB_ENDPOINT",
                dynamoEndpoint));
        dynamo = AwsClients.from(Environment.of(storeEnv)).dynamoDb();
        try {
            keeper = new TableKeeper(dynamo, options.tableName(), log);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot reach DynamoDB at " + dynamoEndpoint + " (" + e.getMessage() + ")"
                            + (dynalite == null ? "" : "; dynalite said:\n" + dynalite.output()),
                    e);
        }
    }

    /** The template's queues, and their API on a loopback port of its own (the functions' only). */
    private Server startQueues(SamTemplate template) {
        queues = LocalQueues.of(template, options.parameters());
        Server sqs = servers.loopback("the local queues' port");
        sqsEndpoint = "http://127.0.0.1:" + GatewayServers.port(sqs);
        sqs.setHandler(new SqsApi(queues, sigV4));
        return sqs;
    }

    /** The WebSocket URL clients connect to. */
    public URI webSocketUrl() {
        return URI.create("ws://localhost:" + wsPort + "/");
    }

    /** The HTTP API's base URL. */
    public URI httpUrl() {
        return URI.create("http://localhost:" + httpPort);
    }

    /** The management API endpoint to give an SDK, {@code http://localhost:3001/{stage}}. */
    public String managementEndpoint() {
        return "http://localhost:" + wsPort + "/" + stage;
    }

    /** The gateway's queues (the template's SQS queues). */
    public LocalQueues queues() {
        return queues;
    }

    /** The SQS endpoint the functions send to, on loopback (a queue's URL: {@link LocalSettings#queueUrl}). */
    public String sqsEndpoint() {
        return sqsEndpoint;
    }

    /** The AWS actions each function called so far, by logical id, as IAM names them (see {@link CalledActions}). */
    public Map<String, Set<String>> calledActions() {
        return calls.byFunction();
    }

    /** The DynamoDB endpoint in use. */
    public String dynamoDbEndpoint() {
        return dynamoEndpoint;
    }

    /** The membership table in use. */
    public String tableName() {
        return options.tableName();
    }

    /** The WebSocket API's stage. */
    public String stage() {
        return stage;
    }

    /** How many connections are open or connecting. */
    public int openConnections() {
        return webSocketApi == null ? 0 : webSocketApi.connections().size();
    }

    /** How many frame and $disconnect integrations are queued or running. */
    public int pendingIntegrations() {
        return webSocketApi == null ? 0 : webSocketApi.pendingIntegrations();
    }

    /** Whether tokens are verified with the dev secret, which anyone can read: then it hands out dev tokens. */
    private boolean devSecret() {
        return DevDefaults.JWT_SECRET.equals(options.parameters().get("JwtSecret"));
    }

    /** The startup banner, ending with the line that says {@code ready}. */
    public String banner() {
        boolean devSecret = devSecret();
        String checked = sigV4.map(v -> "checked: " + v.accessKeyId()).orElse("not checked, see --verify-sigv4");
        return String.join(
                System.lineSeparator(),
                "Groupcast local gateway (" + options.template() + ")",
                "  WebSocket API  " + webSocketUrl() + "?token=JWT   (stage " + stage + ")",
                "  @connections   " + managementEndpoint() + "/@connections/{connectionId}   (SigV4 " + checked + ")",
                "  HTTP API       " + httpUrl() + "/notify   (POST, application/json; SigV4 " + checked + ")",
                "  demo page      " + httpUrl() + "/",
                "  DynamoDB       "
                        + (dynalite != null
                                ? "dynalite " + dynamoEndpoint
                                        + options.dataDir()
                                                .map(d -> " (data in " + d + ")")
                                                .orElse(" (in memory)")
                                : dynamoEndpoint)
                        + ", table " + options.tableName(),
                "  tokens         "
                        + (devSecret
                                ? "HS256 with the dev secret '" + DevDefaults.JWT_SECRET
                                        + "' (set JWT_SECRET to use your own)"
                                : "as configured by JWT_SECRET / JWKS_URL"),
                "                 get one: java -jar local/target/groupcast-local.jar token kevin",
                "  event handler  "
                        + options.eventHandlerUrl()
                                .map(url -> "POST " + url + " (--event-handler-url)")
                                .orElse("the template's EventHandlerFunctionArn, if set"),
                "  events         "
                        + options.eventsUrl()
                                .map(url -> "logged, and POSTed to " + url + " (--events-url)")
                                .orElse("logged when EventBusName is set"),
                "Groupcast local gateway ready: " + webSocketUrl() + " and " + httpUrl());
    }

    /** Looks at the table (a wipe of the store is seen within a second); a store that is down is the functions' 503. */
    private void checkTable() {
        try {
            keeper.check();
        } catch (RuntimeException unreachable) {
            // the store is down: the functions answer 503 and log it
        }
    }

    /**
     * The store lost its data at {@code at}: the connections opened before are in no group, not even their user's,
     * so they are closed with 1012 (service restart), which tells clients to reconnect (and join again).
     */
    private void reconnectOpenedBefore(Instant at) {
        List<LocalConnection> lost = webSocketApi.connections().values().stream()
                .filter(connection -> connection.isOpen() && connection.connectedAt() < at.toEpochMilli())
                .toList();
        log.info("the table was made again: closing " + lost.size()
                + " connection(s) opened before with 1012 so they reconnect");
        lost.forEach(connection -> connection.close(1012, "the store lost its data; reconnect"));
    }

    /** Stops the servers (running $disconnect for open connections), then dynalite. */
    @Override
    public void close() {
        if (pollers != null) {
            pollers.close();
        }
        servers.stop();
        integrations.shutdown();
        try {
            integrations.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
        if (dynamo != null) {
            dynamo.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
    }
}
