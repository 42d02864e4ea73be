package io.groupcast.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import io.groupcast.core.handlers.HandlerProtocol;
import io.groupcast.core.handlers.HandlerReply;
import io.groupcast.core.model.GroupName;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The types and the sample handler through Lambda's own Java serializer: the input as Groupcast sends it becomes a
 * {@link GroupcastEvent}, and each reply, as Lambda writes it, is one Groupcast's reader of handler replies takes.
 */
class SampleChatHandlerTest {
    private final SampleChatHandler handler =
            new SampleChatHandler(Clock.fixed(Instant.parse("2026-12-02T18:00:00Z"), ZoneOffset.UTC));

    private static GroupcastEvent input(String json) {
        PojoSerializer<GroupcastEvent> serializer = JacksonFactory.getInstance().getSerializer(GroupcastEvent.class);
        return serializer.fromJson(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @SuppressWarnings("unchecked")
    private static String written(Object reply) {
        PojoSerializer<Object> serializer =
                (PojoSerializer<Object>) JacksonFactory.getInstance().getSerializer(reply.getClass());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer.toJson(reply, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private Object answer(String json) {
        return handler.handleRequest(input(json), null);
    }

    @Test
    void shouldReadTheInput_asGroupcastSendsIt() {
        GroupcastEvent event = input(
                "{\"type\":\"event\",\"event\":\"chat.send\",\"connectionId\":\"L0SM9cOFvHcCIhw=\","
                        + "\"userId\":\"kevin\",\"roles\":[\"groupcast.sendToGroup\"],\"data\":{\"text\":\"hi\",\"n\":[1,2]}}");

        assertThat(event.getType()).isEqualTo("event");
        assertThat(event.getEvent()).isEqualTo("chat.send");
        assertThat(event.getConnectionId()).isEqualTo("L0SM9cOFvHcCIhw=");
        assertThat(event.getUserId()).isEqualTo("kevin");
        assertThat(event.getRoles()).containsExactly("groupcast.sendToGroup");
        assertThat(event.getData()).isEqualTo(Map.of("text", "hi", "n", List.of(1, 2)));
        assertThat(event.isConnect()).isFalse();
    }

    @Test
    void shouldWriteReplies_thatGroupcastReadsAsDataOrRefusal() {
        String ok = written(answer("{\"type\":\"event\",\"event\":\"chat.send\",\"userId\":\"kevin\","
                + "\"roles\":[],\"data\":{\"text\":\"hello\"}}"));
        String refused = written(answer("{\"type\":\"event\",\"event\":\"chat.send\",\"userId\":\"kevin\","
                + "\"roles\":[],\"data\":{\"text\":\"oh DARN\"}}"));
        String time = written(answer("{\"type\":\"event\",\"event\":\"time\",\"userId\":\"kevin\",\"data\":null}"));

        assertThat(HandlerProtocol.reply(ok))
                .isInstanceOfSatisfying(
                        HandlerReply.Data.class,
                        reply -> assertThat(reply.data().toString()).isEqualTo("{\"accepted\":true}"));
        assertThat(HandlerProtocol.reply(refused))
                .isEqualTo(new HandlerReply.Refusal("banned_word", "mind your language"));
        assertThat(HandlerProtocol.reply(time))
                .isInstanceOfSatisfying(
                        HandlerReply.Data.class,
                        reply -> assertThat(reply.data().toString()).isEqualTo("{\"now\":\"2026-12-02T18:00:00Z\"}"));
        assertThat(HandlerProtocol.reply(written(EventReply.data(null)))).isInstanceOf(HandlerReply.Data.class);
    }

    @Test
    void shouldWriteConnectReplies_thatGroupcastReadsAsAllowOrDeny() {
        String mallory = written(answer("{\"type\":\"connect\",\"event\":\"connect\",\"userId\":\"mallory\"}"));
        String kevin = written(answer("{\"type\":\"connect\",\"event\":\"connect\",\"userId\":\"kevin\"}"));

        assertThat(HandlerProtocol.connect(mallory)).isEqualTo(new HandlerReply.Deny(403, "banned"));
        assertThat(HandlerProtocol.connect(kevin))
                .isEqualTo(new HandlerReply.Allow(List.of(), List.of(GroupName.of("lobby"))));
        assertThat(HandlerProtocol.connect(
                        written(ConnectReply.allow(List.of("groupcast.sendToGroup.vip"), List.of("vip")))))
                .isEqualTo(new HandlerReply.Allow(List.of("groupcast.sendToGroup.vip"), List.of(GroupName.of("vip"))));
    }

    @Test
    void shouldRefuseUnknownEvents_withItsOwnCode() {
        assertThat(HandlerProtocol.reply(written(answer("{\"type\":\"event\",\"event\":\"dance\",\"userId\":\"k\"}"))))
                .isEqualTo(new HandlerReply.Refusal("unknown_event", "no event dance"));
    }
}
