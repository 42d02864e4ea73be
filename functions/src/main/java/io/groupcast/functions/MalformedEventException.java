package io.groupcast.functions;

/** An event without the fields API Gateway always sends: a wiring mistake, logged, never shown to a client. */
final class MalformedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MalformedEventException(String message) {
        super(message);
    }
}
