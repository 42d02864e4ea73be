package io.groupcast.core.notify;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.groupcast.core.delivery.FanoutResult;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to a notify: the fan-out's counts and how long it took; {@code failures} (why the failed ones failed,
 * for the logs) is not part of the answer. {@code notificationId} is there when the workers deliver (the rest of) it.
 */
public record NotifyResult(
        int recipients,
        int delivered,
        int gone,
        int failed,
        int skipped,
        long elapsedMs,
        @JsonIgnore Map<String, Integer> failures,
        @JsonIgnore Optional<String> notificationId) {
    public NotifyResult {
        failures = Map.copyOf(failures);
    }

    /** The fan-out's counts. */
    @JsonIgnore
    public FanoutResult fanout() {
        return new FanoutResult(recipients, delivered, gone, failed, skipped, failures);
    }

    static NotifyResult of(FanoutResult fanout, long elapsedMs) {
        return new NotifyResult(
                fanout.recipients(),
                fanout.delivered(),
                fanout.gone(),
                fanout.failed(),
                fanout.skipped(),
                elapsedMs,
                fanout.failures(),
                Optional.empty());
    }

    /** Handed to the workers whole: nothing delivered yet. */
    static NotifyResult accepted(String notificationId, long elapsedMs) {
        return new NotifyResult(0, 0, 0, 0, 0, elapsedMs, Map.of(), Optional.of(notificationId));
    }

    /** These counts so far, the rest handed to the workers as {@code notificationId}. */
    NotifyResult handedOff(String notificationId) {
        return new NotifyResult(
                recipients, delivered, gone, failed, skipped, elapsedMs, failures, Optional.of(notificationId));
    }
}
