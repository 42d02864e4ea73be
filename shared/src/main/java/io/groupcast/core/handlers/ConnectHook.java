package io.groupcast.core.handlers;

import io.groupcast.core.delivery.Budget;
import io.groupcast.core.model.Connection;
import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.Grant;
import io.groupcast.core.model.Grants;
import io.groupcast.core.model.GroupName;
import io.groupcast.core.store.GrantStore;
import io.groupcast.core.store.StoreUnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Asks the application's handler whether a connection may open ({@code ConnectHook=Enabled}): it may refuse it (a
 * status from 400 to 499 and a reason), add Groupcast roles (recorded as the server's grants on the connection) and
 * name groups to join. Bounded by {@link HandlerSettings#connectTimeout()} and by what {@code $connect} needs for its
 * own store calls; a hook that times out or fails refuses the connection with 503, or lets it in as its token says
 * when {@link HandlerSettings#allowOnFailure()}.
 */
public record ConnectHook(Optional<EventHandler> handler, GrantStore grants, HandlerSettings settings) {
    /** No hook: every connection is let in as its token says. */
    public static final ConnectHook NONE = new ConnectHook(Optional.empty(), null, HandlerSettings.DEFAULTS);

    /** What the hook decided for a connection it lets in; {@code failure} when it failed and was let through. */
    public record Admission(Grants roles, List<GroupName> groups, Optional<String> failure) {
        /** In as the token says. */
        public static final Admission AS_IS = new Admission(Grants.NONE, List.of(), Optional.empty());

        public Admission {
            groups = List.copyOf(groups);
        }
    }

    /** Whether {@code $connect} asks the handler first. */
    public boolean enabled() {
        return settings.connectHook() && handler.isPresent();
    }

    /**
     * The hook's decision on {@code connection}, writing nothing; throws {@link ConnectRefusedException} when it
     * refuses, or fails and failures refuse.
     */
    public Admission admit(Connection connection, Budget budget) {
        if (!enabled()) {
            return Admission.AS_IS;
        }
        long left = budget.remainingMillis() - StoreUnavailableException.CALL_TIMEOUT.toMillis() - 500;
        Duration timeout = Duration.ofMillis(Math.min(settings.connectTimeout().toMillis(), left));
        try {
            if (timeout.toMillis() < 1) {
                throw new HandlerTimeoutException("no time left for the connect hook", null);
            }
            byte[] input = HandlerProtocol.input(
                    HandlerProtocol.CONNECT, HandlerProtocol.CONNECT, connection, HandlerProtocol.NO_DATA);
            HandlerReply reply = HandlerProtocol.connect(handler.get().call(input, timeout));
            if (reply instanceof HandlerReply.Deny deny) {
                throw new ConnectRefusedException(
                        deny.status(), ErrorCode.CONNECT_REFUSED, deny.reason(), Optional.empty());
            }
            HandlerReply.Allow allow = (HandlerReply.Allow) reply;
            return new Admission(roles(allow.roles()), allow.groups(), Optional.empty());
        } catch (ConnectRefusedException e) {
            throw e;
        } catch (RuntimeException e) {
            // a timeout, a failure, a reply that breaks the protocol (HandlerFailedException), an adapter's bug
            String why = String.valueOf(e.getMessage());
            if (settings.allowOnFailure()) {
                return new Admission(Grants.NONE, List.of(), Optional.of(why));
            }
            throw new ConnectRefusedException(
                    503,
                    ErrorCode.CONNECT_HOOK_FAILED,
                    "the connect hook did not answer; try again in a moment",
                    Optional.of(why));
        }
    }

    /** Records the roles the hook added as the server's grants on the connection, ending with it. */
    public void record(Connection connection, Admission admission) {
        for (Grant grant : admission.roles().grants()) {
            grants.grant(connection.id(), grant, connection.expiresAt());
        }
    }

    private static Grants roles(List<String> roles) {
        try {
            return Grants.ofRoles(roles);
        } catch (IllegalArgumentException e) {
            throw new HandlerFailedException("the connect hook's roles: " + e.getMessage());
        }
    }
}
