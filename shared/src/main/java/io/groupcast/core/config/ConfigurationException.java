package io.groupcast.core.config;

/** A missing or invalid environment variable; thrown at start, naming the variable. */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }
}
