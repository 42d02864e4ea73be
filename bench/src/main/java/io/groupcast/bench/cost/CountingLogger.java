package io.groupcast.bench.cost;

import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the bytes the handlers log (CloudWatch Logs bills ingestion per GB). */
final class CountingLogger implements LambdaLogger {
    final AtomicLong bytes = new AtomicLong();

    @Override
    public void log(String message) {
        bytes.addAndGet(message.getBytes(StandardCharsets.UTF_8).length);
    }

    @Override
    public void log(byte[] message) {
        bytes.addAndGet(message.length);
    }
}
