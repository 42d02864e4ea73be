package io.groupcast.core.workers;

/** The stack-wide count of posts per second that every worker takes its share from. */
public interface PostBudget {
    /**
     * Takes {@code chunk} posts of second {@code second} (epoch seconds) if no more than {@code allowed} of that
     * second's posts are taken with them; answers whether they were.
     */
    boolean take(long second, int chunk, long allowed);
}
