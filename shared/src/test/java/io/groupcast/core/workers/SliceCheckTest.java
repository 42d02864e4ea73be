package io.groupcast.core.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which slices the check against their notification's record lets through. */
class SliceCheckTest {
    private static NotificationStore.Message recorded(List<NotificationStore.Target> groups) {
        return new NotificationStore.Message("n1", new byte[0], "m1", Set.of(), "group", groups);
    }

    @Test
    void shouldRefuseASliceThatNamesAnotherGroupOrNumber_butLetARecordWithoutGroupsRelyOnTheQueuedCheck() {
        Slice slice = new Slice("n1", 0, "room", "", "", 4, "e1", false);

        assertThat(SliceWorker.mismatch(slice, recorded(List.of(new NotificationStore.Target("room", 4, "e1")))))
                .isEmpty();
        assertThat(SliceWorker.mismatch(slice, recorded(List.of(new NotificationStore.Target("user:kim", 4, "e1")))))
                .isPresent();
        assertThat(SliceWorker.mismatch(slice, recorded(List.of(new NotificationStore.Target("room", 5, "e1")))))
                .isPresent();
        assertThat(SliceWorker.mismatch(slice, recorded(List.of())))
                .as("a notification recorded before the upgrade: not lost")
                .isEmpty();
    }
}
