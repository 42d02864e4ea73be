package io.groupcast.core;

/** A client's mistake: carries the HTTP status, a stable error code and a sentence for the client. */
public class RequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    public RequestException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    /** 400 with the given code. */
    public static RequestException badRequest(String code, String message) {
        return new RequestException(400, code, message);
    }

    /** HTTP status that answers this error. */
    public int status() {
        return status;
    }

    /** Stable machine-readable error code, e.g. {@code invalid_group}. */
    public String code() {
        return code;
    }
}
