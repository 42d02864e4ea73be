package io.groupcast.client;

import static io.groupcast.client.GroupcastClientRetryTest.clientFor;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** What the AWS SDK's clients do and this one does too: user agent, region from the host name. */
class ConventionsTest {
    private final ScriptedServer server = ScriptedServer.start();

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void shouldNameItselfAndItsVersion_inTheUserAgent() {
        try (GroupcastClient client = clientFor(server.uri())) {
            client.userExists("kim");
        }

        assertThat(server.requests().get(0).header("User-Agent")).matches("groupcast-java/\\d+\\.\\d+\\.\\d+\\S*");
    }

    @Test
    void shouldSignForTheRegionInTheEndpointsHostName_whenNoRegionIsGiven() {
        RecordingHttpClient http = new RecordingHttpClient();
        try (GroupcastClient client = GroupcastClient.builder()
                .endpoint(URI.create("https://abc123.execute-api.eu-west-2.amazonaws.com"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .httpClient(http)
                .build()) {
            client.sendToUser("kim", Map.of("n", 1));
        }

        assertThat(http.requests().get(0).firstMatchingHeader("Authorization"))
                .hasValueSatisfying(auth -> assertThat(auth).contains("/eu-west-2/execute-api/aws4_request"));
    }
}
