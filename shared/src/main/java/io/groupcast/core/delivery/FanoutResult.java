package io.groupcast.core.delivery;

/**
 * Counts of one fan-out: every recipient is exactly one of delivered, gone, failed or skipped (not attempted
 * because the time budget ran out).
 */
public record FanoutResult(int recipients, int delivered, int gone, int failed, int skipped) {}
