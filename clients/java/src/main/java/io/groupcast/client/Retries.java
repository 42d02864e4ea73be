package io.groupcast.client;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a call to its end: attempts, each within its time, retried while that is both safe and worth it. Safe: the call
 * is repeatable (GET, PUT, DELETE, or a POST with an idempotency key), or the server did not run it (429, or no
 * connection made). Worth it: 429, 5xx, 409 {@code request_in_progress} and no answer. Waits as {@code Retry-After}
 * says, else a random time up to the base delay doubled per attempt and capped (full jitter).
 */
final class Retries {
    private static final Logger LOG = LoggerFactory.getLogger(GroupcastClient.class);

    /** How many retries, how long between them, and how long a call and each attempt may take. */
    record Policy(
            int maxRetries,
            Duration baseDelay,
            Duration maxDelay,
            Optional<Duration> callTimeout,
            Optional<Duration> attemptTimeout) {}

    private final Transport transport;
    private final Policy policy;

    Retries(Transport transport, Policy policy) {
        this.transport = transport;
        this.policy = policy;
    }

    /** The answer of the first attempt that succeeds; the last failure once retrying is unsafe, useless or over. */
    Transport.Answer run(Transport.Call call) {
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            Optional<Duration> left = left(started);
            if (left.isPresent() && (left.get().isNegative() || left.get().isZero())) {
                throw callTimeout(attempt - 1);
            }
            Optional<Duration> limit = shorter(policy.attemptTimeout(), left);
            long sent = System.nanoTime();
            Optional<Transport.Answer> answer = Optional.empty();
            GroupcastException failure;
            boolean retryable;
            try {
                answer = Optional.of(transport.send(call, limit));
                if (answer.get().ok()) {
                    log(call, attempt, answer, "ok", sent, Optional.empty());
                    return answer.get();
                }
                failure = Answers.refusal(answer.get());
                retryable = retryable(call, failure);
            } catch (IOException e) {
                boolean callEnded = e instanceof Transport.TimedOut && limit.equals(left);
                failure = callEnded ? callTimeout(attempt) : noAnswer(e, attempt);
                retryable = !callEnded && (call.repeatable() || e instanceof ConnectException);
            }
            Optional<Duration> delay =
                    retryable && attempt <= policy.maxRetries() ? delay(attempt, answer, started) : Optional.empty();
            log(call, attempt, answer, failure.code(), sent, delay);
            if (delay.isEmpty()) {
                throw failure;
            }
            sleep(delay.get());
        }
    }

    private static boolean retryable(Transport.Call call, GroupcastException failure) {
        return failure.status() == 429
                || failure.code().equals("request_in_progress")
                || (failure.status() >= 500 && call.repeatable());
    }

    /** The wait before the next attempt, or nothing when it would pass the cap or the call's end. */
    private Optional<Duration> delay(int attempt, Optional<Transport.Answer> answer, long started) {
        Duration wait = answer.flatMap(Transport.Answer::retryAfter).orElseGet(() -> jitter(attempt));
        Optional<Duration> left = left(started);
        if (wait.compareTo(policy.maxDelay()) > 0 || left.isPresent() && wait.compareTo(left.get()) >= 0) {
            return Optional.empty();
        }
        return Optional.of(wait);
    }

    /** Full jitter: anything from 0 to the base delay doubled per attempt, at most the cap. */
    Duration jitter(int attempt) {
        long ceiling = Math.min(
                policy.maxDelay().toMillis(), policy.baseDelay().toMillis() * (1L << Math.min(attempt - 1, 30)));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    private GroupcastException noAnswer(IOException e, int attempt) {
        String code = e instanceof Transport.TimedOut ? "attempt_timeout" : "unreachable";
        return new GroupcastException(
                code,
                0,
                "the server API at " + transport.endpoint() + " did not answer attempt " + attempt + ": "
                        + e.getMessage(),
                e);
    }

    private GroupcastException callTimeout(int attempts) {
        return new GroupcastException(
                "call_timeout",
                0,
                "the call took longer than its timeout of "
                        + policy.callTimeout().orElseThrow().toMillis() + " ms (" + attempts + " attempt(s))",
                null);
    }

    /** What is left of the call's time, if it has a timeout. */
    private Optional<Duration> left(long started) {
        return policy.callTimeout().map(timeout -> timeout.minus(since(started)));
    }

    private static Optional<Duration> shorter(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.or(() -> b);
        }
        return Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
    }

    private static Duration since(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos);
    }

    private static void log(
            Transport.Call call,
            int attempt,
            Optional<Transport.Answer> answer,
            String outcome,
            long sent,
            Optional<Duration> retryIn) {
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "groupcast attempt method={} path={} attempt={} status={} outcome={} requestId={} elapsedMs={}"
                            + " retryInMs={}",
                    call.method(),
                    call.path(),
                    attempt,
                    answer.map(Transport.Answer::status).orElse(0),
                    outcome,
                    answer.flatMap(Transport.Answer::requestId).orElse("-"),
                    since(sent).toMillis(),
                    retryIn.map(Duration::toMillis).map(String::valueOf).orElse("-"));
        }
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GroupcastException("interrupted", 0, "interrupted while waiting to retry", e);
        }
    }
}
