package io.groupcast.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads template.yaml and fails on any grant wider than Groupcast needs: wildcard actions or resources, managed or
 * templated policies, DynamoDB actions a function does not use (a reader with write access), ManageConnections
 * beyond this API's stage, or a server route that is not AWS_IAM.
 */
class LeastPrivilegeTest {
    /** The DynamoDB actions each function needs; anything else is a finding. */
    static final Map<String, Set<String>> DYNAMODB = Map.of(
            "AuthorizeFunction", Set.of(),
            "ConnectFunction",
                    Set.of(
                            "dynamodb:PutItem",
                            "dynamodb:Query",
                            "dynamodb:DeleteItem",
                            "dynamodb:UpdateItem",
                            "dynamodb:BatchWriteItem"),
            "DisconnectFunction", Set.of("dynamodb:Query", "dynamodb:DeleteItem"),
            "MessageFunction",
                    Set.of(
                            "dynamodb:PutItem",
                            "dynamodb:DeleteItem",
                            "dynamodb:Query",
                            "dynamodb:UpdateItem",
                            "dynamodb:GetItem"),
            "NotifyFunction",
                    Set.of("dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem"),
            "FanoutWorkerFunction",
                    Set.of(
                            "dynamodb:Query",
                            "dynamodb:GetItem",
                            "dynamodb:PutItem",
                            "dynamodb:DeleteItem",
                            "dynamodb:UpdateItem"));
    /** The functions that post to connections. */
    static final Set<String> POSTERS = Set.of("MessageFunction", "NotifyFunction", "FanoutWorkerFunction");

    /** The SQS actions each function needs, on the fan-out queue only: notify sends, the workers also consume. */
    static final Map<String, Set<String>> SQS = Map.of(
            "NotifyFunction", Set.of("sqs:SendMessage"),
            "FanoutWorkerFunction",
                    Set.of(
                            "sqs:SendMessage",
                            "sqs:ReceiveMessage",
                            "sqs:DeleteMessage",
                            "sqs:ChangeMessageVisibility",
                            "sqs:GetQueueAttributes"));

    static final String CONNECTIONS_ARN =
            "arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${WebSocketApi}/${StageName}/POST/@connections/*";
    /** Closing connections and checking them (presence): only the server API. */
    static final Set<String> SERVER_ARNS =
            Set.of(CONNECTIONS_ARN.replace("/POST/", "/DELETE/"), CONNECTIONS_ARN.replace("/POST/", "/GET/"));

    static final Set<String> CLOSERS = Set.of("NotifyFunction");

    /** The authorizer's grant on the token secret, as the template writes it. */
    static final String SECRET_RESOURCE =
            Pattern.quote("Resource: !If [GeneratesJwtSecret, !Ref GeneratedJwtSecret, !Ref JwtSecretArn]");

    /** Invoking the event handler: client events and the connect hook, each only when the stack names a handler. */
    static final Set<String> INVOKERS = Set.of("MessageFunction", "ConnectFunction");

    /** The conditions an invoke grant may stand under: a handler is named (and, for $connect, the hook is on). */
    static final Set<String> INVOKE_CONDITIONS = Set.of("HasEventHandler", "HooksConnect");

    /** The one bus lifecycle events may go to: the one {@code EventBusName} names. */
    static final String BUS_ARN =
            "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${EventBusName}";

    /** The functions that put lifecycle events. */
    static final Set<String> PUBLISHERS =
            Set.of("ConnectFunction", "DisconnectFunction", "MessageFunction", "NotifyFunction");

    /** Reading the token secret: only the authorizer. */
    static final Set<String> SECRET_READERS = Set.of("AuthorizeFunction");

    @Test
    void shouldGrantEachFunctionOnlyWhatItUses() {
        SamTemplate template = SamTemplate.read(ProjectRoot.get().resolve("template.yaml"));

        assertThat(findings(template)).isEmpty();
        assertThat(template.functions().keySet()).containsExactlyInAnyOrderElementsOf(DYNAMODB.keySet());
    }

