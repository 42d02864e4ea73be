package io.groupcast.core.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** The names Groupcast checks at every edge: what each may contain, how long it may be, and the error it answers. */
public enum Names {
    /** Letters, digits and {@code _ - . @ + = |}: emails, UUIDs, Cognito and Auth0 subjects. */
    USER(
            "[A-Za-z0-9_.@+=|-]+",
            128,
            ErrorCode.INVALID_USER,
            "user",
            "a valid user id",
            ": use 1-128 letters, digits or _ - . @ + = |"),
    /** As user ids, plus {@code :} for namespacing ({@code user:kevin}, {@code room:42}). */
    GROUP(
            "[A-Za-z0-9_.@+=|:-]+",
            256,
            ErrorCode.INVALID_GROUP,
            "group",
            "a valid group name",
            ": use 1-256 letters, digits or _ - . @ + = | :"),
    /** A client event's name: letters, digits and {@code _ - . :} ({@code chat.send}, {@code history}). */
    EVENT(
            "[A-Za-z0-9_.:-]+",
            64,
            ErrorCode.INVALID_EVENT,
            "event",
            "a valid event name",
            ": use 1-64 letters, digits or _ - . :"),
    /** API Gateway connection ids are base64-like ({@code L0SM9cOFvHcCIhw=}). */
    CONNECTION("[A-Za-z0-9_+/=-]+", 128, ErrorCode.INVALID_CONNECTION_ID, "connection id", "a valid connection id", "");

    private final Pattern allowed;
    private final int maxLength;
    private final ErrorCode invalid;
    private final String noun;
    private final String what;
    private final String rule;

    Names(String allowed, int maxLength, ErrorCode invalid, String noun, String what, String rule) {
        this.allowed = Pattern.compile(allowed);
        this.maxLength = maxLength;
        this.invalid = invalid;
        this.noun = noun;
        this.what = what;
        this.rule = rule;
    }

    /** {@code value} when it is such a name; a {@link RequestException} naming it and the rule otherwise. */
    public String check(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()
                || value.length() > maxLength
                || !allowed.matcher(value).matches()) {
            throw new RequestException(invalid, noun + " " + describe(value) + " is not " + what + rule);
        }
        return value;
    }

    /** A value quoted for an error message, cut to 40 characters. */
    public static String describe(String value) {
        if (value.length() > 40) {
            return "'" + value.substring(0, 40) + "...' (" + value.length() + " characters)";
        }
        return "'" + value + "'";
    }
}
