package io.groupcast.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A sample handler (docs/handlers.md): the connect hook refuses banned users and puts everyone in {@code lobby};
 * {@code chat.send} refuses banned words, {@code time} answers the server's clock, anything else is refused with
 * {@code unknown_event}. Deploy it with {@code Handler: io.groupcast.handler.SampleChatHandler::handleRequest}.
 */
public class SampleChatHandler implements RequestHandler<GroupcastEvent, Object> {
    private static final Set<String> BANNED_WORDS = Set.of("darn", "heck");
    private static final Set<String> BANNED_USERS = Set.of("mallory");

    private final Clock clock;

    /** Lambda's. */
    public SampleChatHandler() {
        this(Clock.systemUTC());
    }

    /** With {@code clock} (tests). */
    public SampleChatHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Object handleRequest(GroupcastEvent event, Context context) {
        if (event.isConnect()) {
            return BANNED_USERS.contains(event.getUserId())
                    ? ConnectReply.deny(403, "banned")
                    : ConnectReply.allow(List.of(), List.of("lobby"));
        }
        switch (String.valueOf(event.getEvent())) {
            case "chat.send":
                Object text = event.getData() instanceof Map<?, ?> data ? data.get("text") : null;
                String words = String.valueOf(text).toLowerCase(Locale.ROOT);
                if (BANNED_WORDS.stream().anyMatch(words::contains)) {
                    return EventReply.error("banned_word", "mind your language");
                }
                return EventReply.data(Map.of("accepted", true));
            case "time":
                return EventReply.data(Map.of("now", clock.instant().toString()));
            default:
                return EventReply.error("unknown_event", "no event " + event.getEvent());
        }
    }
}
