package io.groupcast.client;

/**
 * The progress of a send the fan-out workers deliver ({@code GET /notifications/{id}}): {@code status} is
 * {@code accepted}, {@code running} or {@code completed}; the counts are those of the finished parts;
 * {@code deadLetteredSlices} counts parts that failed on every delivery (their recipients are in no count).
 */
public record NotificationStatus(
        String notificationId,
        String status,
        long recipients,
        long delivered,
        long gone,
        long failed,
        long skipped,
        int deadLetteredSlices) {
    /** Whether every part is finished. */
    public boolean completed() {
        return status.equals("completed");
    }
}
