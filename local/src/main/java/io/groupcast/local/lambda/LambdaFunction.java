package io.groupcast.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.groupcast.core.config.AwsClients;
import io.groupcast.core.config.Environment;
import io.groupcast.core.config.Settings;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.events.LifecycleEvents;
import io.groupcast.core.queue.sqs.SqsSliceQueue;
import io.groupcast.core.store.dynamodb.DynamoDbTable;
import io.groupcast.core.workers.SliceQueue;
import io.groupcast.functions.EventParts;
import io.groupcast.functions.Wiring;
import io.groupcast.functions.WiringBuilder;
import io.groupcast.local.template.SamTemplate;
import io.groupcast.standins.LambdaContext;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * One function of the template, loaded in this JVM the way the Lambda Java runtime loads it: the handler class the
 * template names, events turned into its input type and its output turned into JSON by Lambda's own serializers.
 */
public final class LambdaFunction {
    private final String name;
    private final RequestHandler<Object, Object> handler;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;
    private final Duration timeout;
    private final int memoryMb;
    private final Semaphore concurrency;

    private LambdaFunction(
            String name,
            RequestHandler<Object, Object> handler,
            Class<Object> inputType,
            Class<Object> outputType,
            Duration timeout,
            int memoryMb,
            Semaphore concurrency) {
        this.name = name;
        this.memoryMb = memoryMb;
        this.concurrency = concurrency;
        this.handler = handler;
        ClassLoader loader = handler.getClass().getClassLoader();
        this.input = LambdaEventSerializers.serializerFor(inputType, loader);
        this.output = LambdaEventSerializers.serializerFor(outputType, loader);
        this.timeout = timeout;
    }

    /**
     * Instantiates {@code function}'s handler wired from {@code env}, through its public {@link Wiring} constructor
     * (a local run has one process environment for every function), running at most as many invocations at once as
     * {@code concurrency} has permits (shared by all functions, like an account's Lambda concurrency). Its store does
     * what {@code missingTable} says when the table is missing; its AWS calls are recorded in {@code calls}.
     */
    @SuppressWarnings("unchecked")
    public static LambdaFunction load(
            SamTemplate.Function function,
            Map<String, String> env,
            Duration timeout,
            int memoryMb,
            Semaphore concurrency,
            DynamoDbTable.MissingTable missingTable,
            CalledActions calls) {
        Objects.requireNonNull(env, "env");
        Class<?> type;
        try {
            type = Class.forName(function.handlerClass());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(
                    function.logicalId() + ": handler class " + function.handlerClass() + " is not on the class path",
                    e);
        }
        if (!RequestHandler.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    function.logicalId() + ": " + type.getName() + " does not implement RequestHandler");
        }
        if (!"handleRequest".equals(function.handlerMethod())) {
            throw new IllegalArgumentException(
                    function.logicalId() + ": handler method must be handleRequest, was " + function.handlerMethod());
        }
        Class<?>[] io = requestHandlerTypes(type);
        Object instance;
        try {
            Constructor<?> wired = type.getConstructor(Wiring.class);
            instance = wired.newInstance(wiring(function.logicalId(), env, missingTable, calls));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(function.logicalId() + " failed to start: " + cause.getMessage(), cause);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(
                    function.logicalId() + ": " + type.getName() + " has no public constructor taking a "
                            + Wiring.class.getName(),
                    e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(function.logicalId() + ": cannot construct " + type.getName(), e);
        }
        return new LambdaFunction(
                function.logicalId(),
                (RequestHandler<Object, Object>) instance,
                (Class<Object>) io[0],
                (Class<Object>) io[1],
                timeout,
                memoryMb,
                concurrency);
    }

    /**
     * The function's parts that call AWS, built as {@link Wiring} would but with {@code calls} recording each call:
     * the table (its store doing what {@code missingTable} says), the fan-out queue, the management API.
     */
    private static Wiring wiring(
            String function, Map<String, String> env, DynamoDbTable.MissingTable missingTable, CalledActions calls) {
        Environment environment = Environment.of(env);
        AwsClients clients = AwsClients.from(environment);
        WiringBuilder wiring = Wiring.builder(env);
        environment
                .optional("TABLE_NAME")
                .ifPresent(table -> wiring.with(
                        DynamoDbTable.class,
                        new DynamoDbTable(
                                clients.dynamoDb(calls.interceptor(function, "dynamodb")), table, missingTable)));
        environment
                .optional("FANOUT_QUEUE_URL")
                .ifPresent(queue -> wiring.with(
                        SliceQueue.class, new SqsSliceQueue(clients.sqs(calls.interceptor(function, "sqs")), queue)));
        if (environment.optional("EVENT_BUS_NAME").isPresent()) {
            wiring.with(
                    LifecycleEvents.class,
                    clients.lifecycleEvents(EventParts::lost, calls.interceptor(function, "events")));
        }
        if (environment.optional("MANAGEMENT_API_ENDPOINT").isPresent()) {
            wiring.with(
                    Connections.class,
                    calls.connections(
                            function,
                            () -> clients.connections(
                                    Settings.fanout(environment).maxInFlight())));
        }
        return wiring.build();
    }

    /** The function's logical id. */
    public String name() {
        return name;
    }

    /** Invokes the handler with an event given as JSON and answers its result as JSON. */
    public String invoke(String eventJson) {
        try {
            if (!concurrency.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(name + " throttled: no free concurrency within its timeout");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + " interrupted while waiting for concurrency", e);
        }
        try {
            Object event = input.fromJson(eventJson);
            Object result =
                    handler.handleRequest(event, LambdaContext.of(name, timeout, memoryMb, LocalLogger.INSTANCE));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            output.toJson(result, out);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            concurrency.release();
        }
    }

    private static Class<?>[] requestHandlerTypes(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type generic : c.getGenericInterfaces()) {
                if (generic instanceof ParameterizedType p
                        && p.getRawType() == RequestHandler.class
                        && p.getActualTypeArguments()[0] instanceof Class<?> in
                        && p.getActualTypeArguments()[1] instanceof Class<?> out) {
                    return new Class<?>[] {in, out};
                }
            }
        }
        throw new IllegalArgumentException(
                type.getName() + " must implement RequestHandler<Input, Output> with classes");
    }
}
