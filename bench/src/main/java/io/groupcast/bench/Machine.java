package io.groupcast.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.groupcast.core.model.Json;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a result was measured on, printed with every result. */
public final class Machine {
    private Machine() {}

    public static ObjectNode describe() {
        ObjectNode machine = Json.object()
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("memoryGb", Math.round(totalMemoryKb() / 1024.0 / 1024.0))
                .put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"))
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return machine;
    }

    private static long totalMemoryKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: fall through
        }
        return Runtime.getRuntime().maxMemory() / 1024;
    }

    /** CPU time this process has used, all threads (the in-process loopback management API's included). */
    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** {@code C1} when the JVM stops at the first compiler ({@code -XX:TieredStopAtLevel=1}), else {@code C2}. */
    public static String jit() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .anyMatch(arg -> arg.replace(" ", "").equals("-XX:TieredStopAtLevel=1"))
                ? "C1"
                : "C2";
    }
}
