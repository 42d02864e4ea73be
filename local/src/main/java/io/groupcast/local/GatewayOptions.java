package io.groupcast.local;

import io.groupcast.core.model.ApiGatewayLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the local gateway runs: where it listens, the template and its parameters, where DynamoDB is, and API Gateway's
 * connection limits (shortened in tests).
 */
public record GatewayOptions(
        String host,
        int wsPort,
        int httpPort,
        Path template,
        Optional<Path> dataDir,
        Optional<String> dynamoDbEndpoint,
        String tableName,
        Map<String, String> parameters,
        Duration idleTimeout,
        Duration maxConnectionDuration,
        boolean quiet) {
    public GatewayOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(dynamoDbEndpoint, "dynamoDbEndpoint");
        Objects.requireNonNull(tableName, "tableName");
        parameters = Map.copyOf(parameters);
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(maxConnectionDuration, "maxConnectionDuration");
    }

    /**
     * Defaults: localhost on 3001 (WebSocket API) and 3000 (HTTP API), dynalite in memory, the dev JWT secret, API
     * Gateway's idle and duration limits.
     */
    public static Builder builder(Path template) {
        return new Builder(template);
    }

    /** Options one at a time, over the defaults. */
    public static final class Builder {
        private String host = "localhost";
        private int wsPort = 3001;
        private int httpPort = 3000;
        private Path template;
        private Optional<Path> dataDir = Optional.empty();
        private Optional<String> dynamoDbEndpoint = Optional.empty();
        private String tableName = DevDefaults.TABLE_NAME;
        private final Map<String, String> parameters = new HashMap<>();
        private Duration idleTimeout = ApiGatewayLimits.IDLE_TIMEOUT;
        private Duration maxConnectionDuration = ApiGatewayLimits.MAX_CONNECTION_DURATION;
        private boolean quiet;

        private Builder(Path template) {
            this.template = template;
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** Both ports; 0 picks free ones. */
        public Builder ports(int wsPort, int httpPort) {
            this.wsPort = wsPort;
            this.httpPort = httpPort;
            return this;
        }

        public Builder wsPort(int port) {
            this.wsPort = port;
            return this;
        }

        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        public Builder template(Path template) {
            this.template = template;
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = Optional.of(dir);
            return this;
        }

        public Builder dynamoDbEndpoint(String endpoint) {
            this.dynamoDbEndpoint = Optional.of(endpoint);
            return this;
        }

        public Builder tableName(String table) {
            this.tableName = table;
            return this;
        }

        /** A template parameter, e.g. {@code JwtSecret}. */
        public Builder parameter(String name, String value) {
            parameters.put(name, value);
            return this;
        }

        /** Whether a template parameter has been given. */
        public boolean hasParameter(String name) {
            return parameters.containsKey(name);
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder maxConnectionDuration(Duration duration) {
            this.maxConnectionDuration = duration;
            return this;
        }

        public Builder quiet(boolean quiet) {
            this.quiet = quiet;
            return this;
        }

        public GatewayOptions build() {
            if (!parameters.containsKey("JwtSecret") && !parameters.containsKey("JwksUrl")) {
                parameters.put("JwtSecret", DevDefaults.JWT_SECRET);
            }
            return new GatewayOptions(
                    host,
                    wsPort,
                    httpPort,
                    template,
                    dataDir,
                    dynamoDbEndpoint,
                    tableName,
                    parameters,
                    idleTimeout,
                    maxConnectionDuration,
                    quiet);
        }
    }
}
