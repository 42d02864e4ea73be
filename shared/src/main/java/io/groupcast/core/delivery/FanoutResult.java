package io.groupcast.core.delivery;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts of one fan-out: every recipient is exactly one of delivered, gone, failed or skipped (not attempted
 * because the time budget ran out); {@code failures} says why each failed one did, by status or cause
 * ({@code 403}, {@code 413}, {@code 429}, {@code 5xx}, {@code timeout}, {@code error}, {@code opening}).
 */
public record FanoutResult(
        int recipients, int delivered, int gone, int failed, int skipped, Map<String, Integer> failures) {
    /** A failure of a post answered 410 while the connection was still inside {@code $connect}. */
    public static final String OPENING = "opening";

    /** Nothing sent to no one. */
    public static final FanoutResult NONE = new FanoutResult(0, 0, 0, 0, 0, Map.of());

    public FanoutResult {
        failures = Map.copyOf(failures);
    }

    /** These counts and {@code more}'s, reasons of failure merged. */
    public FanoutResult plus(FanoutResult more) {
        Map<String, Integer> merged = new TreeMap<>(failures);
        more.failures.forEach((reason, count) -> merged.merge(reason, count, Integer::sum));
        return new FanoutResult(
                recipients + more.recipients,
                delivered + more.delivered,
                gone + more.gone,
                failed + more.failed,
                skipped + more.skipped,
                merged);
    }
}
