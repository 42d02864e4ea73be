package io.groupcast.core;

import io.groupcast.core.delivery.FanoutResult;

/** The answer to a notify: the fan-out's counts and how long it took. */
public record NotifyResult(int recipients, int delivered, int gone, int failed, int skipped, long elapsedMs) {
    static NotifyResult of(FanoutResult fanout, long elapsedMs) {
        return new NotifyResult(
                fanout.recipients(), fanout.delivered(), fanout.gone(), fanout.failed(), fanout.skipped(), elapsedMs);
    }
}
