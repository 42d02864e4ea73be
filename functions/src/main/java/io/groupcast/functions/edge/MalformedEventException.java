package io.groupcast.functions.edge;

/** An event without the fields API Gateway always sends: a wiring mistake, logged, never shown to a client. */
public final class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedEventException(String message) {
        super(message);
    }
}
