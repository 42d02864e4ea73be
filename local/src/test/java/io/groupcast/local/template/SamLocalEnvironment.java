package io.groupcast.local.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment {@code sam local invoke FUNCTION --env-vars FILE} gives a function, by SAM CLI's own rules, as read
 * in aws-sam-cli 1.164.0 (commit fe8f8dbb1160abce8ae13e0a4c5f8b456658afd3):
 *
 * <ul>
 *   <li>{@code samcli/local/lambdafn/env_vars.py} {@code EnvironmentVariables.resolve()}: the variables SAM sets
 *       itself ({@code _get_aws_variables}: {@code AWS_SAM_LOCAL=true}, {@code AWS_LAMBDA_FUNCTION_NAME} = the
 *       logical id, memory, timeout, handler, region, credentials), then every variable the template declares for
 *       the function, each overridden by the env file when it names it: a variable the template does not declare
 *       never reaches the function; {@code _stringify_value} turns maps, lists and null into "" and booleans into
 *       "true"/"false".</li>
 *   <li>{@code samcli/commands/local/lib/local_lambda.py} {@code _make_env_vars}: the file's {@code Parameters}
 *       section applies to every function, then the section named by the function's logical id (the first
 *       non-empty of logical id, function id, {@code FunctionName}).</li>
 *   <li>{@code samcli/lib/intrinsic_resolver} (with {@code ignore_errors}): {@code Ref} of a parameter is its
 *       override or default (its own name when it has neither), {@code Ref} of a resource is its logical id,
 *       {@code Fn::GetAtt X.Arn} a Lambda-style ARN, other attributes "", {@code Fn::If} by the template's
 *       conditions, pseudo parameters {@code AWS::Region} us-east-1, {@code AWS::StackName} local,
 *       {@code AWS::AccountId} 123456789012, {@code AWS::URLSuffix} localhost.</li>
 * </ul>
 *
 * The shell's own variables (SAM lets the shell override declared names) are left out: a test runs with none set.
 */
public final class SamLocalEnvironment {
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!]+)}");

    private final SamTemplate template;
    private final Map<String, String> parameters = new LinkedHashMap<>();

    public SamLocalEnvironment(SamTemplate template, Map<String, String> parameterOverrides) {
        this.template = template;
        parameters.putAll(Map.of(
                "AWS::Region", "us-east-1",
                "AWS::AccountId", "123456789012",
                "AWS::StackName", "local",
                "AWS::Partition", "aws",
                "AWS::URLSuffix", "localhost"));
        template.parameters().forEach((name, value) -> value.ifPresent(v -> parameters.put(name, v)));
        parameters.putAll(parameterOverrides);
    }

    /** What {@code function} gets under {@code sam local invoke --env-vars} with {@code envFile}. */
    public Map<String, String> of(String function, JsonNode envFile) {
        SamTemplate.Function declared = template.functions().get(function);
        Map<String, Object> properties = declared.properties();
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_SAM_LOCAL", "true");
        env.put("AWS_LAMBDA_FUNCTION_NAME", function);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(property(properties, "MemorySize", 128)));
        env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", String.valueOf(property(properties, "Timeout", 3)));
        env.put("AWS_LAMBDA_FUNCTION_HANDLER", declared.handler());
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "aws/lambda/" + function);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "$LATEST");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "defaultkey");
        env.put("AWS_SECRET_ACCESS_KEY", "defaultsecret");
        env.put("AWS_ACCOUNT_ID", "123456789012");
        Map<String, JsonNode> overrides = new LinkedHashMap<>();
        envFile.path("Parameters").properties().forEach(e -> overrides.put(e.getKey(), e.getValue()));
        JsonNode own = envFile.path(function);
        if (own.isObject() && !own.isEmpty()) {
            own.properties().forEach(e -> overrides.put(e.getKey(), e.getValue()));
        }
        declared.environment().forEach((name, value) -> {
            JsonNode override = overrides.get(name);
            env.put(name, override != null ? stringify(override) : stringify(resolve(value)));
        });
        return env;
    }

    private Object property(Map<String, Object> properties, String name, int fallback) {
        Object value = properties.getOrDefault(name, template.globalFunctionProperty(name));
        return value == null ? fallback : value;
    }

    /** A template value with its intrinsics resolved as SAM CLI resolves them; what it cannot resolve stays a map. */
    Object resolve(Object value) {
        Map<String, Object> intrinsic = SamTemplate.map(value);
        if (intrinsic.size() != 1) {
            return value;
        }
        Object argument = intrinsic.values().iterator().next();
        return switch (intrinsic.keySet().iterator().next()) {
            case "Ref" -> ref(String.valueOf(argument));
            case "Fn::GetAtt" -> getAtt(argument);
            case "Fn::Sub" -> sub(argument);
            case "Fn::If" -> {
                List<Object> branches = SamTemplate.list(argument);
                yield resolve(condition(String.valueOf(branches.get(0))) ? branches.get(1) : branches.get(2));
            }
            default -> value;
        };
    }

    private String ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return null;
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        if (template.parameters().containsKey(name)) {
            return name; // a parameter without default or override: its own name
        }
        // a resource: its logical id (an alias reference too: SAM resolves it no further locally)
        return name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    }

    private Object getAtt(Object argument) {
        List<String> parts = argument instanceof String text
                ? List.of(text.split("\\.", 2))
                : SamTemplate.list(argument).stream().map(String::valueOf).toList();
        return parts.get(1).equals("Arn")
                ? "arn:aws:lambda:us-east-1:123456789012:function:" + parts.get(0)
                : Map.of("Fn::GetAtt", argument);
    }

    private String sub(Object argument) {
        String text = String.valueOf(argument instanceof List<?> list ? list.get(0) : argument);
        Matcher variables = SUB.matcher(text);
        StringBuilder out = new StringBuilder();
        while (variables.find()) {
            String name = variables.group(1);
            Object value = name.contains(".") && !name.startsWith("AWS::") ? getAtt(name) : ref(name);
            variables.appendReplacement(out, Matcher.quoteReplacement(value instanceof String s ? s : "$" + name));
        }
        variables.appendTail(out);
        return out.toString();
    }

    private boolean condition(String name) {
        return truth(template.section("Conditions").get(name));
    }

    private boolean truth(Object expression) {
        Map<String, Object> function = SamTemplate.map(expression);
        String operator = function.keySet().iterator().next();
        List<Object> arguments = SamTemplate.list(function.get(operator));
        return switch (operator) {
            case "Fn::Equals" ->
                String.valueOf(resolve(arguments.get(0))).equals(String.valueOf(resolve(arguments.get(1))));
            case "Fn::Not" -> !truth(arguments.get(0));
            case "Fn::And" -> arguments.stream().allMatch(this::truth);
            case "Fn::Or" -> arguments.stream().anyMatch(this::truth);
            case "Condition" -> condition(String.valueOf(function.get(operator)));
            default -> throw new IllegalArgumentException("condition function " + operator);
        };
    }

    /** {@code _stringify_value}: maps, lists and null become "", booleans "true"/"false", the rest its text. */
    static String stringify(Object value) {
        if (value == null || value instanceof Map<?, ?> || value instanceof List<?>) {
            return "";
        }
        if (value instanceof JsonNode node) {
            return node.isContainerNode() || node.isNull() ? "" : node.isTextual() ? node.textValue() : node.toString();
        }
        return String.valueOf(value);
    }

    /** The parameters in effect (defaults and overrides), for tests to read. */
    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}
