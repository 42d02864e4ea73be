package io.groupcast.functions;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile input, generated from a seeded {@link Random} (jqwik supplies it, so a failure reproduces from its seed):
 * JSON of every shape, wrong types, control and non-BMP characters, lone surrogates, empty and huge values, deep
 * nesting, and text that is not JSON at all.
 */
final class Generated {
    private static final String[] NAMES = {
        "kevin",
        "room-42",
        "user:kevin",
        "user:bob",
        "a",
        "",
        " ",
        "a b",
        "é",
        "x".repeat(129),
        "room/1",
        "room#1",
        "user:",
        "😀",
        "null",
        "-",
        "user:kevin:x",
        "Room.42@x+y=z|w"
    };
    private static final String[] FIELDS = {
        "user",
        "group",
        "message",
        "exceptConnectionIds",
        "action",
        "users",
        "groups",
        "connectionId",
        "__proto__",
        "",
        "USER",
        "message "
    };

    private Generated() {}

    /** A string of any kind: names that are almost valid, control characters, emoji, lone surrogates, long runs. */
    static String string(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> NAMES[random.nextInt(NAMES.length)];
            case 1 -> "";
            case 2 -> control(random);
            case 3 -> "😀".repeat(1 + random.nextInt(40)) + "\uD800";
            case 4 -> "x".repeat(random.nextInt(3) == 0 ? 140_000 : 1 + random.nextInt(300));
            case 5 -> "\u0000\u001f\"\\\u2028\uFFFF" + NAMES[random.nextInt(NAMES.length)];
            default -> ascii(random, random.nextInt(30));
        };
    }

    /** Any JSON value, nested at most {@code depth} deep. */
    static String value(Random random, int depth) {
        int kind = depth <= 0 ? random.nextInt(5) : random.nextInt(8);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> random.nextBoolean() ? "true" : "false";
            case 2 ->
                List.of("0", "-1", "1e308", "1e999", "123456789012345678901234567890", "0.1", "-0")
                        .get(random.nextInt(7));
            case 3, 4 -> quote(string(random));
            case 5 -> array(random, depth - 1);
            default -> object(random, depth - 1, FIELDS);
        };
    }

    /** A notify body: mostly objects with the real field names and values of any type, plus the malformed kinds. */
    static String notifyBody(Random random) {
        return switch (random.nextInt(10)) {
            case 0, 1, 2, 3 -> object(random, 3, FIELDS);
            case 4 ->
                "{\"" + (random.nextBoolean() ? "user" : "group") + "\":" + quote(NAMES[random.nextInt(NAMES.length)])
                        + ",\"message\":" + value(random, 3)
                        + (random.nextBoolean() ? "" : ",\"exceptConnectionIds\":" + array(random, 1)) + "}";
            case 5 -> value(random, 2);
            case 6 -> malformed(random);
            case 7 -> nested(random);
            case 8 ->
                "{\"group\":\"room-42\",\"message\":" + quote("x".repeat(128 * 1024 - 20 + random.nextInt(40))) + "}";
            default -> random.nextBoolean() ? null : ascii(random, random.nextInt(50));
        };
    }

    /** A client frame: join/leave/send with names and data of any kind, other actions, other shapes, malformed text. */
    static String frame(Random random) {
        return switch (random.nextInt(12)) {
            case 10, 11 -> eventFrame(random);
            case 8, 9 ->
                "{\"action\":\"send\",\"group\":"
                        + (random.nextInt(4) == 0
                                ? value(random, 1)
                                : quote(random.nextBoolean() ? "room-42" : NAMES[random.nextInt(NAMES.length)]))
                        + (random.nextInt(5) == 0 ? "" : ",\"data\":" + value(random, 3))
                        + (random.nextBoolean() ? "" : ",\"noEcho\":" + value(random, 0))
                        + "}";
            case 0, 1, 2 ->
                "{\"action\":"
                        + quote(List.of("join", "leave", "JOIN", "", "dance", "join ", "ping")
                                .get(random.nextInt(7))) + ",\"group\":"
                        + (random.nextInt(4) == 0 ? value(random, 1) : quote(string(random))) + "}";
            case 3 -> object(random, 2, FIELDS);
            case 4 -> value(random, 2);
            case 5 -> malformed(random);
            case 6 -> nested(random);
            default -> random.nextBoolean() ? null : ascii(random, random.nextInt(50));
        };
    }

    /** An event frame: names valid, almost valid and of other types, data of any kind, ackIds good and bad. */
    static String eventFrame(Random random) {
        String name = switch (random.nextInt(6)) {
            case 0 -> value(random, 1);
            case 1 -> quote(string(random));
            case 2 -> quote("e".repeat(60 + random.nextInt(10)));
            default -> quote(List.of("chat.send", "history", "a:b-c_d.e", "x").get(random.nextInt(4)));
        };
        return "{\"action\":\"event\"" + (random.nextInt(8) == 0 ? "" : ",\"event\":" + name)
                + (random.nextInt(4) == 0 ? "" : ",\"data\":" + value(random, 3))
                + (random.nextBoolean()
                        ? ""
                        : ",\"ackId\":"
                                + List.of("1", "0", "-3", "9007199254740991", "9007199254740992", "1.5", "\"7\"")
                                        .get(random.nextInt(7)))
                + "}";
    }

    /** A reply an event handler may answer: valid data or refusals, and every way of getting them wrong. */
    static String handlerReply(Random random) {
        return switch (random.nextInt(12)) {
            case 0, 1 -> "{\"data\":" + value(random, 3) + "}";
            case 2 ->
                "{\"error\":{\"code\":"
                        + quote(List.of("banned_word", "not_allowed", "e.x:y-z").get(random.nextInt(3)))
                        + ",\"message\":\"no\"}}";
            case 3 -> "{\"error\":{\"code\":" + value(random, 1) + ",\"message\":" + value(random, 1) + "}}";
            case 4 -> "{\"error\":" + value(random, 2) + "}";
            case 5 -> "{\"data\":" + quote("x".repeat(128 * 1024 - 600 + random.nextInt(200))) + "}";
            case 6 -> object(random, 2, new String[] {"data", "error", "allow", "Data"});
            case 7 -> value(random, 2);
            case 8 -> malformed(random);
            case 9 -> nested(random);
            case 10 -> "{\"error\":{\"code\":\"too_long\",\"message\":" + quote("m".repeat(2000)) + "}}";
            default -> random.nextBoolean() ? "" : ascii(random, random.nextInt(50));
        };
    }

    /** A token: junk, almost-JWTs, {@code alg: none}, or longer than any sane token. */
    static String token(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> ascii(random, random.nextInt(200));
            case 3 -> "eyJhbGciOiJub25lIn0." + base64url(random, 40) + ".";
            case 4 -> base64url(random, 20) + "." + base64url(random, 60) + "." + base64url(random, 43);
            case 5 -> "x".repeat(9000 + random.nextInt(100_000));
            default -> string(random);
        };
    }

    /** A roles claim and whether the authorizer must accept it. */
    record Roles(Object claim, boolean valid) {}

    private static final String[] GOOD_ROLES = {
        "groupcast.joinLeaveGroup",
        "groupcast.sendToGroup",
        "groupcast.joinLeaveGroup.room-42",
        "groupcast.sendToGroup.room-*",
        "groupcast.joinLeaveGroup.a:b|c",
        "other-app.admin",
        "reader"
    };
    private static final String[] BAD_ROLES = {
        "groupcast.dance",
        "groupcast.joinLeaveGroup.user:kevin",
        "groupcast.sendToGroup.groupcast:priming",
        "groupcast.joinLeaveGroup.",
        "groupcast.joinLeaveGroup.a#b",
        "groupcast.",
        "groupcast.sendToGroup.x*y*"
    };

    /** A roles claim: valid arrays and strings, malformed roles, too many or too long, and wrong types. */
    static Roles roles(Random random) {
        List<String> good = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            good.add(GOOD_ROLES[random.nextInt(GOOD_ROLES.length)]);
        }
        return switch (random.nextInt(9)) {
            case 0, 1 -> new Roles(good, true);
            case 2 -> new Roles(String.join(" ", good), true);
            case 3 -> {
                good.add(random.nextInt(good.size() + 1), BAD_ROLES[random.nextInt(BAD_ROLES.length)]);
                yield new Roles(random.nextBoolean() ? good : String.join(" ", good), false);
            }
            case 4 -> new Roles(Collections.nCopies(51, "groupcast.joinLeaveGroup.room-1"), false);
            case 5 ->
                new Roles(
                        List.of(
                                "groupcast.joinLeaveGroup." + "r".repeat(256),
                                "groupcast.sendToGroup." + "s".repeat(256)),
                        true);
            case 6 -> {
                List<String> long_ = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    long_.add("groupcast.joinLeaveGroup." + i + "x".repeat(250));
                }
                yield new Roles(long_, false);
            }
            case 7 ->
                new Roles(
                        List.of(42, true, Map.of("a", 1), List.of(List.of("x")), 1.5)
                                .get(random.nextInt(5)),
                        false);
            default -> new Roles(List.of("groupcast.joinLeaveGroup", random.nextBoolean() ? 7 : List.of("y")), false);
        };
    }

    static String malformed(Random random) {
        String valid = object(random, 2, FIELDS);
        return switch (random.nextInt(4)) {
            case 0 -> valid.substring(0, random.nextInt(Math.max(1, valid.length())));
            case 1 -> valid + valid;
            case 2 -> "{\"group\":\"a\",\"group\":\"b\",\"message\":1}";
            default -> "{'group': 'a', message: 1,}";
        };
    }

    static String nested(Random random) {
        int depth = 100 + random.nextInt(random.nextBoolean() ? 1_000 : 20_000);
        String open = random.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return "{\"group\":\"room-42\",\"message\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}";
    }

    static String object(Random random, int depth, String[] fields) {
        StringBuilder out = new StringBuilder("{");
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                out.append(',');
            }
            String field = random.nextInt(5) == 0 ? string(random) : fields[random.nextInt(fields.length)];
            out.append(quote(field)).append(':').append(value(random, depth));
        }
        return out.append('}').toString();
    }

    static String array(Random random, int depth) {
        StringBuilder out = new StringBuilder("[");
        int size = random.nextInt(4);
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(random.nextBoolean() ? quote(string(random)) : value(random, depth));
        }
        return out.append(']').toString();
    }

    /** A JSON string literal of {@code value}, escaping what JSON requires (lone surrogates pass through raw). */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private static String control(Random random) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 1 + random.nextInt(10); i++) {
            out.append((char) random.nextInt(0x20));
        }
        return out.toString();
    }

    private static String ascii(Random random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return out.toString();
    }

    private static String base64url(Random random, int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