    @Test
    void shouldCatchEveryKindOfOverGrant(@TempDir Path dir) throws IOException {
        String base = Files.readString(ProjectRoot.get().resolve("template.yaml"));
        Map<String, String> mutations = new HashMap<>(Map.of(
                "wildcard action", base.replaceFirst("- dynamodb:PutItem", "- dynamodb:*"),
                "wildcard resource", base.replaceFirst("Resource: !GetAtt MembershipTable.Arn", "Resource: '*'"),
                "reader gets a write",
                        base.replaceFirst(
                                "- dynamodb:Query\n                - dynamodb:DeleteItem",
                                "- dynamodb:Query\n                - dynamodb:BatchWriteItem\n                - dynamodb:DeleteItem"),
                "any stage", base.replaceFirst("/\\$\\{StageName}/POST/@connections/\\*", "/*"),
                "managed policy",
                        base.replaceFirst("      Policies:\n", "      Policies:\n        - AmazonDynamoDBFullAccess\n"),
                "open notify route", base.replaceFirst("Authorizer: AWS_IAM", "Authorizer: NONE"),
                "any secret", base.replaceFirst(SECRET_RESOURCE, "Resource: '*'"),
                "another secret",
                        base.replaceFirst(
                                SECRET_RESOURCE,
                                Matcher.quoteReplacement("Resource: !If [GeneratesJwtSecret, !Ref GeneratedJwtSecret,"
                                        + " !Sub 'arn:${AWS::Partition}:secretsmanager:${AWS::Region}:"
                                        + "${AWS::AccountId}:secret:other']")),
                "secret read beside the grant",
                        base.replaceFirst(
                                "- secretsmanager:GetSecretValue",
                                "- secretsmanager:GetSecretValue\n                  - secretsmanager:PutSecretValue")));
        mutations.put(
                "another queue",
                base.replaceFirst("Resource: !GetAtt FanoutQueue.Arn", "Resource: !GetAtt FanoutDeadLetterQueue.Arn"));
        mutations.put("a queue admin", base.replaceFirst("- sqs:SendMessage # slices", "- sqs:PurgeQueue # slices"));
        mutations.put("any bus", base.replaceFirst("event-bus/\\$\\{EventBusName}", "event-bus/*"));
        mutations.put("another bus", base.replaceFirst("event-bus/\\$\\{EventBusName}", "event-bus/other"));
        mutations.put(
                "a bus admin",
                base.replaceFirst("- events:PutEvents # Connected", "- events:DeleteEventBus # Connected"));
        mutations.put(
                "events without a bus",
                base.replaceFirst("- HasEventBus\n          - Statement:", "- HasAlarmEmail\n          - Statement:"));
        mutations.put("any function", base.replaceFirst("Resource: !Ref EventHandlerFunctionArn", "Resource: '*'"));
        mutations.put(
                "another function",
                base.replaceFirst("Resource: !Ref EventHandlerFunctionArn", "Resource: !GetAtt NotifyFunction.Arn"));
        mutations.put(
                "a handler admin",
                base.replaceFirst(
                        "- lambda:InvokeFunction # client events", "- lambda:UpdateFunctionCode # client events"));
        mutations.put(
                "an invoke without a handler",
                base.replaceFirst(
                        "- HasEventHandler\n          - Statement:\n              - Effect: Allow\n"
                                + "                Action:\n                  - lambda:InvokeFunction",
                        "- HasAlarmEmail\n          - Statement:\n              - Effect: Allow\n"
                                + "                Action:\n                  - lambda:InvokeFunction"));
        for (Map.Entry<String, String> mutation : mutations.entrySet()) {
            assertThat(mutation.getValue()).as(mutation.getKey()).isNotEqualTo(base);
            Path file = dir.resolve(mutation.getKey().replace(' ', '-') + ".yaml");
            Files.writeString(file, mutation.getValue());

            assertThat(findings(SamTemplate.read(file))).as(mutation.getKey()).isNotEmpty();
        }
    }

    @Test
    void shouldAdmitOnlyTheStacksFunctionsToTheFanoutQueue() {
        SamTemplate template = SamTemplate.read(ProjectRoot.get().resolve("template.yaml"));

        assertThat(queueFindings(template)).isEmpty();
    }

