package io.groupcast.core.handlers.lambda;

import io.groupcast.core.handlers.EventHandler;
import io.groupcast.core.handlers.HandlerFailedException;
import io.groupcast.core.handlers.HandlerTimeoutException;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;

/**
 * The event handler as a Lambda function ({@code EventHandlerFunctionArn}), invoked synchronously with the input as its
 * event; its return value is the reply. Called once per event, never retried (a retry could run the handler twice).
 * Lambda's answers are translated here: a function error ({@code X-Amz-Function-Error}) or a failed call is
 * {@link HandlerFailedException}, a call past its timeout or the function's own timeout is
 * {@link HandlerTimeoutException}.
 */
public final class LambdaEventHandler implements EventHandler {
    /** The most characters of a function error kept for the logs. */
    private static final int LOGGED = 300;

    private final LambdaClient lambda;
    private final String function;

    /** Invokes {@code function} (an ARN, or a name) with {@code lambda}, a client that does not retry. */
    public LambdaEventHandler(LambdaClient lambda, String function) {
        this.lambda = Objects.requireNonNull(lambda, "lambda");
        this.function = Objects.requireNonNull(function, "function");
    }

    @Override
    public String call(byte[] input, Duration timeout) {
        InvokeResponse response;
        try {
            response = lambda.invoke(request -> request.functionName(function)
                    .invocationType(InvocationType.REQUEST_RESPONSE)
                    .payload(SdkBytes.fromByteArray(input))
                    .overrideConfiguration(call -> call.apiCallTimeout(timeout).apiCallAttemptTimeout(timeout)));
        } catch (ApiCallTimeoutException | ApiCallAttemptTimeoutException e) {
            throw new HandlerTimeoutException(
                    "the handler " + function + " did not answer within " + timeout.toMillis() + " ms", e);
        } catch (SdkException e) {
            throw new HandlerFailedException("cannot invoke the handler " + function + ": " + e.getMessage(), e);
        }
        String payload = response.payload() == null ? "" : response.payload().asUtf8String();
        if (response.functionError() != null) {
            String error = payload.length() > LOGGED ? payload.substring(0, LOGGED) + "..." : payload;
            if (payload.contains("Task timed out") || payload.contains("Sandbox.Timedout")) {
                throw new HandlerTimeoutException("the handler " + function + " timed out: " + error, null);
            }
            throw new HandlerFailedException(
                    "the handler " + function + " failed (" + response.functionError() + "): " + error);
        }
        return payload;
    }
}
