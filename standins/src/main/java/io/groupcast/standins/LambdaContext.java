package io.groupcast.standins;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * The Lambda context of one invocation outside Lambda (the local gateway, tests, the benchmark): the function's name,
 * a deadline {@code timeout} from now, a fresh request id and the logger its lines go to.
 */
public final class LambdaContext implements Context {
    private final String function;
    private final String requestId = UUID.randomUUID().toString();
    private final long deadline;
    private final int memoryMb;
    private final LambdaLogger logger;

    private LambdaContext(String function, Duration timeout, int memoryMb, LambdaLogger logger) {
        this.function = Objects.requireNonNull(function, "function");
        this.deadline = System.currentTimeMillis() + timeout.toMillis();
        this.memoryMb = memoryMb;
        this.logger = Objects.requireNonNull(logger, "logger");
    }

    /** An invocation of {@code function} that must end within {@code timeout}, logging to {@code logger}. */
    public static LambdaContext of(String function, Duration timeout, int memoryMb, LambdaLogger logger) {
        return new LambdaContext(function, timeout, memoryMb, logger);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + function;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return function;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:" + function;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadline - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
