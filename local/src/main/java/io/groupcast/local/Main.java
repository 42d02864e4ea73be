package io.groupcast.local;

import io.groupcast.core.RequestException;
import io.groupcast.core.UserId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar groupcast-local.jar [options]} and {@code java -jar groupcast-local.jar token USER}. */
public final class Main {
    static final String USAGE = """
            usage: java -jar local/target/groupcast-local.jar [options]     run Groupcast locally
                   java -jar local/target/groupcast-local.jar token USER [--ttl SECONDS]
                                                                             print a dev token for USER

            options:
              --ws-port N            WebSocket API and @connections port (env PORT_WS, default 3001)
              --http-port N          HTTP API and demo page port (env PORT_HTTP, default 3000)
              --host NAME            interface to listen on (default localhost: loopback only)
              --template FILE        the SAM template to run (default ./template.yaml)
              --data DIR             keep dynalite's data in DIR (default: in memory)
              --idle-timeout S       close idle connections after S seconds (default 600, as API Gateway)
              --max-connection S     close connections after S seconds (default 7200, as API Gateway)
              --parameter NAME=VALUE set a template parameter (repeatable)
              --quiet                no gateway log lines (function logs still go to stderr)

            environment:
              JWT_SECRET, JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, USER_ID_CLAIM   token settings (default: the dev secret)
              DYNAMODB_ENDPOINT    use this DynamoDB (DynamoDB Local, LocalStack, AWS) instead of starting dynalite
              TABLE_NAME           table to use, created when missing (default groupcast-local)
            """;

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

    private Main() {
    }

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
        LocalGateway.Options options = options(rest, env);
        LocalGateway gateway = LocalGateway.start(options, System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the local gateway");
            gateway.close();
            stopped.countDown();
        }, "gateway-stop"));
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
        String secret = Optional.ofNullable(env.get("JWT_SECRET")).filter(s -> !s.isBlank()).orElse(DevDefaults.JWT_SECRET);
        try {
            return DevTokens.issue(secret, UserId.of(user), ttl);
        } catch (RequestException e) {
            throw new UsageException(e.getMessage());
        }
    }

    static LocalGateway.Options options(Deque<String> args, Map<String, String> env) {
        int wsPort = env.containsKey("PORT_WS") ? number("PORT_WS", env.get("PORT_WS")) : 3001;
        int httpPort = env.containsKey("PORT_HTTP") ? number("PORT_HTTP", env.get("PORT_HTTP")) : 3000;
        String host = "localhost";
        Path template = Path.of("template.yaml");
        Optional<Path> data = Optional.empty();
        Duration idle = Duration.ofMinutes(10);
        Duration max = Duration.ofHours(2);
        boolean quiet = false;
        Map<String, String> parameters = new HashMap<>();
        PARAMETER_OF.forEach((variable, parameter) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                parameters.put(parameter, value);
            }
        });
        if (!parameters.containsKey("JwtSecret") && !parameters.containsKey("JwksUrl")) {
            parameters.put("JwtSecret", DevDefaults.JWT_SECRET);
        }
        while (!args.isEmpty()) {
            String flag = args.removeFirst();
            switch (flag) {
                case "--ws-port" -> wsPort = number(flag, args.pollFirst());
                case "--http-port" -> httpPort = number(flag, args.pollFirst());
                case "--host" -> host = value(flag, args.pollFirst());
                case "--template" -> template = Path.of(value(flag, args.pollFirst()));
                case "--data" -> data = Optional.of(Path.of(value(flag, args.pollFirst())));
                case "--idle-timeout" -> idle = Duration.ofSeconds(number(flag, args.pollFirst()));
                case "--max-connection" -> max = Duration.ofSeconds(number(flag, args.pollFirst()));
                case "--quiet" -> quiet = true;
                case "--parameter" -> {
                    String pair = value(flag, args.pollFirst());
                    int eq = pair.indexOf('=');
                    if (eq < 1) {
                        throw new UsageException("--parameter takes NAME=VALUE, not " + pair);
                    }
                    parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                default -> throw new UsageException("unknown option " + flag);
            }
        }
        if (!Files.exists(template)) {
            throw new UsageException("no " + template + " here: run from the Groupcast folder or pass --template FILE");
        }
        String table = Optional.ofNullable(env.get("TABLE_NAME")).filter(s -> !s.isBlank()).orElse(DevDefaults.TABLE_NAME);
        Optional<String> endpoint = Optional.ofNullable(env.get("DYNAMODB_ENDPOINT")).filter(s -> !s.isBlank());
        return new LocalGateway.Options(host, wsPort, httpPort, template, data, endpoint, table, parameters, idle, max,
                quiet);
    }

    private static String value(String flag, String value) {
        if (value == null) {
            throw new UsageException(flag + " needs a value");
        }
        return value;
    }

    private static int number(String flag, String value) {
        try {
            int n = Integer.parseInt(value(flag, value).trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
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
