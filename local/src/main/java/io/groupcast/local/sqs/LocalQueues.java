package io.groupcast.local.sqs;

import io.groupcast.local.template.Intrinsics;
import io.groupcast.local.template.SamTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The template's SQS queues, inside the gateway, with the semantics the fan-out relies on: a received message is
 * invisible for the queue's {@code VisibilityTimeout} and comes back unless deleted (redelivery, at least once),
 * every receive counts ({@code ApproximateReceiveCount}), and a message received {@code maxReceiveCount} times
 * that comes back once more moves to the {@code RedrivePolicy}'s dead-letter queue instead.
 */
public final class LocalQueues {
    private final Map<String, Queue> queues = new LinkedHashMap<>();

    /** A message as a receiver sees it. */
    public record Received(String messageId, String receiptHandle, String body, int receiveCount, long sentAt) {}

    private static final class Message {
        final String id = UUID.randomUUID().toString();
        final String body;
        final long sentAt = System.currentTimeMillis();
        long visibleAt;
        int receives;
        String receipt;

        Message(String body) {
            this.body = body;
        }
    }

    private static final class Queue {
        final String name;
        final Duration visibility;
        final String deadLetters;
        final int maxReceives;
        final List<Message> messages = new ArrayList<>();

        Queue(String name, Duration visibility, String deadLetters, int maxReceives) {
            this.name = name;
            this.visibility = visibility;
            this.deadLetters = deadLetters;
            this.maxReceives = maxReceives;
        }
    }

    /** The queues of {@code template}, by logical id, their properties resolved against {@code parameters}. */
    public static LocalQueues of(SamTemplate template, Map<String, String> parameters) {
        LocalQueues local = new LocalQueues();
        Map<String, Optional<String>> defaults = template.parameters();
        template.resourcesOfType("AWS::SQS::Queue").forEach((id, resource) -> {
            Map<String, Object> properties = SamTemplate.map(resource.get("Properties"));
            Object visibility = properties.getOrDefault("VisibilityTimeout", "30");
            String ref = Intrinsics.refTarget(visibility);
            if (ref != null) {
                visibility = parameters.containsKey(ref)
                        ? parameters.get(ref)
                        : defaults.getOrDefault(ref, Optional.empty()).orElse("30");
            }
            Duration own = Duration.ofSeconds(Long.parseLong(String.valueOf(visibility)));
            Map<String, Object> redrive = SamTemplate.map(properties.get("RedrivePolicy"));
            String deadLetters = redrive.isEmpty() ? null : Intrinsics.refTarget(redrive.get("deadLetterTargetArn"));
            int maxReceives = redrive.isEmpty()
                    ? Integer.MAX_VALUE
                    : Integer.parseInt(String.valueOf(redrive.get("maxReceiveCount")));
            local.queues.put(id, new Queue(id, own, deadLetters, maxReceives));
        });
        return local;
    }

    /**
     * One queue, {@code name}, and its dead-letter queue {@code name-dlq} after {@code maxReceives} receives
     * (benchmarks and tests that run workers without a template).
     */
    public static LocalQueues single(String name, Duration visibility, int maxReceives) {
        LocalQueues local = new LocalQueues();
        local.queues.put(name, new Queue(name, visibility, name + "-dlq", maxReceives));
        local.queues.put(name + "-dlq", new Queue(name + "-dlq", visibility, null, Integer.MAX_VALUE));
        return local;
    }

    /** The logical ids of the queues. */
    public List<String> names() {
        return List.copyOf(queues.keySet());
    }

    private Queue queue(String name) {
        Queue queue = queues.get(name);
        if (queue == null) {
            throw new IllegalArgumentException("no queue " + name);
        }
        return queue;
    }

    /** Sends a message; answers its id. */
    public synchronized String send(String name, String body) {
        Message message = new Message(body);
        queue(name).messages.add(message);
        notifyAll();
        return message.id;
    }

    /**
     * Receives up to {@code max} visible messages, waiting up to {@code wait} for the first; each becomes invisible
     * for the queue's visibility timeout. A message that was received {@code maxReceiveCount} times moves to the
     * dead-letter queue instead of being received again.
     */
    public synchronized List<Received> receive(String name, int max, Duration wait) throws InterruptedException {
        Queue queue = queue(name);
        long deadline = System.currentTimeMillis() + wait.toMillis();
        for (; ; ) {
            long now = System.currentTimeMillis();
            List<Received> received = new ArrayList<>();
            long nextVisible = Long.MAX_VALUE;
            for (Iterator<Message> it = queue.messages.iterator(); it.hasNext() && received.size() < max; ) {
                Message message = it.next();
                if (message.visibleAt > now) {
                    nextVisible = Math.min(nextVisible, message.visibleAt);
                    continue;
                }
                if (message.receives >= queue.maxReceives && queue.deadLetters != null) {
                    it.remove();
                    Message moved = new Message(message.body);
                    queue(queue.deadLetters).messages.add(moved);
                    continue;
                }
                message.receives++;
                message.visibleAt = now + queue.visibility.toMillis();
                message.receipt = UUID.randomUUID().toString();
                received.add(new Received(message.id, message.receipt, message.body, message.receives, message.sentAt));
            }
            if (!received.isEmpty() || now >= deadline) {
                return received;
            }
            wait(Math.max(1, Math.min(deadline, nextVisible) - now));
        }
    }

    /** Makes a received message visible again after {@code delay}, if the receipt is its latest. */
    public synchronized void changeVisibility(String name, String receiptHandle, Duration delay) {
        for (Message message : queue(name).messages) {
            if (receiptHandle.equals(message.receipt)) {
                message.visibleAt = System.currentTimeMillis() + delay.toMillis();
            }
        }
        notifyAll();
    }

    /**
     * Moves every message of dead-letter queue {@code from} back to {@code to} as new messages (received 0 times), as
     * SQS's dead-letter queue redrive ({@code StartMessageMoveTask}) does; answers how many moved.
     */
    public synchronized int redrive(String from, String to) {
        Queue source = queue(from);
        Queue target = queue(to);
        int moved = source.messages.size();
        source.messages.forEach(message -> target.messages.add(new Message(message.body)));
        source.messages.clear();
        notifyAll();
        return moved;
    }

    /** Deletes a received message, if the receipt is its latest. */
    public synchronized void delete(String name, String receiptHandle) {
        queue(name).messages.removeIf(m -> receiptHandle.equals(m.receipt));
    }

    /** Messages in a queue, visible or in flight. */
    public synchronized int size(String name) {
        return queue(name).messages.size();
    }

    /** The bodies of a queue's messages (a dead-letter queue's, say). */
    public synchronized List<String> bodies(String name) {
        return queue(name).messages.stream().map(m -> m.body).toList();
    }
}
