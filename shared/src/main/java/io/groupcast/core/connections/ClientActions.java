package io.groupcast.core.connections;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.delivery.Connections;
import io.groupcast.core.delivery.FanoutResult;
import io.groupcast.core.events.LifecycleEvent;
import io.groupcast.core.groups.Permissions;
import io.groupcast.core.handlers.ClientEvents;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.model.Permission;
import io.groupcast.core.model.RequestException;
import io.groupcast.core.notify.Publisher;
import io.groupcast.core.protocol.ClientFrame;
import io.groupcast.core.protocol.ClientFrames;
import io.groupcast.core.protocol.ServerFrame;
import io.groupcast.core.protocol.ServerFrames;
import io.groupcast.core.store.Counters;
import io.groupcast.core.store.MembershipStore;
import io.groupcast.core.store.StoreUnavailableException;
import io.groupcast.core.streams.Streams;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Carries out a client's frame (join, leave, send, resume, ping, whoami, event) for its own connection, within its
 * permissions, and answers it with an ack or error frame that echoes its {@code ackId}.
 */
public record ClientActions(
        MembershipStore store,
        Counters counters,
        Connections connections,
        Permissions permissions,
        Publisher publisher,
        Streams streams,
        int maxGroups,
        Clock clock,
        ClientEvents events) {
    /** The default of {@code MAX_GROUPS_PER_CONNECTION}: named groups one connection may be in at once. */
    public static final int DEFAULT_MAX_GROUPS = 100;

    /**
     * Joins, leaves and resumes one connection may send per {@link #CONTROL_WINDOW_SECONDS}: room for a client in
     * {@code MaxGroupsPerConnection} groups (at most 10,000) to rejoin them all and resume after a reconnect, not for a
     * loop that reads a stream over and over.
     */
    public static final int MAX_CONTROL_FRAMES = 300;

    /** The window control frames are counted in. */
    public static final int CONTROL_WINDOW_SECONDS = 10;

    /**
     * @param permissions decides what a connection may do
     * @param publisher   carries out {@code send} frames
     * @param streams     carries out {@code resume} frames
     * @param maxGroups   named groups one connection may be in at once (its user group does not count)
     * @param clock       decides which memberships have expired
     * @param events      carries out {@code event} frames; its bus gets {@code GroupJoined} and {@code GroupLeft}
     */
    public ClientActions {
        if (maxGroups < 1) {
            throw new IllegalArgumentException("maxGroups must be at least 1, was " + maxGroups);
        }
    }

    /** Client actions without an event handler: event frames are refused with {@code no_event_handler}. */
    public ClientActions(
            MembershipStore store,
            Counters counters,
            Connections connections,
            Permissions permissions,
            Publisher publisher,
            Streams streams,
            int maxGroups,
            Clock clock) {
        this(
                store,
                counters,
                connections,
                permissions,
                publisher,
                streams,
                maxGroups,
                clock,
                ClientEvents.none(counters, clock));
    }

    /** Reads {@code group}'s members once and primes the posting path, sending nothing (SnapStart priming). */
    public void prime(GroupName group) {
        store.prime(group, clock.instant());
        connections.prime();
    }

    /**
     * What a frame came to: the frame the client was answered with, for a {@code send} how its fan-out went, and for
     * an {@code event} whose handler failed, why (for the logs only).
     */
    public record Answer(
            ClientFrame request, ServerFrame frame, Optional<FanoutResult> delivery, Optional<String> failure) {
        /** An answer with no handler failure. */
        public Answer(ClientFrame request, ServerFrame frame, Optional<FanoutResult> delivery) {
            this(request, frame, delivery, Optional.empty());
        }

        /** Whether the frame was done (a ping is, with a pong). */
        public boolean ok() {
            return !(frame instanceof ServerFrame.Error) && !(frame instanceof ServerFrame.Refused);
        }

        /** The error code of a refused frame. */
        public Optional<ErrorCode> error() {
            return frame instanceof ServerFrame.Error error ? Optional.of(error.code()) : Optional.empty();
        }

        /** The code the client was refused with: Groupcast's, or the event handler's own. */
        public Optional<String> refusal() {
            return frame instanceof ServerFrame.Refused refused
                    ? Optional.of(refused.code())
                    : error().map(ErrorCode::code);
        }
    }

    /**
     * Handles one frame of {@code connection}, a {@code send}'s fan-out within {@code budget}; a client mistake is
     * answered with an error frame and changes nothing.
     */
    public Answer handle(Connection connection, String text, Budget budget) {
        ClientFrame frame = ClientFrames.read(text);
        Optional<FanoutResult> delivery = Optional.empty();
        Optional<String> failure = Optional.empty();
        ServerFrame answer;
        try {
            if (frame instanceof ClientFrame.Invalid invalid) {
                throw invalid.reason();
            } else if (frame instanceof ClientFrame.Ping) {
                answer = new ServerFrame.Pong();
            } else if (frame instanceof ClientFrame.Event event) {
                ClientEvents.Handled handled = events.handle(connection, event, budget);
                answer = handled.frame();
                failure = handled.failure();
            } else if (frame instanceof ClientFrame.Whoami whoami) {
                Set<GroupName> groups = store.groupsOf(connection.id(), clock.instant());
                answer =
                        new ServerFrame.Whoami(connection.id(), connection.user(), List.copyOf(groups), whoami.ackId());
            } else if (frame instanceof ClientFrame.Resume resume) {
                countControl(connection);
                // the replayed messages and gaps are posted first; the resumed frame ends the resume
                answer = streams.resume(connection, resume, budget);
            } else if (frame instanceof ClientFrame.Join join) {
                join(connection, join, budget);
                events.bus().put(LifecycleEvent.joined(connection, join.group(), clock.instant()));
                answer = ServerFrame.Ack.of(frame, Optional.of(join.group()));
            } else if (frame instanceof ClientFrame.Leave leave) {
                permissions.require(connection, Permission.JOIN_LEAVE_GROUP, leave.group());
                countControl(connection);
                store.leave(connection.id(), leave.group());
                streams.left(connection, leave.group());
                events.bus().put(LifecycleEvent.left(connection, leave.group(), clock.instant()));
                answer = ServerFrame.Ack.of(frame, Optional.of(leave.group()));
            } else {
                ClientFrame.Send send = (ClientFrame.Send) frame;
                permissions.require(connection, Permission.SEND_TO_GROUP, send.group());
                Publisher.Published published =
                        publisher.publish(connection, send.group(), send.data(), send.noEcho(), send.ackId(), budget);
                delivery = published.duplicate() ? Optional.empty() : Optional.of(published.delivery());
                answer = new ServerFrame.Ack(
                        send.action(), Optional.of(send.group()), send.ackId(), published.duplicate());
            }
        } catch (RequestException e) {
            answer = new ServerFrame.Error(e.code(), e.getMessage(), frame.ackId());
        } catch (StoreUnavailableException e) {
            answer =
                    new ServerFrame.Error(ErrorCode.STORE_UNAVAILABLE, StoreUnavailableException.ANSWER, frame.ackId());
        }
        connections.post(connection.id(), ServerFrames.write(answer)).join();
        return new Answer(frame, answer, delivery, failure);
    }

    /**
     * Refuses with {@code rate_limited} a connection's join, leave or resume beyond {@link #MAX_CONTROL_FRAMES}; counted
     * once the frame is allowed, so that a refused frame changes nothing.
     */
    private void countControl(Connection connection) {
        long window = clock.instant().getEpochSecond() / CONTROL_WINDOW_SECONDS;
        if (counters.count(connection.id(), "frames", window, connection.expiresAt()) > MAX_CONTROL_FRAMES) {
            throw new RequestException(
                    ErrorCode.RATE_LIMITED,
                    "this connection may send at most " + MAX_CONTROL_FRAMES + " joins, leaves and resumes in "
                            + CONTROL_WINDOW_SECONDS + " seconds; wait a moment");
        }
    }

    /**
     * Joins (with a rewind, the last kept messages are sent first) unless the connection is already in
     * {@code maxGroups} named groups.
     */
    private void join(Connection connection, ClientFrame.Join join, Budget budget) {
        GroupName group = join.group();
        permissions.require(connection, Permission.JOIN_LEAVE_GROUP, group);
        if (join.rewind().any()) {
            permissions.requireRewind(connection, group);
        }
        countControl(connection);
        // how far back the user may read is recorded before it is a member: a message numbered in between is one
        // it may read, never one it may not
        streams.joined(connection, group, streams.rewindStart(group, join.rewind()));
        StoreUnavailableException.requireTime(budget.remainingMillis());
        if (!store.join(connection.recipient(), group, connection.expiresAt(), maxGroups)) {
            streams.left(connection, group);
            throw new RequestException(
                    ErrorCode.TOO_MANY_GROUPS,
                    "this connection is already in " + maxGroups
                            + " groups, the most allowed; leave one before joining another");
        }
        streams.rewind(connection, group, join.rewind(), budget);
    }
}