    @Test
    void shouldCatchAQueueOpenToOthers(@TempDir Path dir) throws IOException {
        String base = Files.readString(ProjectRoot.get().resolve("template.yaml"));
        Map<String, String> mutations = Map.of(
                "no queue policy", base.replace("Type: AWS::SQS::QueuePolicy", "Type: AWS::SNS::TopicPolicy"),
                "a sender more",
                        base.replace(
                                "                  - !GetAtt NotifyFunctionRole.Arn\n",
                                "                  - !GetAtt NotifyFunctionRole.Arn\n"
                                        + "                  - !GetAtt MessageFunctionRole.Arn\n"),
                "sending allowed",
                        base.replace(
                                "Sid: OnlyTheStacksFunctionsSend\n            Effect: Deny",
                                "Sid: OnlyTheStacksFunctionsSend\n            Effect: Allow"));
        for (Map.Entry<String, String> mutation : mutations.entrySet()) {
            assertThat(mutation.getValue()).as(mutation.getKey()).isNotEqualTo(base);
            Path file = dir.resolve(mutation.getKey().replace(' ', '-') + ".yaml");
            Files.writeString(file, mutation.getValue());

            assertThat(queueFindings(SamTemplate.read(file)))
                    .as(mutation.getKey())
                    .isNotEmpty();
        }
    }

    /**
     * The fan-out queue's policy must deny sending to every principal but the roles of the functions that send
     * ({@link #SQS}), and receiving to all but the workers'.
     */
    static List<String> queueFindings(SamTemplate template) {
        Set<String> senders = new TreeSet<>();
        Set<String> receivers = new TreeSet<>();
        SQS.forEach((function, actions) -> {
            if (actions.contains("sqs:SendMessage")) {
                senders.add(function + "Role");
            }
            if (actions.contains("sqs:ReceiveMessage")) {
                receivers.add(function + "Role");
            }
        });
        List<String> findings = new ArrayList<>();
        Map<String, Set<String>> denied = new HashMap<>();
        template.resourcesOfType("AWS::SQS::QueuePolicy").forEach((id, resource) -> {
            Map<String, Object> properties = SamTemplate.map(resource.get("Properties"));
            boolean fanout = SamTemplate.list(properties.get("Queues")).stream()
                    .anyMatch(queue -> "FanoutQueue".equals(Intrinsics.refTarget(queue)));
            if (!fanout) {
                return;
            }
            Map<String, Object> document = SamTemplate.map(properties.get("PolicyDocument"));
            for (Object raw : SamTemplate.list(document.get("Statement"))) {
                Map<String, Object> statement = SamTemplate.map(raw);
                Map<String, Object> unless = SamTemplate.map(
                        SamTemplate.map(statement.get("Condition")).get("ArnNotEquals"));
                Object principals = unless.get("aws:PrincipalArn");
                if (!"Deny".equals(statement.get("Effect"))
                        || !"*".equals(statement.get("Principal"))
                        || principals == null) {
                    continue;
                }
                Set<String> admitted = new TreeSet<>();
                List<Object> listed = principals instanceof List<?> l ? List.copyOf(l) : List.of(principals);
                listed.forEach(principal -> admitted.add(Intrinsics.refTarget(principal)));
                for (Object action : SamTemplate.list(statement.get("Action"))) {
                    denied.put(String.valueOf(action), admitted);
                }
            }
        });
        if (!senders.equals(denied.get("sqs:SendMessage"))) {
            findings.add("FanoutQueue: sending must be denied to all but " + senders + ", was "
                    + denied.get("sqs:SendMessage"));
        }
        for (String action : List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility")) {
            if (!receivers.equals(denied.get(action))) {
                findings.add("FanoutQueue: " + action + " must be denied to all but " + receivers + ", was "
                        + denied.get(action));
            }
        }
        return findings;
    }

