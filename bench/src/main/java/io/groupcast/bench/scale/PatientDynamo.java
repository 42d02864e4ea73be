package io.groupcast.bench.scale;

import io.groupcast.bench.BenchSetup;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A DynamoDB client for dynalite under heavy load: the functions' standard retries, but 30 s per attempt instead of
 * 2 s, because dynalite (one Node.js process) exits when a client aborts a request it is still working on.
 */
final class PatientDynamo {
    private PatientDynamo() {}

    static DynamoDbClient client(BenchSetup setup, ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(setup.env(null).get("DYNAMODB_ENDPOINT")))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(30))
                        .build())
                .overrideConfiguration(b -> {
                    b.retryStrategy(RetryMode.STANDARD)
                            .apiCallAttemptTimeout(Duration.ofSeconds(30))
                            .apiCallTimeout(Duration.ofSeconds(90));
                    for (ExecutionInterceptor interceptor : interceptors) {
                        b.addExecutionInterceptor(interceptor);
                    }
                })
                .build();
    }
}
