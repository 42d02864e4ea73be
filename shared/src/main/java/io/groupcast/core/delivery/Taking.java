package io.groupcast.core.delivery;

import java.time.Duration;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes from an iterator until the budget is down to a margin, then stops and remembers the last one it took, so
 * that what is left can be handed on (to the fan-out workers) from there: nothing skipped, nothing taken twice.
 *
 * @param <T> what is taken
 */
public final class Taking<T> implements Iterator<T> {
    private final Iterator<T> source;
    private final Budget budget;
    private final long margin;
    private T last;
    private boolean stopped;
    private boolean ready;

    private Taking(Iterator<T> source, Budget budget, Duration margin) {
        this.source = Objects.requireNonNull(source, "source");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.margin = margin.toMillis();
    }

    /** Takes from {@code source} until {@code budget} is down to {@code margin}. */
    public static <T> Taking<T> until(Iterator<T> source, Budget budget, Duration margin) {
        return new Taking<>(source, budget, margin);
    }

    @Override
    public boolean hasNext() {
        if (ready) {
            return true;
        }
        if (stopped || !source.hasNext()) {
            return false;
        }
        if (budget.remainingMillis() <= margin) {
            stopped = true;
            return false;
        }
        ready = true;
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ready = false;
        last = source.next();
        return last;
    }

    /** Whether it stopped for lack of time with more left to take. */
    public boolean stopped() {
        return stopped;
    }

    /** The last one taken; empty when none was. */
    public Optional<T> last() {
        return Optional.ofNullable(last);
    }
}
