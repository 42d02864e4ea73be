package io.groupcast.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One cold start, in its own JVM: load and construct the handler (Lambda's init), turn the event into its input type,
 * invoke it once, print {@code done <peak RSS kB> <output>} and exit. The parent times the whole process.
 */
public final class ColdStartChild {
    private ColdStartChild() {}

    /** {@code ColdStartChild HANDLER_CLASS EVENT_FILE groupcast|baseline}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void main(String[] args) throws Exception {
        String handlerClass = args[0];
        String event = Files.readString(Path.of(args[1]));
        RequestHandler handler = "baseline".equals(args[2])
                ? (RequestHandler) Class.forName("io.groupcast.bench.BaselineHandlers")
                        .getMethod("create", String.class)
                        .invoke(null, handlerClass)
                : (RequestHandler) Class.forName(handlerClass).getConstructor().newInstance();
        Class<?>[] types = types(handler.getClass());
        PojoSerializer input = LambdaEventSerializers.serializerFor(types[0], ColdStartChild.class.getClassLoader());
        PojoSerializer output = LambdaEventSerializers.serializerFor(types[1], ColdStartChild.class.getClassLoader());
        // no Lambda context: the handlers log to standard output, which the parent reads past until "done"
        Object result = handler.handleRequest(input.fromJson(event), null);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        output.toJson(result, out);
        System.out.println("done " + peakRssKb() + " "
                + out.toString(StandardCharsets.UTF_8).replace('\n', ' '));
        System.out.flush();
        System.exit(0);
    }

    private static Class<?>[] types(Class<?> type) {
        for (Type generic : type.getGenericInterfaces()) {
            if (generic instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                return new Class<?>[] {
                    (Class<?>) p.getActualTypeArguments()[0], (Class<?>) p.getActualTypeArguments()[1]
                };
            }
        }
        throw new IllegalArgumentException(type + " is not a RequestHandler");
    }

    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return -1;
    }
}
