package io.groupcast.local.lambda;

import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.PostOutcome;
import io.groupcast.core.model.ConnectionId;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The AWS actions each function called while the gateway ran, by logical id, as IAM names them:
 * {@code dynamodb:GetItem}, {@code sqs:SendMessage} (a batch is its single action's), and
 * {@code execute-api:ManageConnections/POST}, with the method its resource ARN names. A call a function's policy in
 * template.yaml lacks fails only on AWS; a test holds these against the policies.
 */
public final class CalledActions {
    /** What Lambda calls with a function's role to poll an SQS queue for it (an event source mapping). */
    private static final Set<String> POLLING =
            Set.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes");

    private final Map<String, Set<String>> byFunction = new ConcurrentHashMap<>();

    /** Records that {@code function} called {@code action}. */
    public void record(String function, String action) {
        byFunction.computeIfAbsent(function, f -> ConcurrentHashMap.newKeySet()).add(action);
    }

    /** Records what Lambda calls with {@code function}'s role while it polls a queue for it. */
    public void polled(String function) {
        POLLING.forEach(action -> record(function, action));
    }

    /** The actions called so far, by function, sorted. */
    public Map<String, Set<String>> byFunction() {
        Map<String, Set<String>> copy = new TreeMap<>();
        byFunction.forEach((function, actions) -> copy.put(function, new TreeSet<>(actions)));
        return copy;
    }

    /** Records each call an SDK client of {@code service} (IAM's prefix: {@code dynamodb}, {@code sqs}) makes. */
    ExecutionInterceptor interceptor(String function, String service) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
                if ("sqs".equals(service) && operation.endsWith("Batch")) {
                    operation = operation.substring(0, operation.length() - "Batch".length());
                }
                record(function, service + ":" + operation);
            }
        };
    }

    /** {@code connections} (built on first use, as the function would), recording each call by its method. */
    Connections connections(String function, Supplier<Connections> connections) {
        return new Recorded(function, connections);
    }

    /** Connections that record each call before making it. */
    private final class Recorded implements Connections {
        private final String function;
        private final Supplier<Connections> build;
        private volatile Connections connections;

        Recorded(String function, Supplier<Connections> build) {
            this.function = function;
            this.build = build;
        }

        private Connections calling(String method) {
            record(function, "execute-api:ManageConnections/" + method);
            return target();
        }

        private Connections target() {
            Connections built = connections;
            if (built == null) {
                synchronized (this) {
                    if (connections == null) {
                        connections = build.get();
                    }
                    built = connections;
                }
            }
            return built;
        }

        @Override
        public CompletableFuture<PostOutcome> post(ConnectionId connection, byte[] payload) {
            return calling("POST").post(connection, payload);
        }

        @Override
        public CompletableFuture<PostOutcome> close(ConnectionId connection) {
            return calling("DELETE").close(connection);
        }

        @Override
        public CompletableFuture<PostOutcome> check(ConnectionId connection) {
            return calling("GET").check(connection);
        }

        @Override
        public void prime() {
            target().prime();
        }
    }
}
