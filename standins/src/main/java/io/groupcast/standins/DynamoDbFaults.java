package io.groupcast.standins;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * DynamoDB's faults, injected into a real client (an {@link ExecutionInterceptor}): chosen calls, or a random share of
 * all calls, fail before they are sent with the exception DynamoDB would answer ({@code
 * ProvisionedThroughputExceededException} for throttling, {@code InternalServerError} for an outage). The SDK's own
 * retries see them as they would see DynamoDB's, so a fault that should outlast them must be scripted for more
 * attempts than the SDK makes.
 */
public final class DynamoDbFaults implements ExecutionInterceptor {
    /** What an injected call fails with. */
    public enum Kind {
        THROTTLED,
        UNAVAILABLE
    }

    private record Rule(Predicate<SdkRequest> which, Kind kind, AtomicInteger left) {}

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile double throttledShare;
    private volatile Predicate<SdkRequest> counting = request -> false;
    private final AtomicInteger counted = new AtomicInteger();
    private final Random random = new Random(27);

    /** Throttles this share (0 to 1) of every call, at random. */
    public DynamoDbFaults throttle(double share) {
        this.throttledShare = share;
        return this;
    }

    /** The next {@code times} calls {@code which} matches fail with {@code kind} ({@code Integer.MAX_VALUE}: all). */
    public DynamoDbFaults fail(Predicate<SdkRequest> which, Kind kind, int times) {
        rules.add(new Rule(which, kind, new AtomicInteger(times)));
        return this;
    }

    /** Counts the attempts of the calls {@code which} matches (sent or failed), from now on. */
    public DynamoDbFaults counting(Predicate<SdkRequest> which) {
        this.counting = which;
        return this;
    }

    /** How many attempts of the counted calls were seen. */
    public int counted() {
        return counted.get();
    }

    /** No more faults. */
    public void clear() {
        rules.clear();
        throttledShare = 0;
    }

    /** How many calls failed by injection so far. */
    public int injected() {
        return injected.get();
    }

    /** How many call attempts were seen so far (injected or sent). */
    public int calls() {
        return calls.get();
    }

    /** The post budget's reservations: updates of the item {@code pk=groupcast#rate}. */
    public static Predicate<SdkRequest> budgetUpdates() {
        return request ->
                request instanceof UpdateItemRequest update && "groupcast#rate".equals(stringOf(update.key(), "pk"));
    }

    /** Reads of a group's members ({@code Query} of partition {@code group#{group}}). */
    public static Predicate<SdkRequest> groupReads(String group) {
        return request -> request instanceof QueryRequest query
                && ("group#" + group).equals(stringOf(query.expressionAttributeValues(), ":pk"));
    }

    private static String stringOf(Map<String, AttributeValue> values, String name) {
        AttributeValue value = values == null ? null : values.get(name);
        return value == null ? null : value.s();
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        calls.incrementAndGet();
        SdkRequest request = context.request();
        if (counting.test(request)) {
            counted.incrementAndGet();
        }
        for (Rule rule : rules) {
            if (rule.which().test(request) && rule.left().getAndDecrement() > 0) {
                throw fault(rule.kind());
            }
        }
        double share = throttledShare;
        if (share > 0) {
            boolean hit;
            synchronized (random) {
                hit = random.nextDouble() < share;
            }
            if (hit) {
                throw fault(Kind.THROTTLED);
            }
        }
    }

    private DynamoDbException fault(Kind kind) {
        injected.incrementAndGet();
        if (kind == Kind.THROTTLED) {
            return (DynamoDbException) ProvisionedThroughputExceededException.builder()
                    .message("injected: the request rate is too high")
                    .statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("ProvisionedThroughputExceededException")
                            .errorMessage("injected throttling")
                            .serviceName("DynamoDb")
                            .build())
                    .build();
        }
        return (DynamoDbException) InternalServerErrorException.builder()
                .message("injected: internal server error")
                .statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InternalServerError")
                        .errorMessage("injected outage")
                        .serviceName("DynamoDb")
                        .build())
                .build();
    }
}
