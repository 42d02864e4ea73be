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
import io.groupcast.core.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/**
 * Delivers one slice: checks it against its notification's record (a slice naming another group or number is
 * refused), claims it (a redelivery of a done slice is acknowledged and sends nothing; a dead one moved back from the
 * dead-letter queue runs again), reads at most {@link Slice#SIZE} of its members, records where its range ends and
 * queues the rest first (so other workers go on in parallel, and a redelivery re-runs exactly the same range), posts
 * at the stack-wide rate, and records its counts. A slice whose time runs low stops taking recipients and queues the
 * rest after the last one it took: nothing is skipped.
 */
public final class SliceWorker {
    /** Time kept back at the end of an invocation: no new post starts, the rest is queued and the counts written. */
    public static final Duration STOP_MARGIN = Duration.ofSeconds(8);

    /** How soon a slice whose worker had nothing to post for lack of time is tried again. */
    static final Duration SOON = Duration.ofSeconds(1);

    private final MembershipStore store;
    private final Workers workers;
    private final Fanout fanout;
    private final PostRate rate;
    private final Clock clock;
    private final Duration leaseCap;
    private final Map<String, NotificationStore.Message> messages = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, NotificationStore.Message> eldest) {
            return size() > 32;
        }
    };

    /**
     * @param rate the stack-wide post rate every post waits for
     * @param visibility the queue's visibility timeout: a slice's lease ends a second before its redelivery, so a
     *     worker that died holds it no longer than that
     */
    public SliceWorker(
            MembershipStore store, Workers workers, Fanout fanout, PostRate rate, Duration visibility, Clock clock) {
        this.leaseCap = visibility.minusSeconds(1).compareTo(Duration.ofSeconds(1)) < 0
                ? Duration.ofSeconds(1)
                : visibility.minusSeconds(1);
        this.store = store;
        this.workers = workers;
        this.fanout = fanout;
        this.rate = rate;
        this.clock = clock;
    }

    /** What became of one slice. */
    public enum Outcome {
        DELIVERED,
        /** A redelivery of a finished slice, or of a notification that expired: nothing sent. */
        ALREADY_FINISHED,
        /** Another worker holds it (or there was no time to post): the queue should deliver it again later. */
        BUSY,
        /** It does not match its notification's record: nothing sent, and it is not tried again. */
        REFUSED
    }

    /**
     * What became of one slice, the counts of its posts ({@link FanoutResult#NONE} when it sent nothing), when to try
     * a busy one again, and why a refused one was refused.
     */
    public record Result(Outcome outcome, FanoutResult counts, Duration retryAfter, String reason) {
        static Result of(Outcome outcome) {
            return new Result(outcome, FanoutResult.NONE, Duration.ZERO, "");
        }

        static Result delivered(FanoutResult counts) {
            return new Result(Outcome.DELIVERED, counts, Duration.ZERO, "");
        }

        static Result busy(Duration retryAfter, FanoutResult counts) {
            return new Result(Outcome.BUSY, counts, retryAfter.isNegative() ? Duration.ZERO : retryAfter, "");
        }

        static Result refused(String reason) {
            return new Result(Outcome.REFUSED, FanoutResult.NONE, Duration.ZERO, reason);
        }
    }

    /**
     * Delivers {@code slice} within {@code budget}. A failure gives the slice's lease back so that the queue's next
     * delivery may claim it at once; on the last attempt ({@code lastAttempt}: the queue moves the slice to its
     * dead-letter queue next) it records the slice as dead instead. Either way the failure is rethrown.
     */
    public Result run(Slice slice, Budget budget, boolean lastAttempt) {
        Instant[] lease = new Instant[1];
        try {
            return claimAndDeliver(slice, budget, lease);
        } catch (RuntimeException e) {
            try {
                if (lastAttempt) {
                    workers.notifications().dead(slice, String.valueOf(e.getMessage()), clock.instant());
                } else if (lease[0] != null) {
                    workers.notifications().release(slice, lease[0], clock.instant());
                }
            } catch (StoreUnavailableException also) {
                e.addSuppressed(also); // the lease ends on its own; the queue delivers the slice again
            }
            throw e;
        }
    }

    private Result claimAndDeliver(Slice slice, Budget budget, Instant[] lease) {
        Instant now = clock.instant();
        Optional<NotificationStore.Message> message = message(slice.notificationId());
        if (message.isEmpty()) {
            return Result.of(Outcome.ALREADY_FINISHED); // expired: too late to deliver
        }
        Optional<String> mismatch = mismatch(slice, message.get());
        if (mismatch.isPresent()) {
            return Result.refused(mismatch.get());
        }
        Instant until = now.plusMillis(Math.min(budget.remainingMillis(), leaseCap.toMillis()));
        NotificationStore.Claimed claimed = workers.notifications().claim(slice, until, now);
        switch (claimed.claim()) {
            case FINISHED -> {
                return Result.of(Outcome.ALREADY_FINISHED);
            }
            case BUSY -> {
                return Result.busy(Duration.between(now, claimed.leaseUntil()), FanoutResult.NONE);
            }
            case UNKNOWN -> {
                return Result.refused("no such slice was queued for notification " + slice.notificationId());
            }
            default -> lease[0] = until;
        }
        return deliver(slice, message.get(), claimed.cut(), budget, until);
    }

    /** Why {@code slice} does not belong to {@code message}'s notification, if it does not. */
    static Optional<String> mismatch(Slice slice, NotificationStore.Message message) {
        List<NotificationStore.Target> groups = message.groups();
        if (groups.isEmpty()) {
            // recorded before notifications kept their groups (an upgrade, or the old NotifyFunction while the stack
            // updates): only the check that the slice was queued (claim's UNKNOWN) applies
            return Optional.empty();
        }
        if (slice.groupIndex() < 0 || slice.groupIndex() >= groups.size()) {
            return Optional.of("group index " + slice.groupIndex() + " is not one of the notification's "
                    + groups.size() + " groups");
        }
        NotificationStore.Target target = groups.get(slice.groupIndex());
        if (!target.group().equals(slice.group())
                || target.seq() != slice.seq()
                || !target.epoch().equals(slice.epoch())) {
            return Optional.of("the slice names group " + slice.group() + " #" + slice.seq()
                    + ", the notification recorded " + target.group() + " #" + target.seq());
        }
        return Optional.empty();
    }

    private Result deliver(
            Slice slice,
            NotificationStore.Message message,
            Optional<NotificationStore.Cut> recorded,
            Budget budget,
            Instant lease) {
        Instant now = clock.instant();
        GroupName group = GroupName.of(slice.group());
        Optional<NotificationStore.Cut> cut = recorded;
        List<Recipient> page;
        if (cut.isPresent()) {
            // a redelivery: exactly the range recorded the first time, and the same rest
            page = store.recipientsBetween(group, slice.after(), cut.get().end() + "\u0000", Integer.MAX_VALUE, now);
            hand(cut.get().rest());
        } else {
            page = store.recipientsBetween(group, slice.after(), slice.before(), Slice.SIZE + 1, now);
            if (page.size() > Slice.SIZE) {
                String end = page.get(Slice.SIZE - 1).id().value();
                cut = workers.notifications()
                        .cut(slice, new NotificationStore.Cut(end, slice.rest(end)), lease, false, now);
                if (cut.isEmpty()) {
                    return Result.busy(leaseCap, FanoutResult.NONE); // another worker took it over
                }
                page = cut.get().end().equals(end)
                        ? page.subList(0, Slice.SIZE)
                        : store.recipientsBetween(
                                group, slice.after(), cut.get().end() + "\u0000", Integer.MAX_VALUE, now);
                hand(cut.get().rest());
            }
        }
        return post(slice, message, page, cut, budget, lease);
    }

    private Result post(
            Slice slice,
            NotificationStore.Message message,
            List<Recipient> page,
            Optional<NotificationStore.Cut> cut,
            Budget budget,
            Instant lease) {
        MessageFrames frames = MessageFrames.fromServer(message.payload());
        if (slice.seq() > 0) {
            frames = frames.inStream(slice.group(), slice.seq(), message.messageId(), slice.epoch());
        }
        MessageFrames framed = frames;
        Set<ConnectionId> except = message.except();
        Taking<Delivery> taking = Taking.until(
                page.stream()
                        .flatMap(recipient -> Delivery.unless(except, recipient, framed).stream())
                        .iterator(),
                budget,
                STOP_MARGIN);
        Paced paced = new Paced(taking, budget);
        FanoutResult result = fanout.send(paced, budget);
        if (taking.stopped() || paced.stopped) {
            Optional<String> last =
                    paced.last.map(delivery -> delivery.recipient().id().value());
            if (last.isEmpty() && cut.isEmpty()) {
                // no time for even one post, nothing handed on: give the lease back, the queue delivers it again
                workers.notifications().release(slice, lease, clock.instant());
                return Result.busy(SOON, result);
            }
            // out of time (or of budget before the time runs out): the recipients not taken go on in a slice of
            // their own, and this slice's range is narrowed to what it took, so that a redelivery re-runs only that
            String from = last.orElse(slice.after());
            String to = cut.map(c -> c.end() + "\u0000").orElse(slice.before());
            Slice continuation = new Slice(
                    slice.notificationId(),
                    slice.groupIndex(),
                    slice.group(),
                    from,
                    to,
                    slice.seq(),
                    slice.epoch(),
                    false);
            List<Slice> rest =
                    new ArrayList<>(cut.map(NotificationStore.Cut::rest).orElse(List.of()));
            rest.add(continuation);
            if (workers.notifications()
                    .cut(slice, new NotificationStore.Cut(from, rest), lease, true, clock.instant())
                    .isEmpty()) {
                return Result.busy(leaseCap, result); // taken over meanwhile: its new worker goes on
            }
            hand(List.of(continuation));
        }
        workers.notifications().done(slice.notificationId(), slice.id(), result, clock.instant());
        return Result.delivered(result);
    }

    /**
     * Deliveries that each wait for the stack-wide post rate before they are taken; it stops (like {@link Taking})
     * when the rate would not let the next one go before the time runs low.
     */
    private final class Paced implements Iterator<Delivery> {
        private final Iterator<Delivery> source;
        private final Budget budget;
        private boolean ready;
        boolean stopped;
        Optional<Delivery> last = Optional.empty();

        Paced(Iterator<Delivery> source, Budget budget) {
            this.source = source;
            this.budget = budget;
        }

        @Override
        public boolean hasNext() {
            if (ready) {
                return true;
            }
            if (stopped || !source.hasNext()) {
                return false;
            }
            long remaining = budget.remainingMillis();
            long latest = remaining > Long.MAX_VALUE / 4
                    ? Long.MAX_VALUE
                    : clock.millis() + remaining - STOP_MARGIN.toMillis();
            if (rate != null && !rate.acquire(latest)) {
                stopped = true;
                return false;
            }
            ready = true;
            return true;
        }

        @Override
        public Delivery next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ready = false;
            last = Optional.of(source.next());
            return last.get();
        }
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
        if (rest.isEmpty()) {
            return;
        }
        workers.notifications().queued(rest, clock.instant());
        workers.queue().send(rest);
    }
}
