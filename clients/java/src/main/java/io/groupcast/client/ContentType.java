package io.groupcast.client;

/**
 * What a message given as a {@code String} is, as Web PubSub's {@code WebPubSubContentType} says it: the caller states
 * it, so {@code "hi"} is never mistaken for JSON text, nor {@code "{\"n\":1}"} for a string.
 */
public enum ContentType {
    /** JSON text, sent as the value it spells: {@code {"n":1}} arrives as {@code {"n":1}}; checked before sending. */
    APPLICATION_JSON,
    /** Plain text, sent as a JSON string: {@code hi} arrives as {@code "hi"}, quoted. */
    TEXT_PLAIN
}
