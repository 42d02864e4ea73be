package io.groupcast.core;

/** The answer to a notify: the fan-out's counts. */
public record NotifyResult(int recipients, int delivered, int gone, int failed) {
    static NotifyResult of(FanoutResult fanout) {
        return new NotifyResult(fanout.recipients(), fanout.delivered(), fanout.gone(), fanout.failed());
    }
}
