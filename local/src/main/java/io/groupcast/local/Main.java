package io.groupcast.local;

import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/** {@code java -jar groupcast-local.jar [options]} and {@code java -jar groupcast-local.jar token USER}. */
public final class Main {
    /** A command-line option: its name, its value's name (none for a switch), what it does, how it applies. */
    private record Flag(String name, String value, String help, BiConsumer<GatewayOptions.Builder, String> apply) {
        String usage() {
            return String.format("  %-22s %s", name + (value == null ? "" : " " + value), help);
        }
    }

    /** Every option of a run; the parser and {@code --help} both read this table. */
    private static final List<Flag> FLAGS = List.of(
            new Flag(
                    "--ws-port",
                    "N",
                    "WebSocket API and @connections port (env PORT_WS, default 3001)",
                    (o, v) -> o.wsPort(number("--ws-port", v))),
            new Flag(
                    "--http-port",
                    "N",
                    "HTTP API and demo page port (env PORT_HTTP, default 3000)",
                    (o, v) -> o.httpPort(number("--http-port", v))),
            new Flag(
                    "--host",
                    "NAME",
                    "interface to listen on (default localhost: loopback only)",
                    GatewayOptions.Builder::host),
            new Flag(
                    "--template",
                    "FILE",
                    "the SAM template to run (default ./template.yaml)",
                    (o, v) -> o.template(Path.of(v))),
            new Flag(
                    "--data",
                    "DIR",
                    "keep dynalite's data in DIR (default: in memory)",
                    (o, v) -> o.dataDir(Path.of(v))),
            new Flag(
                    "--idle-timeout",
                    "S",
                    "close idle connections after S seconds (default 600, as API Gateway)",
                    (o, v) -> o.idleTimeout(Duration.ofSeconds(number("--idle-timeout", v)))),
            new Flag(
                    "--max-connection",
                    "S",
                    "close connections after S seconds (default 7200, as API Gateway)",
                    (o, v) -> o.maxConnectionDuration(Duration.ofSeconds(number("--max-connection", v)))),
            new Flag("--parameter", "NAME=VALUE", "set a template parameter (repeatable)", Main::parameter),
            new Flag(
                    "--quiet",
                    null,
                    "no gateway log lines (function logs still go to stderr)",
                    (o, v) -> o.quiet(true)));

    /** Environment variables that set template parameters, as the deployed stack's parameters would. */
    private static final Map<String, String> PARAMETER_OF = Map.of(
            "JWT_SECRET", "JwtSecret",
            "JWKS_URL", "JwksUrl",
            "JWT_ISSUER", "JwtIssuer",
            "JWT_AUDIENCE", "JwtAudience",
            "USER_ID_CLAIM", "UserIdClaim",
            "JWT_CLOCK_SKEW_SECONDS", "JwtClockSkewSeconds",
            "FANOUT_MAX_IN_FLIGHT", "FanoutMaxInFlight",
            "FANOUT_MAX_RETRIES", "FanoutMaxRetries");

    static final String USAGE = """
            usage: java -jar local/target/groupcast-local.jar [options]     run Groupcast locally
                   java -jar local/target/groupcast-local.jar token USER [--ttl SECONDS]
                                                                             print a dev token for USER

            options:
            %s

            environment:
              JWT_SECRET, JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, USER_ID_CLAIM   token settings (default: the dev secret)
              DYNAMODB_ENDPOINT    use this DynamoDB (LocalStack, AWS, ...) instead of starting dynalite
              TABLE_NAME           table to use, created when missing (default groupcast-local)
            """.formatted(FLAGS.stream().map(Flag::usage).collect(Collectors.joining("\n")));

    private Main() {}

    public static void main(String[] args) {
        try {
            System.exit(run(List.of(args), System.getenv()));
        } catch (UsageException e) {
            System.err.println("groupcast-local: " + e.getMessage());
            System.err.println();
            System.err.print(USAGE);
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("groupcast-local: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(List<String> args, Map<String, String> env) {
        Deque<String> rest = new ArrayDeque<>(args);
        if (!rest.isEmpty() && rest.peekFirst().equals("token")) {
            rest.removeFirst();
            System.out.println(token(rest, env));
            return 0;
        }
        if (rest.contains("--help") || rest.contains("-h")) {
            System.out.print(USAGE);
            return 0;
        }
        LocalGateway gateway = LocalGateway.start(options(rest, env), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.out.println("stopping the local gateway");
                            gateway.close();
                            stopped.countDown();
                        },
                        "gateway-stop"));
        System.out.println(gateway.banner());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static String token(Deque<String> args, Map<String, String> env) {
        String user = args.pollFirst();
        if (user == null || user.startsWith("--")) {
            throw new UsageException("token needs a USER");
        }
        Duration ttl = DevTokens.DEFAULT_TTL;
        while (!args.isEmpty()) {
            String flag = args.removeFirst();
            if ("--ttl".equals(flag)) {
                ttl = Duration.ofSeconds(number(flag, args.pollFirst()));
            } else {
                throw new UsageException("unknown option " + flag);
            }
        }
        String secret = nonBlank(env.get("JWT_SECRET")).orElse(DevDefaults.JWT_SECRET);
        try {
            return DevTokens.issue(secret, UserId.of(user), ttl);
        } catch (RequestException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static GatewayOptions options(Deque<String> args, Map<String, String> env) {
        GatewayOptions.Builder options = GatewayOptions.builder(Path.of("template.yaml"));
        nonBlank(env.get("PORT_WS")).ifPresent(port -> options.wsPort(number("PORT_WS", port)));
        nonBlank(env.get("PORT_HTTP")).ifPresent(port -> options.httpPort(number("PORT_HTTP", port)));
        nonBlank(env.get("TABLE_NAME")).ifPresent(options::tableName);
        nonBlank(env.get("DYNAMODB_ENDPOINT")).ifPresent(options::dynamoDbEndpoint);
        PARAMETER_OF.forEach((variable, parameter) ->
                nonBlank(env.get(variable)).ifPresent(value -> options.parameter(parameter, value)));
        while (!args.isEmpty()) {
            String name = args.removeFirst();
            Flag flag = FLAGS.stream()
                    .filter(f -> f.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new UsageException("unknown option " + name));
            String value = flag.value() == null ? null : args.pollFirst();
            if (flag.value() != null && value == null) {
                throw new UsageException(name + " needs a value (" + flag.value() + ")");
            }
            flag.apply().accept(options, value);
        }
        GatewayOptions built = options.build();
        if (!Files.exists(built.template())) {
            throw new UsageException(
                    "no " + built.template() + " here: run from the Groupcast folder or pass --template FILE");
        }
        return built;
    }

    private static void parameter(GatewayOptions.Builder options, String pair) {
        int eq = pair.indexOf('=');
        if (eq < 1) {
            throw new UsageException("--parameter takes NAME=VALUE, not " + pair);
        }
        options.parameter(pair.substring(0, eq), pair.substring(eq + 1));
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }

    private static int number(String flag, String value) {
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
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
