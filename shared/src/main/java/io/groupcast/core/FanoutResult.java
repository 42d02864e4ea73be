package io.groupcast.core;

/** Counts of one fan-out: every recipient is exactly one of delivered, gone or failed. */
public record FanoutResult(int recipients, int delivered, int gone, int failed) {
}
