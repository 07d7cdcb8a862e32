package dev.workcell.cli.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workcell.cli.CliException;
import dev.workcell.cli.ExitCodes;
import org.junit.jupiter.api.Test;

class ServerAddressTest {

    @Test
    void httpsIsTheDefaultOn8443AndHttpIsPlaintextOn8080() {
        assertThat(ServerAddress.parse("cp.lab")).isEqualTo(new ServerAddress(true, "cp.lab", 8443));
        assertThat(ServerAddress.parse("https://cp.lab")).isEqualTo(new ServerAddress(true, "cp.lab", 8443));
        assertThat(ServerAddress.parse("http://localhost")).isEqualTo(new ServerAddress(false, "localhost", 8080));
        assertThat(ServerAddress.parse("cp.lab:9443/")).isEqualTo(new ServerAddress(true, "cp.lab", 9443));
    }

    @Test
    void itPrintsAsAUrlWithItsPortAndItsApiRoot() {
        assertThat(ServerAddress.parse("http://localhost:8090")).hasToString("http://localhost:8090");
        assertThat(ServerAddress.parse("https://[::1]:9000").api()).hasToString("https://[::1]:9000/api/v1");
    }

    @Test
    void anotherSchemeAPathOrAQueryIsAUsageError() {
        for (String bad : new String[] {"ftp://cp", "https://cp/api", "https://cp?x=1", "https://user@cp", "http://"}) {
            assertThatThrownBy(() -> ServerAddress.parse(bad))
                    .as(bad)
                    .isInstanceOf(CliException.class)
                    .hasMessageContaining("invalid server '" + bad + "'")
                    .satisfies(e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.USAGE));
        }
    }
}
