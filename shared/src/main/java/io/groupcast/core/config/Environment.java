package io.groupcast.core.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Read access to environment variables with messages that name the variable. */
public final class Environment {
    private final Map<String, String> variables;

    private Environment(Map<String, String> variables) {
        this.variables = Map.copyOf(variables);
    }

    /** The environment given, e.g. {@link System#getenv()} or a template's variables. */
    public static Environment of(Map<String, String> variables) {
        return new Environment(Objects.requireNonNull(variables, "variables"));
    }

    /** A variable that must be set and non-blank. */
    public String required(String name) {
        return optional(name)
                .orElseThrow(
                        () -> new ConfigurationException("environment variable " + name + " is required but not set"));
    }

    /**
     * A variable that may be absent; blank counts as absent. Its value is exactly what was set: never trimmed, so a
     * secret is never silently changed.
     */
    public Optional<String> optional(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** A whole number in {@code [min, max]}, or {@code fallback} when unset. */
    public int integer(String name, int fallback, int min, int max) {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.get().trim());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigurationException("environment variable " + name + " must be a whole number from " + min
                    + " to " + max + ", was '" + value.get() + "'");
        }
    }
}
