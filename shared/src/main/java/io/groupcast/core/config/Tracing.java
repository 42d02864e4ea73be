package io.groupcast.core.config;

import com.amazonaws.xray.interceptors.TracingInterceptor;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * X-Ray tracing of the SDK's calls (DynamoDB): on when {@code TRACING} is {@code Active} (the template's Tracing
 * parameter) and the function runs where Lambda provides the X-Ray daemon ({@code AWS_XRAY_DAEMON_ADDRESS}); locally
 * and in tests it stays off, so nothing reports a missing trace context.
 */
public final class Tracing {
    private Tracing() {}

    /** Whether SDK calls are traced in this environment. */
    public static boolean enabled(Environment env) {
        return "Active".equals(env.optional("TRACING").orElse(""))
                && env.optional("AWS_XRAY_DAEMON_ADDRESS").isPresent();
    }

    /** The X-Ray SDK's interceptor, which records each SDK call as a subsegment of the invocation's trace. */
    static ExecutionInterceptor interceptor() {
        return new TracingInterceptor();
    }
}
