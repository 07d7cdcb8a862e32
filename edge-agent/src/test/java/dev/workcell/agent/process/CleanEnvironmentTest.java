package dev.workcell.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CleanEnvironmentTest {

    @Test
    void passesOnTheAllowedVariablesOnly() {
        Map<String, String> agent = Map.of(
                "PATH",
                "/usr/bin:/bin",
                "HOME",
                "/home/lab",
                "LANG",
                "C.UTF-8",
                "LC_ALL",
                "C",
                "ANDROID_ADB_SERVER_PORT",
                "5038",
                "JAVA_TOOL_OPTIONS",
                "-Xmx1g",
                "SSH_AUTH_SOCK",
                "/run/ssh",
                "OLDPWD",
                "/srv");

        assertThat(CleanEnvironment.of(agent))
                .isEqualTo(Map.of(
                        "PATH",
                        "/usr/bin:/bin",
                        "HOME",
                        "/home/lab",
                        "LANG",
                        "C.UTF-8",
                        "LC_ALL",
                        "C",
                        "ANDROID_ADB_SERVER_PORT",
                        "5038"));
    }

    @Test
    void neverPassesOnTheAgentsSettingsOrCredentialsEvenWhenTheirNameLooksAllowed() {
        Map<String, String> agent = Map.of(
                "WORKCELL_AGENT_ENROLLMENT_TOKEN",
                "wce_secret",
                "WORKCELL_CONTROL_PLANE_HOST",
                "cp",
                "QUARKUS_HTTP_PORT",
                "1",
                "GITHUB_TOKEN",
                "ghp_x",
                "AWS_SECRET_ACCESS_KEY",
                "k",
                "DB_PASSWORD",
                "p",
                "LC_API_KEY",
                "k",
                "LC_AUTH",
                "a");

        assertThat(CleanEnvironment.of(agent)).isEqualTo(Map.of());
    }
}
