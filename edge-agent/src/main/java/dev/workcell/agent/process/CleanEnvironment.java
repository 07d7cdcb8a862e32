package dev.workcell.agent.process;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The environment every process the agent starts (tasks, adb, probes) begins with: only the
 * variables of the agent's own environment a tool needs to run as this user, never the agent's
 * settings or anything that looks like a credential. A task's input adds its own on top.
 */
public final class CleanEnvironment {

    /**
     * Passed on: where programs, libraries and home are, who runs them, language and time zone,
     * temporary files, the display of GPU hosts, and the Android SDK and adb server to talk to.
     */
    static final Set<String> ALLOWED = Set.of(
            "PATH",
            "HOME",
            "USER",
            "LOGNAME",
            "SHELL",
            "LANG",
            "LANGUAGE",
            "TZ",
            "TMPDIR",
            "LD_LIBRARY_PATH",
            "DISPLAY",
            "WAYLAND_DISPLAY",
            "XDG_RUNTIME_DIR",
            "ANDROID_HOME",
            "ANDROID_SDK_ROOT",
            "ANDROID_ADB_SERVER_ADDRESS",
            "ANDROID_ADB_SERVER_PORT");
    /** Never passed on, even when allowed: the agent's settings, and names that say credential. */
    private static final Pattern FORBIDDEN =
            Pattern.compile("^(WORKCELL|QUARKUS)_.*|.*(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|KEY|AUTH).*");

    private CleanEnvironment() {}

    /** The variables of the agent's environment a child process may see. */
    public static Map<String, String> of(Map<String, String> agentEnvironment) {
        Map<String, String> clean = new TreeMap<>();
        agentEnvironment.forEach((name, value) -> {
            if (allowed(name)) {
                clean.put(name, value);
            }
        });
        return clean;
    }

    /** Replaces the builder's environment, inherited from the agent, with the clean one. */
    public static ProcessBuilder apply(ProcessBuilder builder) {
        Map<String, String> environment = builder.environment();
        Map<String, String> clean = of(environment);
        environment.clear();
        environment.putAll(clean);
        return builder;
    }

    static boolean allowed(String name) {
        return (ALLOWED.contains(name) || name.startsWith("LC_"))
                && !FORBIDDEN.matcher(name.toUpperCase(Locale.ROOT)).matches();
    }
}
