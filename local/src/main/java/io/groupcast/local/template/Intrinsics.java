package io.groupcast.local.template;

import static io.groupcast.local.template.SamTemplate.map;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The intrinsic functions of a template's values, in their long form: where a {@code Ref} or {@code Fn::GetAtt}
 * points, what a {@code Fn::Sub} names, and a value resolved through a lookup.
 */
public final class Intrinsics {
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!]+)}");

    private Intrinsics() {}

    /** The logical id a {@code Ref} (or a {@code GetAtt}) points at, or null. */
    public static String refTarget(Object value) {
        Map<String, Object> intrinsic = map(value);
        if (intrinsic.get("Ref") != null) {
            return String.valueOf(intrinsic.get("Ref"));
        }
        Object getAtt = intrinsic.get("Fn::GetAtt");
        if (getAtt instanceof String s) {
            return s.substring(0, s.indexOf('.') < 0 ? s.length() : s.indexOf('.'));
        }
        if (getAtt instanceof List<?> l && !l.isEmpty()) {
            return String.valueOf(l.get(0));
        }
        return null;
    }

    /** The names inside {@code ${...}} of a {@code Fn::Sub} string, e.g. {@code AuthorizeFunction.Arn}. */
    public static List<String> subReferences(Object value) {
        Object sub = map(value).get("Fn::Sub");
        if (sub instanceof List<?> l && !l.isEmpty()) {
            sub = l.get(0);
        }
        List<String> names = new ArrayList<>();
        if (sub instanceof String s) {
            Matcher m = SUB_VARIABLE.matcher(s);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * Resolves an environment value as written in the template: plain values as they are, {@code Ref} and
     * {@code Fn::Sub} through {@code lookup} (which is given a logical id, parameter or pseudo parameter name,
     * {@code X.Attr} for attributes).
     */
    public static String resolve(Object value, Function<String, String> lookup) {
        if (value == null) {
            return "";
        }
        if (!(value instanceof Map<?, ?>)) {
            return String.valueOf(value);
        }
        Map<String, Object> intrinsic = map(value);
        if (intrinsic.containsKey("Ref")) {
            return lookup.apply(String.valueOf(intrinsic.get("Ref")));
        }
        if (intrinsic.containsKey("Fn::GetAtt")) {
            Object getAtt = intrinsic.get("Fn::GetAtt");
            String name = getAtt instanceof List<?> l ? l.get(0) + "." + l.get(1) : String.valueOf(getAtt);
            return lookup.apply(name);
        }
        if (intrinsic.containsKey("Fn::Sub")) {
            Object sub = intrinsic.get("Fn::Sub");
            String text = String.valueOf(sub instanceof List<?> l ? l.get(0) : sub);
            Matcher m = SUB_VARIABLE.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, Matcher.quoteReplacement(lookup.apply(m.group(1))));
            }
            m.appendTail(out);
            return out.toString();
        }
        throw new IllegalArgumentException("cannot resolve " + value + " locally");
    }
}
