package io.groupcast.core.config;

import io.groupcast.core.auth.Hs256Keys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * The HS256 secret of a Secrets Manager secret ({@code JWT_SECRET_ARN}), kept current: read at start, again every
 * {@link #REFRESH} and after each SnapStart restore ({@link #refresh}), so that a rotated secret is used without a
 * new deployment. During a rotation the previous version ({@code AWSPREVIOUS}) is accepted too, for
 * {@link #PREVIOUS_GRACE} after the current one was created: tokens signed just before the rotation still connect.
 * A refresh that fails keeps the secrets it had (and tries again at the next token); the first read failing fails
 * the start, naming the secret.
 */
public final class RotatingSecret implements Hs256Keys {
    /** How long secrets are used before they are read again. */
    public static final Duration REFRESH = Duration.ofMinutes(5);

    /** How long after a rotation tokens signed with the previous secret are still accepted. */
    public static final Duration PREVIOUS_GRACE = Duration.ofHours(1);

    private final SecretsManagerClient secrets;
    private final String arn;
    private final Clock clock;
    private Version current;
    private Optional<Version> previous = Optional.empty();
    private Instant readAt;

    /** A version of the secret and when it was created. */
    private record Version(byte[] key, Instant created) {}

    RotatingSecret(SecretsManagerClient secrets, String arn, Clock clock) {
        this.secrets = secrets;
        this.arn = arn;
        this.clock = clock;
        try {
            read();
        } catch (SdkException e) {
            throw new ConfigurationException(
                    "cannot read the secret of JWT_SECRET_ARN (" + arn + "): " + e.getMessage());
        }
    }

    @Override
    public synchronized List<byte[]> keys() {
        if (!clock.instant().isBefore(readAt.plus(REFRESH))) {
            tryRead();
        }
        List<byte[]> keys = new ArrayList<>(List.of(current.key()));
        if (clock.instant().isBefore(current.created().plus(PREVIOUS_GRACE))) {
            previous.ifPresent(version -> keys.add(version.key()));
        }
        return keys;
    }

    @Override
    public synchronized void refresh() {
        tryRead();
    }

    /** Reads the secret again; on failure the secrets read before stay, and the next token tries again. */
    private void tryRead() {
        try {
            read();
        } catch (SdkException | IllegalArgumentException e) {
            readAt = clock.instant().minus(REFRESH);
        }
    }

    private void read() {
        Version now = version(fetch("AWSCURRENT")
                .orElseThrow(() -> ResourceNotFoundException.builder()
                        .message("no AWSCURRENT version")
                        .build()));
        Optional<Version> before = fetch("AWSPREVIOUS").map(RotatingSecret::version);
        current = now;
        previous = before;
        readAt = clock.instant();
    }

    private Optional<GetSecretValueResponse> fetch(String stage) {
        try {
            return Optional.of(secrets.getSecretValue(b -> b.secretId(arn).versionStage(stage)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty(); // no previous version: the secret was never rotated
        }
    }

    private static Version version(GetSecretValueResponse response) {
        Instant created = response.createdDate() == null ? Instant.EPOCH : response.createdDate();
        return new Version(Hs256Keys.checked("the secret of JWT_SECRET_ARN", response.secretString()), created);
    }
}
