package io.groupcast.local.apigateway;

import io.groupcast.core.model.ErrorCode;
import io.groupcast.core.model.Names;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Refuses requests whose {@code Host} is not one of the gateway's own names, so a web page on another site cannot
 * reach the gateway by pointing its own domain at 127.0.0.1 (DNS rebinding): the local HTTP API checks no SigV4, and
 * the demo page hands out tokens.
 */
public final class HostCheck extends Handler.Wrapper {
    private final Set<String> names;

    /** Answers to the loopback names and {@code host}; a wildcard {@code host} adds this machine's names. */
    public HostCheck(Handler handler, String host) {
        super(handler);
        this.names = names(host);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = Request.getServerName(request);
        if (host == null || !names.contains(bare(host))) {
            HttpResponses.error(
                    response,
                    callback,
                    ErrorCode.FORBIDDEN,
                    "this gateway answers to " + String.join(", ", new TreeSet<>(names)) + ", not Host "
                            + Names.describe(String.valueOf(host))
                            + " (a guard against DNS rebinding); start it with --host NAME --allow-remote to "
                            + "answer to NAME");
            return true;
        }
        return super.handle(request, response, callback);
    }

    /** The names requests may carry in {@code Host}. */
    static Set<String> names(String host) {
        Set<String> names = new HashSet<>(List.of("localhost", "127.0.0.1", "::1", bare(host)));
        try {
            InetAddress bound = InetAddress.getByName(host);
            if (bound.isAnyLocalAddress()) {
                InetAddress local = InetAddress.getLocalHost();
                names.add(bare(local.getHostName()));
                names.add(bare(local.getCanonicalHostName()));
                for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    Collections.list(nic.getInetAddresses())
                            .forEach(address -> names.add(bare(address.getHostAddress())));
                }
            } else {
                names.add(bare(bound.getHostAddress()));
            }
        } catch (UnknownHostException | SocketException e) {
            // the listener's own name is enough
        }
        return Set.copyOf(names);
    }

    /** A host name in lower case, without IPv6 brackets or an interface scope. */
    private static String bare(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        int scope = name.indexOf('%');
        return scope < 0 ? name : name.substring(0, scope);
    }
}
