package io.groupcast.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.groupcast.core.delivery.FanoutResult;
import java.util.Map;

/**
 * The answer to a notify: the fan-out's counts and how long it took; {@code failures} (why the failed ones failed,
 * for the logs) is not part of the answer.
 */
public record NotifyResult(
        int recipients,
        int delivered,
        int gone,
        int failed,
        int skipped,
        long elapsedMs,
        @JsonIgnore Map<String, Integer> failures) {
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
                fanout.failures());
    }
}
