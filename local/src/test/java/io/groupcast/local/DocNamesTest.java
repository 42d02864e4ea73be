package io.groupcast.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.local.DocSpans.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every name the docs give in backticks exists: a class, a template parameter or resource, an option of the local
 * gateway, an environment variable, an error code. A doc that names something renamed or never built fails here.
 */
class DocNamesTest {
    /** A type-like name: upper camel case, at least one lower-case letter ({@code Notifier}, {@code PutItem}). */
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*");
    /** {@code Class.member}: the class must exist and declare or use the member. */
    private static final Pattern MEMBER = Pattern.compile("([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)\\.([A-Za-z_]\\w*)");
    /** {@code io.groupcast.core.model} or {@code io.groupcast.core.model.ErrorCode}. */
    private static final Pattern PACKAGE = Pattern.compile("io\\.groupcast((?:\\.[a-z0-9]+)*)(?:\\.([A-Z]\\w*))?");
    /** {@code ResumeWindowSeconds=0}: a template parameter set to a value. */
    private static final Pattern PARAMETER_SET = Pattern.compile("(?:--parameter )?([A-Z][A-Za-z0-9]*[a-z]\\w*)=.*");
    /** An option and what follows it ({@code --data DIR}). */
    private static final Pattern OPTION = Pattern.compile("(--[a-z][a-z0-9-]*)(?:[ =].*)?");
    /** An environment variable, alone or set ({@code JWT_SECRET}, {@code LOG_LEVEL=WARN}). */
    private static final Pattern VARIABLE = Pattern.compile("([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?:=.*)?");
    /** An error code, alone or after its status ({@code forbidden} is one word: too common to check). */
    private static final Pattern CODE = Pattern.compile("(?:\\d{3} )?([a-z][a-z0-9]*(?:_[a-z0-9]+)+)");
    /** An error answer in any example, code blocks included. */
    private static final Pattern ERROR_ANSWER = Pattern.compile("\"error\"\\s*:\\s*\"(\\w+)\"");

    /** Names of AWS, of standards and of other tools that the docs rightly use and no Groupcast file spells. */
    private static final Set<String> OTHERS = Set.of(
            "ReadOnlyAccess", // AWS managed policies
            "AmazonAPIGatewayPushToCloudWatchLogs",
            "AuthorizerResultTtlInSeconds", // the authorizer setting security.md says is deliberately not set
            "Limit", // DynamoDB Query parameters (the code sets them through the SDK's builders)
            "ExclusiveStartKey",
            "ConcurrentExecutions", // CloudWatch's own Lambda metric
            "token_use", // JWT and OIDC names
            "jwks_uri",
            "--endpoint-url", // the AWS CLI's and SAM CLI's options in the how-tos
            "--add-host");

    /** Codes of an application's own event handler in the examples (docs/handlers.md): Groupcast passes them on. */
    private static final Set<String> APP_CODES = Set.of("banned_word", "unknown_event");

    private static DocSpans docs;

    @BeforeAll
    static void read() {
        docs = DocSpans.read();
    }

    @Test
    void shouldNameOnlyTypesParametersAndResourcesThatExist() {
        Set<String> names = NamesInCode.typesAndResources();
        Map<String, String> declaring = NamesInCode.declaringSources();
        List<String> unknown = new ArrayList<>();
        for (Span span : docs.matching(TYPE)) {
            check(span.foreign() || names.contains(span.text()) || OTHERS.contains(span.text()), span, unknown);
        }
        for (Span span : docs.matching(MEMBER)) {
            Matcher member = MEMBER.matcher(span.text());
            member.matches();
            String source = declaring.getOrDefault(member.group(1), "");
            check(
                    span.foreign()
                            || Pattern.compile("\\b" + member.group(2) + "\\b")
                                    .matcher(source)
                                    .find(),
                    span,
                    unknown);
        }
        for (Span span : docs.matching(PACKAGE)) {
            check(packageExists(span.text()), span, unknown);
        }

        assertThat(docs.matching(TYPE)).as("type-like names in the docs").hasSizeGreaterThan(200);
        assertThat(unknown).as("names the docs give that nothing declares").isEmpty();
    }

    @Test
    void shouldNameOnlyParametersAndOptionsThatExist() {
        Set<String> parameters = NamesInCode.parameters();
        Set<String> options = NamesInCode.options();
        List<String> unknown = new ArrayList<>();
        for (Span span : docs.matching(PARAMETER_SET)) {
            Matcher set = PARAMETER_SET.matcher(span.text());
            set.matches();
            check(parameters.contains(set.group(1)), span, unknown);
        }
        for (Span span : docs.matching(OPTION)) {
            Matcher option = OPTION.matcher(span.text());
            option.matches();
            check(options.contains(option.group(1)) || OTHERS.contains(option.group(1)), span, unknown);
        }

        assertThat(options).as("options read from the code").contains("--verify-sigv4", "--parameter", "--role");
        assertThat(unknown)
                .as("parameters and options the docs give that do not exist")
                .isEmpty();
    }

    @Test
    void shouldNameOnlyEnvironmentVariablesThatAreSetOrRead() {
        Set<String> variables = NamesInCode.environment();
        List<String> unknown = new ArrayList<>();
        for (Span span : docs.matching(VARIABLE)) {
            Matcher variable = VARIABLE.matcher(span.text());
            variable.matches();
            check(variables.contains(variable.group(1)), span, unknown);
        }

        assertThat(docs.matching(VARIABLE)).as("variables in the docs").hasSizeGreaterThan(30);
        assertThat(unknown)
                .as("variables the docs give that nothing sets or reads")
                .isEmpty();
    }

    @Test
    void shouldNameOnlyErrorCodesThatExist() {
        Set<String> codes = NamesInCode.errorCodes();
        List<String> unknown = new ArrayList<>();
        for (Span span : docs.matching(CODE)) {
            Matcher code = CODE.matcher(span.text());
            code.matches();
            check(codes.contains(code.group(1)) || OTHERS.contains(code.group(1)), span, unknown);
        }
        for (Map.Entry<String, String> doc : DocSpans.texts().entrySet()) {
            Matcher answer = ERROR_ANSWER.matcher(doc.getValue());
            while (answer.find()) {
                if (!codes.contains(answer.group(1)) && !APP_CODES.contains(answer.group(1))) {
                    unknown.add(doc.getKey() + ": \"error\":\"" + answer.group(1) + "\"");
                }
            }
        }

        assertThat(docs.matching(CODE)).as("error codes in the docs").hasSizeGreaterThan(40);
        assertThat(unknown).as("error codes the docs give that nothing answers").isEmpty();
    }

    private static boolean packageExists(String name) {
        Matcher parts = PACKAGE.matcher(name);
        parts.matches();
        String path = "io/groupcast" + parts.group(1).replace('.', '/');
        boolean exists = NamesInCode.sources().keySet().stream()
                .anyMatch(f -> f.getParent().toString().endsWith(path));
        return exists
                && (parts.group(2) == null || NamesInCode.declaringSources().containsKey(parts.group(2)));
    }

    private static void check(boolean exists, Span span, List<String> unknown) {
        if (!exists) {
            unknown.add(span.where() + ": `" + span.text() + "`");
        }
    }
}
