package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.core.model.ErrorCode;
import io.groupcast.standins.ProjectRoot;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Every error code Groupcast can answer has its row in docs/errors.md: code, status and sentence, as the enum says. */
class ErrorCodesDocumentedTest {
    @Test
    void shouldDocumentEveryErrorCode_withItsStatusAndSentence() throws IOException {
        String docs = Files.readString(ProjectRoot.get().resolve("docs/errors.md"));

        for (ErrorCode code : ErrorCode.values()) {
            String row = "| `" + code.code() + "` | " + code.status() + " | "
                    + code.when().replace("|", "\\|") + " |";
            assertThat(docs).as(code.code()).contains(row);
        }
    }
}
