package io.groupcast.local;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A figure as a doc prints it ({@code 1,899}, {@code 0.52}, {@code $31.55}) and whether a measured value rounds to it. */
record Figure(double value, int decimals) {
    static final String NUMBER = "-?\\d[\\d,]*(?:\\.\\d+)?";
    private static final Pattern FIRST = Pattern.compile(NUMBER);

    /** The first figure in a table cell or phrase, or null when it has none ({@code none}). */
    static Figure first(String text) {
        Matcher number = FIRST.matcher(text.replace("**", ""));
        return number.find() ? parse(number.group()) : null;
    }

    static Figure parse(String printed) {
        String plain = printed.replace(",", "");
        int dot = plain.indexOf('.');
        return new Figure(Double.parseDouble(plain), dot < 0 ? 0 : plain.length() - dot - 1);
    }

    /** The number a key cell names, or null when it is text. */
    static Double number(String text) {
        String plain = text.replace("**", "").strip();
        return plain.matches(NUMBER) ? Figure.parse(plain).value() : null;
    }

    /** Whether {@code measured}, rounded to this figure's decimals, is this figure. */
    boolean shows(double measured) {
        return Math.abs(measured - value) <= 0.5 * Math.pow(10, -decimals) + 1e-9 * Math.max(1, Math.abs(value));
    }
}
