package dev.workcell.agent.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GetPropTest {

    @Test
    void readsEveryPropertyOfARecordedOutput() {
        Map<String, String> properties = GetProp.parse(FakeAdb.recording("getprop-" + FakeAdb.PIXEL + ".txt"));

        assertThat(properties.size()).isEqualTo(88);
        assertThat(properties.get("ro.product.model")).isEqualTo("Pixel 8");
        assertThat(properties.get("ro.build.version.sdk")).isEqualTo("34");
        assertThat(properties.get("ro.product.cpu.abilist32")).isEqualTo("");
        assertThat(properties.get("ro.build.date")).isEqualTo("Tue Jan  9 21:33:59 UTC 2024");
    }

    @Test
    void keepsTheLinesOfAValueThatSpansSeveral() {
        Map<String, String> properties = GetProp.parse(FakeAdb.recording("getprop-" + FakeAdb.PIXEL + ".txt"));

        assertThat(properties.get("persist.sys.boot.reason.history"))
                .isEqualTo("reboot,userrequested,1707312345\nreboot,ota,1707221890\nreboot,userrequested,1706960012");
        assertThat(properties.get("persist.sys.locale")).isEqualTo("en-US");
    }

    @Test
    void ignoresLinesThatAreNoProperty() {
        assertThat(GetProp.parse(List.of("getprop: warning", "[a]: [1]", ""))).isEqualTo(Map.of("a", "1"));
    }
}
