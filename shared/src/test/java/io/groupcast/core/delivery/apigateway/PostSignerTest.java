package io.groupcast.core.delivery.apigateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/** Groupcast's signer must produce exactly what the SDK's SigV4 signer produces for the same post. */
class PostSignerTest {
    @ParameterizedTest
    @CsvSource({
        "api.execute-api.eu-west-1.amazonaws.com, eu-west-1, /prod, L0SM9cOFvHcCIhw=, false, 2026-11-28T06:59:01Z",
        "127.0.0.1:3001, us-east-1, /prod, abc+/=_-~.é, true, 2026-01-01T00:00:00Z",
        "example.com:8443, ap-southeast-2, /my stage, x, true, 2026-12-31T23:59:59Z",
    })
    void shouldSignExactlyLikeTheSdk(
            String host, String region, String stage, String id, boolean session, Instant now) {
        AwsCredentialsIdentity credentials = session
                ? AwsSessionCredentialsIdentity.create(
                        "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEBYaDH+token/with==")
                : AwsCredentialsIdentity.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        String path = SdkHttpUtils.urlEncodeIgnoreSlashes(stage) + "/@connections/" + SdkHttpUtils.urlEncode(id);
        byte[] payload = "{\"hello\":\"wörld\"}".getBytes(StandardCharsets.UTF_8);
        PostSigner signer = new PostSigner(region);

        PostSigner.Signature ours = signer.sign("POST", credentials, host, path, payload, now);
        PostSigner.Signature again = signer.sign("POST", credentials, host, path, payload, now);
        SignedRequest sdk = AwsV4HttpSigner.create()
                .sign(r -> r.identity(credentials)
                        .request(SdkHttpRequest.builder()
                                .method(SdkHttpMethod.POST)
                                .uri(URI.create("https://" + host + path))
                                .build())
                        .payload(ContentStreamProvider.fromByteArray(payload))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(now, ZoneOffset.UTC)));

        assertThat(ours.authorization())
                .isEqualTo(sdk.request().firstMatchingHeader("Authorization").orElseThrow());
        assertThat(ours.payloadHash())
                .isEqualTo(sdk.request()
                        .firstMatchingHeader("x-amz-content-sha256")
                        .orElseThrow());
        assertThat(ours.amzDate())
                .isEqualTo(sdk.request().firstMatchingHeader("X-Amz-Date").orElseThrow());
        assertThat(ours.securityToken())
                .isEqualTo(sdk.request()
                        .firstMatchingHeader("X-Amz-Security-Token")
                        .orElse(null));
        assertThat(again).as("the cached signing key signs the same").isEqualTo(ours);
    }

    @ParameterizedTest
    @CsvSource({"2026-11-28T23:59:59Z, 2026-11-29T00:00:00Z"})
    void shouldDeriveANewKeyWhenTheDayChanges(Instant before, Instant after) {
        AwsCredentialsIdentity credentials = AwsCredentialsIdentity.create("AKID", "secret");
        PostSigner signer = new PostSigner("us-east-1");
        PostSigner fresh = new PostSigner("us-east-1");
        byte[] payload = {'1'};

        signer.sign("POST", credentials, "h", "/s/@connections/x", payload, before);

        assertThat(signer.sign("POST", credentials, "h", "/s/@connections/x", payload, after))
                .isEqualTo(fresh.sign("POST", credentials, "h", "/s/@connections/x", payload, after));
        assertThat(signer.sign(
                        "POST",
                        AwsCredentialsIdentity.create("AKID", "rotated"),
                        "h",
                        "/s/@connections/x",
                        payload,
                        after))
                .isNotEqualTo(fresh.sign("POST", credentials, "h", "/s/@connections/x", payload, after));
    }
}
