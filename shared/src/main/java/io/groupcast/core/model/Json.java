package io.groupcast.core.model;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;

/** The one JSON mapper: numbers kept exactly as sent, duplicate keys refused. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Json() {}

    /** The shared mapper. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Parses a JSON document; a syntax error becomes a 400 {@code malformed_json}. */
    public static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            throw new RequestException(ErrorCode.MALFORMED_JSON, "the body is empty; send a JSON object");
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RequestException(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + reason(e));
        }
    }

    /** Compact serialization of a tree. */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be serialized", e);
        }
    }

    /** A string as a JSON string literal, quotes and escapes included. */
    public static String quoted(String text) {
        return TextNode.valueOf(text).toString();
    }

    /** A new empty object node. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** What kind of JSON value a node is, for error messages: {@code an array}, {@code a string}, {@code null}. */
    public static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Why text is not JSON, in words a client can act on: never the parser's own message, which names Java classes
     * and configuration.
     */
    static String reason(JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage());
        String where = e.getLocation() == null || e.getLocation().getLineNr() < 1
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")";
        if (e instanceof StreamConstraintsException) {
            return "it is nested too deeply, or a number or string in it is too long";
        }
        if (e instanceof JsonEOFException || original.startsWith("Unexpected end-of-input")) {
            return "it ends too early" + where;
        }
        if (original.startsWith("Trailing token")) {
            return "there is more after the first JSON value" + where;
        }
        if (original.startsWith("Duplicate field")) {
            int start = original.indexOf('\'');
            int end = original.indexOf('\'', start + 1);
            String field = start >= 0 && end > start ? original.substring(start + 1, end) : "";
            return "field " + Names.describe(field) + " appears more than once" + where;
        }
        if (original.contains("surrogate") || original.contains("Invalid UTF-8")) {
            return "it contains an invalid character" + where;
        }
        return "unexpected text" + where;
    }
}
