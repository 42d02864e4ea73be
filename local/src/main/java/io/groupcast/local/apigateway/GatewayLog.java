package io.groupcast.local.apigateway;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** The gateway's own lines (not the functions'): what API Gateway would show in its access and execution logs. */
public record GatewayLog(PrintStream out, boolean quiet) {
    public void info(String message) {
        if (!quiet) {
            line(message);
        }
    }

    public void connection(String id, String what) {
        info("connection " + id + " " + what);
    }

    public void error(String message, Throwable error) {
        line("ERROR " + message + ": " + error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    private void line(String message) {
        synchronized (out) {
            out.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " [gateway] " + message);
        }
    }
}
