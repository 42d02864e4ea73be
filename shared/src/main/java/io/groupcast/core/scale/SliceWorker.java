package io.groupcast.core.scale;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Delivery;
import io.groupcast.core.delivery.Fanout;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.delivery.Frames;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Recipient;
import io.groupcast.core.store.MembershipStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

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
    private final Map<String, Notifications.Message> messages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Notifications.Message> eldest) {
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

    /**
     * Delivers {@code slice} within {@code budget}. A failure on the last attempt ({@code lastAttempt}: the queue
     * moves the slice to its dead-letter queue next) records the slice as dead before it is rethrown.
     */
    public Outcome run(Slice slice, Budget budget, boolean lastAttempt) {
        try {
            return deliver(slice, budget);
        } catch (RuntimeException e) {
            if (lastAttempt) {
                workers.notifications().dead(slice, String.valueOf(e.getMessage()), clock.instant());
            }
            throw e;
        }
    }

    private Outcome deliver(Slice slice, Budget budget) {
        Instant now = clock.instant();
        Notifications notifications = workers.notifications();
        Notifications.Message message;
        synchronized (messages) {
            message = messages.get(slice.notificationId());
        }
        if (message == null) {
            message = notifications.message(slice.notificationId()).orElse(null);
            if (message == null) {
                return Outcome.ALREADY_FINISHED; // expired: too late to deliver
            }
            synchronized (messages) {
                messages.put(message.id(), message);
            }
        }
        Instant leaseUntil = now.plusMillis(Math.min(budget.remainingMillis(), leaseCap.toMillis()));
        switch (notifications.claim(slice, leaseUntil, now)) {
            case FINISHED -> {
                return Outcome.ALREADY_FINISHED;
            }
            case BUSY -> {
                return Outcome.BUSY;
            }
            default -> {}
        }
        Frames frames = Frames.serverMessage(message.payload());
        if (slice.seq() > 0) {
            frames = frames.inStream(slice.group(), slice.seq(), message.messageId());
        }
        List<Recipient> page = store.recipientsBetween(
                GroupName.of(slice.group()), slice.after(), slice.before(), Slice.SIZE + 1, now);
        boolean more = page.size() > Slice.SIZE;
        if (more) {
            page = page.subList(0, Slice.SIZE);
            hand(slice.rest(page.get(page.size() - 1).id().value()));
        }
        Taking taking = new Taking(page, frames, message, budget);
        FanoutResult result = fanout.send(taking, budget);
        if (taking.stopped) {
            if (taking.last.isEmpty() && !more) {
                return Outcome.BUSY; // no time for even one post: the queue delivers it again
            }
            // the budget ran low: the recipients not taken go on in a slice of their own
            String after = taking.last.isEmpty() ? slice.after() : taking.last;
            String before = more ? page.get(page.size() - 1).id().value() + "\u0000" : slice.before();
            hand(List.of(new Slice(
                    slice.notificationId(), slice.groupIndex(), slice.group(), after, before, slice.seq(), false)));
        }
        notifications.done(slice.notificationId(), slice.id(), result, clock.instant());
        return Outcome.DELIVERED;
    }

    private void hand(List<Slice> rest) {
        workers.notifications().queued(rest, clock.instant());
        workers.queue().send(rest);
    }

    /** A page's deliveries, taken one by one until the budget is down to {@link #STOP_MARGIN}. */
    private static final class Taking implements Iterator<Delivery> {
        final List<Recipient> page;
        final Frames frames;
        final Notifications.Message message;
        final Budget budget;
        int next;
        String last = "";
        boolean stopped;

        Taking(List<Recipient> page, Frames frames, Notifications.Message message, Budget budget) {
            this.page = page;
            this.frames = frames;
            this.message = message;
            this.budget = budget;
        }

        @Override
        public boolean hasNext() {
            while (next < page.size()
                    && message.except().contains(page.get(next).id())) {
                next++;
            }
            if (next >= page.size()) {
                return false;
            }
            if (budget.remainingMillis() <= STOP_MARGIN.toMillis()) {
                stopped = true;
                return false;
            }
            return true;
        }

        @Override
        public Delivery next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Recipient recipient = page.get(next++);
            last = recipient.id().value();
            return new Delivery(recipient, frames);
        }
    }
}
