package io.groupcast.local;

import static io.groupcast.local.GatewayExtension.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A notify to a user while some of the user's tabs are still inside {@code $connect}: API Gateway answers 410 for
 * those (they are not open yet), and pruning them would leave them open but in no group for up to two hours.
 */
class ConnectRaceTest {
    private static final int TABS = 30;

    @RegisterExtension
    static final GatewayExtension GATEWAY = GatewayExtension.standard();

    @Test
    void shouldKeepEveryOpeningConnection_whenNotifiesToItsUserRaceWithItsConnect() throws Exception {
        // Linked groups make $connect take longer after it has recorded the user's membership: the race window.
        for (int i = 0; i < 20; i++) {
            GATEWAY.call("PUT", "/groups/race-" + i + "/users/racer", null);
        }
        AtomicBoolean connecting = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(TABS + 2);
        List<CompletableFuture<?>> notifiers = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
            notifiers.add(CompletableFuture.runAsync(
                    () -> {
                        while (connecting.get()) {
                            GATEWAY.call("POST", "/notify", "{\"user\":\"racer\",\"message\":\"during\"}");
                        }
                    },
                    pool));
        }
        List<CompletableFuture<TestClient>> opening = new ArrayList<>();
        for (int i = 0; i < TABS; i++) {
            opening.add(CompletableFuture.supplyAsync(() -> GATEWAY.connect("racer"), pool));
        }
        List<TestClient> tabs = new ArrayList<>();
        for (CompletableFuture<TestClient> tab : opening) {
            tabs.add(tab.get());
        }
        connecting.set(false);
        for (CompletableFuture<?> notifier : notifiers) {
            notifier.get();
        }
        pool.shutdown();

        assertThat(GATEWAY.call("GET", "/users/racer", null).path("connections").asInt())
                .as("presence counts every tab that opened")
                .isEqualTo(TABS);
        assertThat(GATEWAY.call("POST", "/notify", "{\"user\":\"racer\",\"message\":\"after\"}")
                        .path("delivered")
                        .asInt())
                .isEqualTo(TABS);
        for (TestClient tab : tabs) {
            Eventually.await(
                    "every tab receives the notify after the race",
                    WAIT,
                    () -> tab.received().contains("\"after\""));
        }
    }
}
