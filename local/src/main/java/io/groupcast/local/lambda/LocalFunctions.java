package io.groupcast.local.lambda;

import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.local.template.Intrinsics;
import io.groupcast.local.template.SamTemplate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Every function of the template, loaded with the environment the template gives it, resolved for this machine:
 * parameters from {@code parameters} (else their defaults), the table's {@code Ref} to the local table name,
 * {@code MANAGEMENT_API_ENDPOINT} to the local gateway, plus what Lambda itself sets (region, credentials).
 */
public final class LocalFunctions {
    private final Map<String, LambdaFunction> functions;

    private LocalFunctions(Map<String, LambdaFunction> functions) {
        this.functions = functions;
    }

    /** The resolved environment of each function, by logical id. */
    public static Map<String, Map<String, String>> environments(SamTemplate template, LocalSettings settings) {
        Map<String, Optional<String>> defaults = template.parameters();
        Map<String, Map<String, Object>> resources = template.resources();
        Map<String, Map<String, String>> environments = new LinkedHashMap<>();
        template.functions().forEach((id, function) -> {
            Map<String, String> env = new LinkedHashMap<>();
            function.environment()
                    .forEach((name, value) -> env.put(name, template.resolveIf(value, ref -> {
                        if (settings.parameters().containsKey(ref)) {
                            return settings.parameters().get(ref);
                        }
                        if (defaults.containsKey(ref)) {
                            return defaults.get(ref).orElse("");
                        }
                        return switch (ref) {
                            case "AWS::Region" -> settings.region();
                            case "AWS::AccountId" -> "000000000000";
                            case "AWS::Partition" -> "aws";
                            case "AWS::URLSuffix" -> "amazonaws.com";
                            case "AWS::StackName" -> "groupcast-local";
                            default -> {
                                String logical = ref.contains(".") ? ref.substring(0, ref.indexOf('.')) : ref;
                                Map<String, Object> resource = resources.get(logical);
                                if (resource != null && "AWS::DynamoDB::Table".equals(resource.get("Type"))) {
                                    yield settings.tableName();
                                }
                                if (resource != null
                                        && "AWS::SQS::Queue".equals(resource.get("Type"))
                                        && settings.sqsEndpoint().isPresent()) {
                                    yield LocalSettings.queueUrl(
                                            settings.sqsEndpoint().get(), logical);
                                }
                                yield logical.toLowerCase(Locale.ROOT);
                            }
                        };
                    })));
            if (settings.sqsEndpoint().isEmpty()) {
                // without the gateway's queues, a variable naming a queue would name one on AWS: leave it out
                function.environment().forEach((name, value) -> {
                    Map<String, Object> target = resources.get(Intrinsics.refTarget(value));
                    if (target != null && "AWS::SQS::Queue".equals(target.get("Type"))) {
                        env.remove(name);
                    }
                });
            }
            if (env.containsKey("MANAGEMENT_API_ENDPOINT")) {
                env.put("MANAGEMENT_API_ENDPOINT", settings.managementEndpoint());
            }
            env.put("AWS_REGION", settings.region());
            env.put("AWS_DEFAULT_REGION", settings.region());
            env.put("AWS_ACCESS_KEY_ID", settings.accessKeyId());
            env.put("AWS_SECRET_ACCESS_KEY", settings.secretAccessKey());
            settings.dynamoDbEndpoint().ifPresent(endpoint -> env.put("DYNAMODB_ENDPOINT", endpoint));
            settings.sqsEndpoint().ifPresent(endpoint -> env.put("SQS_ENDPOINT", endpoint));
            env.putAll(settings.endpoints());
            environments.put(id, env);
        });
        return environments;
    }

    /**
     * How many invocations run at once across all functions; more wait (up to their timeout) as Lambda would throttle.
     * It keeps a storm of connects from piling hundreds of concurrent requests onto the local dynalite.
     */
    public static final int CONCURRENCY = 32;

    /** Loads every function of the template; a missing table fails their calls, as on AWS. */
    public static LocalFunctions load(SamTemplate template, LocalSettings settings) {
        return load(template, settings, DynamoDbTable.MissingTable.FAIL, new CalledActions());
    }

    /**
     * Loads every function of the template, their stores doing what {@code missingTable} says of a missing table,
     * their AWS calls recorded in {@code calls}.
     */
    public static LocalFunctions load(
            SamTemplate template,
            LocalSettings settings,
            DynamoDbTable.MissingTable missingTable,
            CalledActions calls) {
        Map<String, Map<String, String>> environments = environments(template, settings);
        Map<String, LambdaFunction> functions = new LinkedHashMap<>();
        Semaphore concurrency = new Semaphore(CONCURRENCY, true);
        template.functions()
                .forEach((id, function) -> functions.put(
                        id,
                        LambdaFunction.load(
                                function,
                                environments.get(id),
                                timeoutOf(template, function),
                                memoryOf(template, function),
                                concurrency,
                                missingTable,
                                calls)));
        return new LocalFunctions(functions);
    }

    /** The function with this logical id. */
    public LambdaFunction get(String logicalId) {
        LambdaFunction function = functions.get(logicalId);
        if (function == null) {
            throw new IllegalArgumentException("template.yaml has no function " + logicalId);
        }
        return function;
    }

    /** The function's {@code Timeout}, its own or the template's global one (Lambda's default: 3 s). */
    public static Duration timeoutOf(SamTemplate template, SamTemplate.Function function) {
        return Duration.ofSeconds(Long.parseLong(property(template, function, "Timeout", "3")));
    }

    /** The function's {@code MemorySize}, its own or the template's global one (Lambda's default: 128 MB). */
    public static int memoryOf(SamTemplate template, SamTemplate.Function function) {
        return Integer.parseInt(property(template, function, "MemorySize", "128"));
    }

    private static String property(SamTemplate template, SamTemplate.Function function, String name, String fallback) {
        Object own = function.properties().get(name);
        if (own == null) {
            own = template.globalFunctionProperty(name);
        }
        return own == null ? fallback : String.valueOf(own);
    }
}
