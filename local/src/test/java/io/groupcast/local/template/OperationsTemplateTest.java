package io.groupcast.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import io.groupcast.functions.edge.Metrics;
import io.groupcast.standins.ProjectRoot;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** What an on-call engineer gets from template.yaml: log groups with retention, alarms on what matters, tracing. */
class OperationsTemplateTest {
    private final SamTemplate template = SamTemplate.read(ProjectRoot.get().resolve("template.yaml"));

    @Test
    void shouldGiveEveryFunctionItsOwnLogGroupWithRetention() {
        Map<String, Map<String, Object>> groups = template.resourcesOfType("AWS::Logs::LogGroup");
        template.functions().forEach((id, function) -> {
            Map<String, Object> logging = SamTemplate.map(function.properties().get("LoggingConfig"));
            String group = Intrinsics.refTarget(logging.get("LogGroup"));
            assertThat(groups).as(id + " logs to a group of this stack").containsKey(group);
            assertThat(Intrinsics.refTarget(
                            SamTemplate.map(groups.get(group).get("Properties")).get("RetentionInDays")))
                    .isEqualTo("LogRetentionDays");
        });
        assertThat(template.parameters().get("LogRetentionDays")).contains("30");
    }

    @Test
    void shouldAlarmOnFunctionErrorsFailedDeliveriesThrottlesAnd5xx_onMetricsThatExist() {
        Map<String, Map<String, Object>> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        Set<String> watched = new TreeSet<>();
        alarms.values().forEach(alarm -> {
            Map<String, Object> p = SamTemplate.map(alarm.get("Properties"));
            String namespace = p.get("Namespace") instanceof String s ? s : "custom";
            watched.add(namespace + ":" + p.get("MetricName"));
            if (namespace.equals("custom")) {
                assertThat(Intrinsics.refTarget(p.get("Namespace"))).isEqualTo("MetricsNamespace");
                assertThat(Metrics.ALL)
                        .as("an alarm on a metric the code emits")
                        .contains((String) p.get("MetricName"));
            }
            assertThat(SamTemplate.map(p.get("AlarmActions"))).containsKey("Fn::If");
        });
        long functionErrorAlarms = alarms.values().stream()
                .map(a -> SamTemplate.map(a.get("Properties")))
                .filter(p -> "Errors".equals(p.get("MetricName")))
                .count();

        assertThat(functionErrorAlarms).isEqualTo(template.functions().size());
        assertThat(watched)
                .contains(
                        "custom:Failed",
                        "AWS/DynamoDB:ReadThrottleEvents",
                        "AWS/DynamoDB:WriteThrottleEvents",
                        "AWS/ApiGateway:5xx",
                        "AWS/ApiGateway:IntegrationError");
        assertThat(template.resourcesOfType("AWS::SNS::Topic"))
                .allSatisfy((id, topic) -> assertThat(topic.get("Condition")).isEqualTo("HasAlarmEmail"));
    }

    @Test
    void shouldTraceTheFunctions_switchablyByParameter() {
        assertThat(Intrinsics.refTarget(template.globalFunctionProperty("Tracing")))
                .isEqualTo("Tracing");
        assertThat(template.parameters().get("Tracing")).contains("Active");
    }

    @Test
    void shouldGiveEveryFunctionTheLogLevelAndMetricsNamespace() {
        template.functions()
                .values()
                .forEach(function -> assertThat(function.environment()).containsKeys("LOG_LEVEL", "METRICS_NAMESPACE"));
    }

    @Test
    void shouldNameEveryMetricInTheOperationsDocs() throws Exception {
        String docs = Files.readString(ProjectRoot.get().resolve("docs/operations.md"));
        List<String> missing =
                Metrics.ALL.stream().filter(m -> !docs.contains("`" + m + "`")).toList();

        assertThat(missing).isEmpty();
    }
}