    static List<String> findings(SamTemplate template) {
        List<String> findings = new ArrayList<>();
        if (!template.resourcesOfType("AWS::IAM::Role").isEmpty()
                || !template.resourcesOfType("AWS::IAM::Policy").isEmpty()
                || !template.resourcesOfType("AWS::IAM::ManagedPolicy").isEmpty()) {
            findings.add("IAM roles and policies must come from the functions' inline Policies");
        }
        template.functions().forEach((id, function) -> findings.addAll(invokeFindings(id, function)));
        template.functions().forEach((id, function) -> {
            Set<String> dynamo = new TreeSet<>();
            for (Object policy :
                    TemplatePolicies.documents(function.properties().get("Policies"))) {
                Map<String, Object> document = SamTemplate.map(policy);
                if (!(policy instanceof Map<?, ?>) || !document.containsKey("Statement") || document.size() != 1) {
                    findings.add(id + ": only inline statements are allowed, not " + policy);
                    continue;
                }
                for (Object raw : SamTemplate.list(document.get("Statement"))) {
                    Map<String, Object> statement = SamTemplate.map(raw);
                    if (!"Allow".equals(statement.get("Effect"))
                            || statement.containsKey("NotAction")
                            || statement.containsKey("NotResource")) {
                        findings.add(id + ": statements must Allow listed actions on listed resources: " + statement);
                    }
                    List<String> actions = SamTemplate.list(statement.get("Action")).stream()
                            .map(String::valueOf)
                            .toList();
                    for (String action : actions) {
                        if (action.contains("*")) {
                            findings.add(id + ": wildcard action " + action);
                        }
                    }
                    for (Object resource : SamTemplate.list(statement.get("Resource"))) {
                        findings.addAll(resourceFindings(id, actions, resource));
                    }
                    actions.stream().filter(a -> a.startsWith("dynamodb:")).forEach(dynamo::add);
                    actions.stream()
                            .filter(a -> a.startsWith("sqs:")
                                    && !SQS.getOrDefault(id, Set.of()).contains(a))
                            .forEach(a -> findings.add(id + ": " + a + " is more than it uses"));
                    if (actions.contains("execute-api:ManageConnections") && !POSTERS.contains(id)) {
                        findings.add(id + ": does not post, yet may manage connections");
                    }
                }
            }
            Set<String> allowed = DYNAMODB.getOrDefault(id, Set.of());
            for (String action : dynamo) {
                if (!allowed.contains(action)) {
                    findings.add(id + ": " + action + " is more than it uses (" + allowed + ")");
                }
            }
        });
        template.httpRoutes().forEach((key, route) -> {
            if (!route.authorized()) {
                findings.add("HTTP route " + key + " is not AWS_IAM");
            }
        });
        template.resourcesOfType("AWS::Serverless::HttpApi").forEach((id, api) -> {
            Map<String, Object> auth =
                    SamTemplate.map(SamTemplate.map(api.get("Properties")).get("Auth"));
            if (!"AWS_IAM".equals(auth.get("DefaultAuthorizer"))) {
                findings.add(id + ": the default authorizer must be AWS_IAM");
            }
        });
        template.resourcesOfType("AWS::Lambda::Permission").forEach((id, permission) -> {
            Object source = SamTemplate.map(permission.get("Properties")).get("SourceArn");
            List<String> refs = Intrinsics.subReferences(source);
            if (source == null || !refs.contains("WebSocketApi")) {
                findings.add(id + ": invoke permission must be scoped to this WebSocket API, was " + source);
            }
        });
        return findings;
    }

