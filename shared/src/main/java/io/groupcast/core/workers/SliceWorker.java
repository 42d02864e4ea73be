package io.groupcast.core.workers;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Delivery;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.delivery.Taking;
import io.groupcast.core.model.ConnectionId;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.protocol.MessageFrames;
import io.groupcast.core.store.MembershipStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Delivers one slice: claims it (a redelivery of a finished slice is acknowledged and sends nothing), reads at most
 * {@link Slice#SIZE} of its members, queues the rest of its range first (so other workers go on in parallel), posts,
 * and records its counts. A slice whose budget runs low stops taking recipients and queues the rest after the last
 * one it took: nothing is skipped.
 */
public final class SliceWorker {
    /** Time kept back at the end of an invocation: no new post starts, the rest is queued and the counts written. */
    public static final Duration STOP_MARGIN = Duration.ofSeconds(8);

    private final MembershipStore store;
    private final Workers workers;
    private final Fanout fanout;
    private final Clock clock;
    private final Duration leaseCap;
    private final Map<String, NotificationStore.Message> messages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NotificationStore.Message> eldest) {
            return size() > 32;
        }
    };

    /**
     * @param visibility the queue's visibility timeout: a slice's lease ends a second before its redelivery, so a
     *     worker that died holds it no longer than that
     */
    public SliceWorker(MembershipStore store, Workers workers, Fanout fanout, Duration visibility, Clock clock) {
        this.leaseCap = visibility.minusSeconds(1).compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1)
                : visibility.minusSeconds(1);
        this.store = store;
        this.workers = workers;
        this.fanout = fanout;
        this.clock = clock;
    }

    /** What became of one slice. */
    public enum Outcome {
        DELIVERED,
        /** A redelivery of a finished slice, or of a notification that expired: nothing sent. */
        ALREADY_FINISHED,
        /** Another worker holds it: the queue should deliver it again later. */
        BUSY
    }

    /** What became of one slice, and the counts of its posts ({@link FanoutResult#NONE} when it sent nothing). */
    public record Result(Outcome outcome, FanoutResult counts) {
        static Result of(Outcome outcome) {
            return new Result(outcome, FanoutResult.NONE);
        }
    }

    /**
     * Delivers {@code slice} within {@code budget}. A failure on the last attempt ({@code lastAttempt}: the queue
     * moves the slice to its dead-letter queue next) records the slice as dead before it is rethrown.
     */
    public Result run(Slice slice, Budget budget, boolean lastAttempt) {
        try {
            return deliver(slice, budget);
        } catch (RuntimeException e) {
            if (lastAttempt) {
                workers.notifications().dead(slice, String.valueOf(e.getMessage()), clock.instant());
            }
            throw e;
        }
    }

    private Result deliver(Slice slice, Budget budget) {
        Instant now = clock.instant();
        NotificationStore notifications = workers.notifications();
        Optional<NotificationStore.Message> message = message(slice.notificationId());
        if (message.isEmpty()) {
            return Result.of(Outcome.ALREADY_FINISHED); // expired: too late to deliver
        }
        Instant leaseUntil = now.plusMillis(Math.min(budget.remainingMillis(), leaseCap.toMillis()));
        switch (notifications.claim(slice, leaseUntil, now)) {
            case FINISHED -> {
                return Result.of(Outcome.ALREADY_FINISHED);
            }
            case BUSY -> {
                return Result.of(Outcome.BUSY);
            }
            default -> {}
        }
        MessageFrames frames = MessageFrames.fromServer(message.get().payload());
        if (slice.seq() > 0) {
            frames = frames.inStream(slice.group(), slice.seq(), message.get().messageId(), slice.epoch());
        }
        List<Recipient> page = store.recipientsBetween(
                GroupName.of(slice.group()), slice.after(), slice.before(), Slice.SIZE + 1, now);
        boolean more = page.size() > Slice.SIZE;
        if (more) {
            page = page.subList(0, Slice.SIZE);
            hand(slice.rest(page.get(page.size() - 1).id().value()));
        }
        MessageFrames framed = frames;
        Set<ConnectionId> except = message.get().except();
        Taking<Delivery> taking = Taking.until(
                page.stream()
                        .flatMap(recipient -> Delivery.unless(except, recipient, framed).stream())
                        .iterator(),
                budget,
                STOP_MARGIN);
        FanoutResult result = fanout.send(taking, budget);
        if (taking.stopped()) {
            Optional<String> last =
                    taking.last().map(delivery -> delivery.recipient().id().value());
            if (last.isEmpty() && !more) {
                return new Result(Outcome.BUSY, result); // no time for even one post: the queue delivers it again
            }
            // the budget ran low: the recipients not taken go on in a slice of their own
            String after = last.orElse(slice.after());
            String before = more ? page.get(page.size() - 1).id().value() + "\u0000" : slice.before();
            hand(List.of(new Slice(
                    slice.notificationId(),
                    slice.groupIndex(),
                    slice.group(),
                    after,
                    before,
                    slice.seq(),
                    slice.epoch(),
                    false)));
        }
        notifications.done(slice.notificationId(), slice.id(), result, clock.instant());
        return new Result(Outcome.DELIVERED, result);
    }

    /** A notification's message, from this worker's cache or the store. */
    private Optional<NotificationStore.Message> message(String id) {
        synchronized (messages) {
            NotificationStore.Message cached = messages.get(id);
            if (cached != null) {
                return Optional.of(cached);
            }
        }
        Optional<NotificationStore.Message> read = workers.notifications().message(id);
        read.ifPresent(found -> {
            synchronized (messages) {
                messages.put(id, found);
            }
        });
        return read;
    }

    private void hand(List<Slice> rest) {
        workers.notifications().queued(rest, clock.instant());
        workers.queue().send(rest);
    }
}
