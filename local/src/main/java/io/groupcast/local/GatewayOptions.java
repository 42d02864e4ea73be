package io.groupcast.local;

import io.groupcast.core.model.ApiGatewayLimits;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * How the local gateway runs: where it listens, the template and its parameters, where DynamoDB is, and API Gateway's
 * connection limits (shortened in tests). Read from the command line and the environment by {@link #parse}, the
 * one place that knows the options; {@link #usage()} describes them from the same table.
 */
public record GatewayOptions(
        String host,
        int wsPort,
        int httpPort,
        Path template,
        Optional<Path> dataDir,
        Optional<String> dynamoDbEndpoint,
        String tableName,
        Map<String, String> parameters,
        Duration idleTimeout,
        Duration maxConnectionDuration,
        boolean quiet,
        boolean allowRemote,
        Optional<String> verifySigV4,
        Optional<URI> eventHandlerUrl,
        Optional<URI> eventsUrl) {
    public GatewayOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(template, "template");
        parameters = Map.copyOf(parameters);
    }

    /** A command-line option: its name, its value's name (none for a switch), what it does, how it applies. */
    private record Flag(String name, String value, String help, BiConsumer<Parsed, String> apply) {
        String usage() {
            return String.format("  %-22s %s", name + (value == null ? "" : " " + value), help);
        }
    }

    /** Every option; the parser and {@code --help} both read this table. */
    private static final List<Flag> FLAGS = List.of(
            new Flag(
                    "--ws-port",
                    "N",
                    "WebSocket API and @connections port (env PORT_WS, default 3001)",
                    (o, v) -> o.wsPort = number("--ws-port", v)),
            new Flag(
                    "--http-port",
                    "N",
                    "HTTP API and demo page port (env PORT_HTTP, default 3000)",
                    (o, v) -> o.httpPort = number("--http-port", v)),
            new Flag(
                    "--host",
                    "NAME",
                    "interface to listen on (default localhost: loopback only; others need --allow-remote)",
                    (o, v) -> o.host = v),
            new Flag(
                    "--allow-remote",
                    null,
                    "let --host be reachable from other machines (the HTTP API checks no SigV4 here);"
                            + " refused with the dev secret: set JWT_SECRET or JWKS_URL",
                    (o, v) -> o.allowRemote = true),
            new Flag(
                    "--template",
                    "FILE",
                    "the SAM template to run (default ./template.yaml)",
                    (o, v) -> o.template = Path.of(v)),
            new Flag(
                    "--data",
                    "DIR",
                    "keep dynalite's data in DIR (default: in memory)",
                    (o, v) -> o.dataDir = Optional.of(Path.of(v))),
            new Flag(
                    "--idle-timeout",
                    "S",
                    "close idle connections after S seconds (default 600, as API Gateway)",
                    (o, v) -> o.idleTimeout = Duration.ofSeconds(number("--idle-timeout", v))),
            new Flag(
                    "--max-connection",
                    "S",
                    "close connections after S seconds (default 7200, as API Gateway)",
                    (o, v) -> o.maxConnectionDuration = Duration.ofSeconds(number("--max-connection", v))),
            new Flag("--parameter", "NAME=VALUE", "set a template parameter (repeatable)", GatewayOptions::parameter),
            new Flag(
                    "--verify-sigv4",
                    "KEY:SECRET",
                    "check SigV4 on the HTTP API, @connections and the functions' SQS against this key, as AWS"
                            + " does (the functions sign with it)",
                    (o, v) -> {
                        if (v.indexOf(':') < 1 || v.endsWith(":")) {
                            throw new UsageException("--verify-sigv4 takes ACCESS_KEY:SECRET");
                        }
                        o.verifySigV4 = Optional.of(v);
                    }),
            new Flag(
                    "--event-handler-url",
                    "URL",
                    "POST client events (and the connect hook) to this endpoint instead of the EventHandlerFunctionArn"
                            + " function (docs/handlers.md)",
                    (o, v) -> o.eventHandlerUrl = Optional.of(url("--event-handler-url", v))),
            new Flag(
                    "--events-url",
                    "URL",
                    "POST each lifecycle event the stack would put to EventBridge to this endpoint too (they are"
                            + " logged either way)",
                    (o, v) -> o.eventsUrl = Optional.of(url("--events-url", v))),
            new Flag(
                    "--quiet",
                    null,
                    "no gateway log lines (function logs still go to stderr)",
                    (o, v) -> o.quiet = true));

    /** Environment variables that set template parameters, as the deployed stack's parameters would. */
    private static final Map<String, String> PARAMETER_OF = Map.of(
            "JWT_SECRET", "JwtSecret",
            "JWKS_URL", "JwksUrl",
            "JWT_ISSUER", "JwtIssuer",
            "JWT_AUDIENCE", "JwtAudience",
            "USER_ID_CLAIM", "UserIdClaim",
            "ROLES_CLAIM", "RolesClaim",
            "PUBLIC_GROUPS", "PublicGroups",
            "JWT_CLOCK_SKEW_SECONDS", "JwtClockSkewSeconds",
            "FANOUT_MAX_IN_FLIGHT", "FanoutMaxInFlight",
            "FANOUT_MAX_RETRIES", "FanoutMaxRetries");

    /** What the options are, one line each, for {@code --help}. */
    static String usage() {
        return FLAGS.stream().map(Flag::usage).collect(Collectors.joining("\n"));
    }

    /**
     * The options of a command line over the environment's ({@code PORT_WS}, {@code PORT_HTTP}, {@code TABLE_NAME},
     * {@code DYNAMODB_ENDPOINT} and the token settings) over the defaults; a mistake is a {@link UsageException}.
     */
    public static GatewayOptions parse(List<String> args, Map<String, String> env) {
        Parsed options = new Parsed();
        nonBlank(env.get("PORT_WS")).ifPresent(port -> options.wsPort = number("PORT_WS", port));
        nonBlank(env.get("PORT_HTTP")).ifPresent(port -> options.httpPort = number("PORT_HTTP", port));
        nonBlank(env.get("TABLE_NAME")).ifPresent(table -> options.tableName = table);
        options.dynamoDbEndpoint = nonBlank(env.get("DYNAMODB_ENDPOINT"));
        PARAMETER_OF.forEach((variable, parameter) ->
                nonBlank(env.get(variable)).ifPresent(value -> options.parameters.put(parameter, value)));
        Deque<String> rest = new ArrayDeque<>(args);
        while (!rest.isEmpty()) {
            String name = rest.removeFirst();
            Flag flag = FLAGS.stream()
                    .filter(f -> f.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new UsageException("unknown option " + name));
            String value = flag.value() == null ? null : rest.pollFirst();
            if (flag.value() != null && value == null) {
                throw new UsageException(name + " needs a value (" + flag.value() + ")");
            }
            flag.apply().accept(options, value);
        }
        if (options.eventsUrl.isPresent()) {
            // asking for the events asks the functions to put them
            options.parameters.putIfAbsent("EventBusName", "default");
        }
        if (!options.parameters.containsKey("JwtSecret") && !options.parameters.containsKey("JwksUrl")) {
            options.parameters.put("JwtSecret", DevDefaults.JWT_SECRET);
        }
        check(options);
        return new GatewayOptions(
                options.host,
                options.wsPort,
                options.httpPort,
                options.template,
                options.dataDir,
                options.dynamoDbEndpoint,
                options.tableName,
                options.parameters,
                options.idleTimeout,
                options.maxConnectionDuration,
                options.quiet,
                options.allowRemote,
                options.verifySigV4,
                options.eventHandlerUrl,
                options.eventsUrl);
    }

    /** The options as the parser collects them, over the defaults. */
    private static final class Parsed {
        String host = "localhost";
        int wsPort = 3001;
        int httpPort = 3000;
        Path template = Path.of("template.yaml");
        Optional<Path> dataDir = Optional.empty();
        Optional<String> dynamoDbEndpoint = Optional.empty();
        String tableName = DevDefaults.TABLE_NAME;
        final Map<String, String> parameters = new HashMap<>();
        Duration idleTimeout = ApiGatewayLimits.IDLE_TIMEOUT;
        Duration maxConnectionDuration = ApiGatewayLimits.MAX_CONNECTION_DURATION;
        boolean quiet;
        boolean allowRemote;
        Optional<String> verifySigV4 = Optional.empty();
        Optional<URI> eventHandlerUrl = Optional.empty();
        Optional<URI> eventsUrl = Optional.empty();
    }

    /** Refuses a missing template, a host others reach without --allow-remote, --allow-remote with the dev secret. */
    private static void check(Parsed options) {
        if (!Files.exists(options.template)) {
            throw new UsageException(
                    "no " + options.template + " here: run from the Groupcast folder or pass --template FILE");
        }
        if (!options.allowRemote && !loopback(options.host)) {
            throw new UsageException("--host " + options.host + " is reachable from other machines, and locally the "
                    + "HTTP API checks no SigV4 and anyone may send, close or read presence: add --allow-remote if "
                    + "that is what you want");
        }
        if (options.allowRemote && DevDefaults.JWT_SECRET.equals(options.parameters.get("JwtSecret"))) {
            throw new UsageException("--allow-remote with the dev secret would hand dev tokens for any user"
                    + " (GET /token) to anyone who can reach the gateway, and the dev secret is public: set a"
                    + " JwtSecret of your own (JWT_SECRET or --parameter JwtSecret=..., at least 32 characters) or a"
                    + " JwksUrl (JWKS_URL)");
        }
    }

    /** Whether every address {@code host} names is this machine's loopback. */
    static boolean loopback(String host) {
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            throw new UsageException("unknown host " + host);
        }
    }

    private static void parameter(Parsed options, String pair) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
            throw new UsageException("--parameter takes NAME=VALUE, not " + pair);
        }
        options.parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
    }

    /** An http or https URL with a host. */
    static URI url(String flag, String value) {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new URISyntaxException(value, "not http(s)");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException(
                    flag + " needs an http or https URL like http://localhost:8080/events, not '" + value + "'");
        }
    }

    static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    static int number(String flag, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException | NullPointerException e) {
            throw new UsageException(flag + " needs a whole number, not '" + value + "'");
        }
    }

    /** A mistake on the command line. */
    public static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