    /**
     * The event handler is invoked only by the functions that call it, only under a condition that it is named, and
     * with nothing but {@code lambda:InvokeFunction}; events are put only under the condition that a bus is named.
     */
    private static List<String> invokeFindings(String id, SamTemplate.Function function) {
        List<String> findings = new ArrayList<>();
        for (Object policy : SamTemplate.list(function.properties().get("Policies"))) {
            List<Object> branches = SamTemplate.list(SamTemplate.map(policy).get("Fn::If"));
            List<String> all = TemplatePolicies.documents(List.of(policy)).stream()
                    .flatMap(document ->
                            SamTemplate.list(SamTemplate.map(document).get("Statement")).stream())
                    .flatMap(statement ->
                            SamTemplate.list(SamTemplate.map(statement).get("Action")).stream())
                    .map(String::valueOf)
                    .toList();
            if (all.contains("events:PutEvents")
                    && (branches.isEmpty() || !"HasEventBus".equals(String.valueOf(branches.get(0))))) {
                findings.add(id + ": events:PutEvents must stand under HasEventBus, not " + policy);
            }
            List<String> lambda =
                    all.stream().filter(action -> action.startsWith("lambda:")).toList();
            if (lambda.isEmpty()) {
                continue;
            }
            if (!INVOKERS.contains(id) || !lambda.stream().allMatch("lambda:InvokeFunction"::equals)) {
                findings.add(id + ": may call the handler only with lambda:InvokeFunction, not " + lambda);
            }
            if (branches.isEmpty() || !INVOKE_CONDITIONS.contains(String.valueOf(branches.get(0)))) {
                findings.add(id + ": lambda:InvokeFunction must stand under " + INVOKE_CONDITIONS + ", not " + policy);
            }
        }
        return findings;
    }

    /** The token secret: the one the stack generates, or the one JwtSecretArn names, whichever is in use. */
    private static boolean isTheTokenSecret(Object resource) {
        List<Object> branches = SamTemplate.list(SamTemplate.map(resource).get("Fn::If"));
        List<Object> choices = branches.isEmpty() ? List.of(resource) : branches.subList(1, branches.size());
        return choices.stream()
                .map(Intrinsics::refTarget)
                .allMatch(target -> "JwtSecretArn".equals(target) || "GeneratedJwtSecret".equals(target));
    }

    private static List<String> resourceFindings(String id, List<String> actions, Object resource) {
        List<String> findings = new ArrayList<>();
        if ("*".equals(resource) || (resource instanceof String s && s.contains("*"))) {
            findings.add(id + ": wildcard resource " + resource + " for " + actions);
            return findings;
        }
        boolean dynamo = actions.stream().anyMatch(a -> a.startsWith("dynamodb:"));
        boolean manage = actions.contains("execute-api:ManageConnections");
        boolean secret = actions.contains("secretsmanager:GetSecretValue");
        boolean sqs = actions.stream().anyMatch(a -> a.startsWith("sqs:"));
        boolean invoke = actions.stream().anyMatch(a -> a.startsWith("lambda:"));
        boolean events = actions.stream().anyMatch(a -> a.startsWith("events:"));
        if (events
                && (!actions.equals(List.of("events:PutEvents"))
                        || !PUBLISHERS.contains(id)
                        || !BUS_ARN.equals(SamTemplate.map(resource).get("Fn::Sub")))) {
            findings.add(id + ": only events:PutEvents on " + BUS_ARN + ", not " + actions + " on " + resource);
        }
        if (invoke && !"EventHandlerFunctionArn".equals(Intrinsics.refTarget(resource))) {
            findings.add(id + ": the handler may be invoked on EventHandlerFunctionArn only, not " + resource);
        }
        if (sqs && !"FanoutQueue".equals(Intrinsics.refTarget(resource))) {
            findings.add(id + ": SQS actions must name the fan-out queue only, not " + resource);
        }
        if (secret && !(actions.size() == 1 && SECRET_READERS.contains(id) && isTheTokenSecret(resource))) {
            findings.add(id + ": Secrets Manager reads must be the authorizer's, of the token secret only, not "
                    + actions + " on " + resource);
        }
        if (dynamo && !"MembershipTable".equals(Intrinsics.refTarget(resource))) {
            findings.add(id + ": DynamoDB actions must name the membership table only, not " + resource);
        }
        if (manage) {
            Object sub = SamTemplate.map(resource).get("Fn::Sub");
            if (!CONNECTIONS_ARN.equals(sub) && !(CLOSERS.contains(id) && SERVER_ARNS.contains(sub))) {
                findings.add(id + ": ManageConnections must be scoped to " + CONNECTIONS_ARN + ", was " + resource);
            }
        }
        if (!dynamo && !manage && !secret && !sqs && !invoke && !events) {
            findings.add(id + ": unexpected grant " + actions + " on " + resource);
        }
        return findings;
    }
}
