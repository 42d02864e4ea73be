package io.groupcast.local;

import io.groupcast.core.model.RequestException;
import io.groupcast.core.model.UserId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar groupcast-local.jar [options]} and {@code java -jar groupcast-local.jar token USER}. */
public final class Main {
    static final String USAGE = """
            usage: java -jar local/target/groupcast-local.jar [options]     run Groupcast locally
                   java -jar local/target/groupcast-local.jar token USER [--role ROLE]... [--ttl SECONDS]
                                                                             print a dev token for USER, e.g.
                                                          --role groupcast.joinLeaveGroup.room-* --role groupcast.sendToGroup

            options:
            %s

            environment:
              JWT_SECRET, JWKS_URL, JWT_ISSUER, JWT_AUDIENCE, USER_ID_CLAIM, ROLES_CLAIM
                                   token settings (default: the dev secret, roles in "roles")
              PUBLIC_GROUPS        groups any client may join (the PublicGroups parameter)
              DYNAMODB_ENDPOINT    use this DynamoDB (LocalStack, AWS, ...) instead of starting dynalite
              TABLE_NAME           table to use, created when missing (default groupcast-local)
            """.formatted(GatewayOptions.usage());

    private Main() {}

    public static void main(String[] args) {
        try {
            System.exit(run(List.of(args), System.getenv()));
        } catch (GatewayOptions.UsageException e) {
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
        LocalGateway gateway = LocalGateway.start(GatewayOptions.parse(List.copyOf(rest), env), System.out);
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
            throw new GatewayOptions.UsageException("token needs a USER");
        }
        Duration ttl = DevTokens.DEFAULT_TTL;
        List<String> roles = new ArrayList<>();
        while (!args.isEmpty()) {
            String flag = args.removeFirst();
            switch (flag) {
                case "--ttl" -> ttl = Duration.ofSeconds(GatewayOptions.number(flag, args.pollFirst()));
                case "--role" ->
                    roles.add(Optional.ofNullable(args.pollFirst())
                            .orElseThrow(() -> new GatewayOptions.UsageException("--role needs a value (ROLE)")));
                default -> throw new GatewayOptions.UsageException("unknown option " + flag);
            }
        }
        DevTokens tokens = new DevTokens(
                GatewayOptions.nonBlank(env.get("JWT_SECRET")).orElse(DevDefaults.JWT_SECRET),
                GatewayOptions.nonBlank(env.get("ROLES_CLAIM")).orElse(DevTokens.DEFAULT_ROLES_CLAIM));
        try {
            return tokens.issue(UserId.of(user), roles, ttl);
        } catch (RequestException e) {
            throw new GatewayOptions.UsageException(e.getMessage());
        }
    }
}
