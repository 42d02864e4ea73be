package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.model.ErrorCode;
import io.groupcast.testing.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Every error code Groupcast can answer is listed in the error table of the docs, with its status. */
class ErrorCodesDocumentedTest {
    @Test
    void shouldDocumentEveryErrorCode_withItsStatus() throws IOException {
        String docs = Files.readString(ProjectRoot.get().resolve("README.md"));

        for (ErrorCode code : ErrorCode.values()) {
            assertThat(docs).as(code.code()).containsPattern("\\| " + code.status() + " \\| `" + code.code() + "` \\|");
        }
    }
}
