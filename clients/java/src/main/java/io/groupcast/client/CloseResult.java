package io.groupcast.client;

/** What closing connections did: closed, already gone, failed, or not attempted for lack of time. */
public record CloseResult(int closed, int gone, int failed, int skipped) {}
