package io.groupcast.local;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Function logs of a local run: written to standard error, one line each, as CloudWatch would show them. */
final class LocalLogger implements LambdaLogger {
    static final LocalLogger INSTANCE = new LocalLogger();

    private final PrintStream out = System.err;

    private LocalLogger() {
    }

    @Override
    public void log(String message) {
        String line = message.endsWith("\n") ? message.substring(0, message.length() - 1) : message;
        synchronized (out) {
            out.println(line);
        }
    }

    @Override
    public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
    }
}
