package io.groupcast.bench;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** Progress lines on standard error; standard output carries only the JSON results. */
public final class Progress {
    private Progress() {}

    public static void say(String message) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + message);
    }
}
