package dev.workcell.agent.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CleanEnvironmentTest {

    @Test
    void shouldPassOnTheAllowedVariablesOnly() {
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

        assertEquals(
                Map.of(
                        "PATH",
                        "/usr/bin:/bin",
                        "HOME",
                        "/home/lab",
                        "LANG",
                        "C.UTF-8",
                        "LC_ALL",
                        "C",
                        "ANDROID_ADB_SERVER_PORT",
                        "5038"),
                CleanEnvironment.of(agent));
    }

    @Test
    void shouldNeverPassOnTheAgentsSettingsOrCredentialsEvenWhenTheirNameLooksAllowed() {
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

        assertEquals(Map.of(), CleanEnvironment.of(agent));
    }
}
