package io.groupcast.core.delivery;

import java.util.Map;

/**
 * Counts of one fan-out: every recipient is exactly one of delivered, gone, failed or skipped (not attempted
 * because the time budget ran out); {@code failures} says why each failed one did, by status or cause
 * ({@code 403}, {@code 413}, {@code 429}, {@code 5xx}, {@code timeout}, {@code error}, {@code opening}).
 */
public record FanoutResult(
        int recipients, int delivered, int gone, int failed, int skipped, Map<String, Integer> failures) {
    /** A failure of a post answered 410 while the connection was still inside {@code $connect}. */
    public static final String OPENING = "opening";

    public FanoutResult {
        failures = Map.copyOf(failures);
    }
}
