package io.groupcast.client;

/**
 * What a send did: every live recipient is exactly one of delivered, gone (its connection had closed, now forgotten),
 * failed or skipped (the server API ran out of time); and how long the fan-out took.
 */
public record SendResult(int recipients, int delivered, int gone, int failed, int skipped, long elapsedMs) {}
