package io.groupcast.core.workers;

import io.groupcast.core.delivery.FanoutResult;

/**
 * A notification's progress as {@code GET /notifications/{id}} answers it: {@code accepted} (no slice started),
 * {@code running}, or {@code completed} (every slice queued, and every one done or dead), with the counts of the done slices and how many
 * slices were dead-lettered.
 */
public record NotificationStatus(
        String notificationId,
        String status,
        String target,
        int recipients,
        int delivered,
        int gone,
        int failed,
        int skipped,
        Slices slices) {
    /** How many slices there are, how many finished (done or dead), and how many of those are dead. */
    public record Slices(int total, int finished, int deadLettered) {}

    /** The status of {@code id} from its recorded progress. */
    public static NotificationStatus of(String id, NotificationStore.Progress progress) {
        FanoutResult sum = FanoutResult.NONE;
        int started = 0;
        int finished = 0;
        int dead = 0;
        for (NotificationStore.SliceProgress slice : progress.slices()) {
            switch (slice.state()) {
                case QUEUED -> {}
                case RUNNING -> started++;
                case DONE -> {
                    started++;
                    finished++;
                    sum = sum.plus(slice.counts().orElse(FanoutResult.NONE));
                }
                case DEAD -> {
                    started++;
                    finished++;
                    dead++;
                }
            }
        }
        int total = progress.slices().size();
        // complete only once every slice was queued (handed over) and every one finished
        String status = progress.handedOver() && total > 0 && finished == total
                ? "completed"
                : started == 0 ? "accepted" : "running";
        return new NotificationStatus(
                id,
                status,
                progress.target(),
                sum.recipients(),
                sum.delivered(),
                sum.gone(),
                sum.failed(),
                sum.skipped(),
                new Slices(total, finished, dead));
    }
}
