package io.groupcast.standins;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root (the folder with template.yaml and package.json) from any module. */
public final class ProjectRoot {
    private ProjectRoot() {}

    /** The root: {@code GROUPCAST_ROOT} when set, else the nearest ancestor of the working folder with template.yaml. */
    public static Path get() {
        String fromEnv = System.getenv("GROUPCAST_ROOT");
        if (fromEnv != null && Files.exists(Path.of(fromEnv, "template.yaml"))) {
            return Path.of(fromEnv).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("template.yaml")) && Files.exists(dir.resolve("package.json"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the Groupcast root (template.yaml + package.json) above "
                + Path.of("").toAbsolutePath());
    }

    /** The path of a sample event in {@code events/}, e.g. {@code connect.json}. */
    public static String event(String file) {
        return get().resolve("events").resolve(file).toString();
    }
}
