package io.groupcast.core.model;

import java.util.regex.Pattern;

/** The characters and lengths allowed in user ids, group names and connection ids. */
public final class Names {
    static final int MAX_USER_ID_LENGTH = 128;
    static final int MAX_GROUP_LENGTH = 256;
    static final int MAX_CONNECTION_ID_LENGTH = 128;

    /** Letters, digits and {@code _ - . @ + = |}: emails, UUIDs, Cognito and Auth0 subjects. */
    static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@+=|-]+");
    /** As user ids, plus {@code :} for namespacing ({@code user:kevin}, {@code room:42}). */
    static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_.@+=|:-]+");
    /** API Gateway connection ids are base64-like ({@code L0SM9cOFvHcCIhw=}). */
    static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9_+/=-]+");

    private Names() {}

    /** A value quoted for an error message, cut to 40 characters. */
    public static String describe(String value) {
        if (value.length() > 40) {
            return "'" + value.substring(0, 40) + "...' (" + value.length() + " characters)";
        }
        return "'" + value + "'";
    }
}
