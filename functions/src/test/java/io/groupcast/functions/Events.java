package io.groupcast.functions;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.groupcast.core.testing.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;

/** Loads the samples in events/ through Lambda's own serializer, as the runtime would hand them to a handler. */
final class Events {
    private Events() {
    }

    static <T> T load(String file, Class<T> type) {
        try {
            String json = Files.readString(ProjectRoot.get().resolve("events").resolve(file));
            return LambdaEventSerializers.serializerFor(type, Events.class.getClassLoader()).fromJson(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
