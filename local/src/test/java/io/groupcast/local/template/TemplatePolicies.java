package io.groupcast.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The inline IAM policies template.yaml gives a function, read as IAM reads them (both branches of an Fn::If). */
public final class TemplatePolicies {
    private static final String MANAGE_CONNECTIONS = "execute-api:ManageConnections";

    private TemplatePolicies() {}

    /**
     * The policy documents a function may get: both branches of a conditional ({@code Fn::If}) count, and the
     * {@code AWS::NoValue} branch is none.
     */
    static List<Object> documents(Object policies) {
        List<Object> documents = new ArrayList<>();
        for (Object policy : SamTemplate.list(policies)) {
            Map<String, Object> document = SamTemplate.map(policy);
            if (document.containsKey("Fn::If")) {
                List<Object> branches = SamTemplate.list(document.get("Fn::If"));
                branches.stream()
                        .skip(1)
                        .filter(branch -> !"AWS::NoValue".equals(Intrinsics.refTarget(branch)))
                        .forEach(documents::add);
            } else {
                documents.add(policy);
            }
        }
        return documents;
    }

    /** Each action a function's {@code Allow} statements name, with the resources they allow it on. */
    public static Map<String, List<Object>> allowed(SamTemplate.Function function) {
        Map<String, List<Object>> allowed = new LinkedHashMap<>();
        for (Object policy : documents(function.properties().get("Policies"))) {
            for (Object raw : SamTemplate.list(SamTemplate.map(policy).get("Statement"))) {
                Map<String, Object> statement = SamTemplate.map(raw);
                if ("Allow".equals(statement.get("Effect"))) {
                    for (Object action : SamTemplate.list(statement.get("Action"))) {
                        allowed.computeIfAbsent(String.valueOf(action), a -> new ArrayList<>())
                                .addAll(SamTemplate.list(statement.get("Resource")));
                    }
                }
            }
        }
        return allowed;
    }

    /**
     * Whether {@code function}'s policies allow a call the local gateway recorded: {@code service:Operation}, or
     * {@code execute-api:ManageConnections/METHOD}, allowed only on a resource for that method's
     * {@code .../METHOD/@connections/*}.
     */
    public static boolean allows(SamTemplate.Function function, String call) {
        Map<String, List<Object>> allowed = allowed(function);
        if (!call.startsWith(MANAGE_CONNECTIONS + "/")) {
            return allowed.containsKey(call);
        }
        String method = call.substring(MANAGE_CONNECTIONS.length() + 1);
        return allowed.getOrDefault(MANAGE_CONNECTIONS, List.of()).stream()
                .map(resource -> String.valueOf(SamTemplate.map(resource).get("Fn::Sub")))
                .anyMatch(arn -> arn.endsWith("/" + method + "/@connections/*"));
    }
}
