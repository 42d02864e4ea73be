package io.groupcast.local;

import io.groupcast.local.apigateway.GatewayLog;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** The gateway's Jetty servers: the APIs on every address of the host, the functions' own on loopback; stopped together. */
final class GatewayServers {
    private final String host;
    private final GatewayLog log;
    private final List<Server> servers = new ArrayList<>();

    GatewayServers(String host, GatewayLog log) {
        this.host = host;
        this.log = log;
    }

    /** A server listening on {@code port} of every address of the host (IPv4 first); 0 picks one free port for all. */
    Server listen(String name, int port) {
        QueuedThreadPool threads = new QueuedThreadPool(400, 8);
        threads.setName(name);
        threads.setDaemon(true);
        Server server = new Server(threads);
        servers.add(server);
        List<InetAddress> addresses = addresses(host);
        int bound = port;
        for (InetAddress address : addresses) {
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(address.getHostAddress());
            connector.setPort(bound);
            connector.setReuseAddress(true);
            try {
                connector.open();
            } catch (Exception e) {
                if (server.getConnectors().length == 0 && address == addresses.get(addresses.size() - 1)) {
                    throw new IllegalStateException(
                            "cannot listen on " + host + ":" + port + " ("
                                    + e.getMessage() + "); is another gateway running? Choose another port with --"
                                    + name + "-port",
                            e);
                }
                continue;
            }
            server.addConnector(connector);
            bound = connector.getLocalPort();
        }
        return server;
    }

    /** A server on a free loopback port; {@code what} names it when the port cannot be opened. */
    Server loopback(String what) {
        Server server = new Server(new QueuedThreadPool(32, 2));
        servers.add(server);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        try {
            connector.open();
        } catch (Exception e) {
            throw new IllegalStateException("cannot open " + what + ": " + e.getMessage(), e);
        }
        return server;
    }

    /** The port a server listens on (the same on each of its addresses). */
    static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    private static List<InetAddress> addresses(String host) {
        try {
            List<InetAddress> all = new ArrayList<>(List.of(InetAddress.getAllByName(host)));
            all.sort((a, b) -> Boolean.compare(a instanceof Inet6Address, b instanceof Inet6Address));
            return all;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }

    /** Stops every server, logging the ones that fail to stop. */
    void stop() {
        for (Server server : servers) {
            try {
                server.stop();
            } catch (Exception e) {
                log.error("stopping a server", e);
            }
        }
    }
}
