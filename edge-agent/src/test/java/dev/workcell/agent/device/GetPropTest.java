package dev.workcell.agent.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GetPropTest {

    @Test
    void shouldReadEveryPropertyOfARecordedOutput() {
        Map<String, String> properties = GetProp.parse(FakeAdb.recording("getprop-" + FakeAdb.PIXEL + ".txt"));

        assertEquals(88, properties.size());
        assertEquals("Pixel 8", properties.get("ro.product.model"));
        assertEquals("34", properties.get("ro.build.version.sdk"));
        assertEquals("", properties.get("ro.product.cpu.abilist32"));
        assertEquals("Tue Jan  9 21:33:59 UTC 2024", properties.get("ro.build.date"));
    }

    @Test
    void shouldKeepTheLinesOfAValueThatSpansSeveral() {
        Map<String, String> properties = GetProp.parse(FakeAdb.recording("getprop-" + FakeAdb.PIXEL + ".txt"));

        assertEquals(
                "reboot,userrequested,1707312345\nreboot,ota,1707221890\nreboot,userrequested,1706960012",
                properties.get("persist.sys.boot.reason.history"));
        assertEquals("en-US", properties.get("persist.sys.locale"));
    }

    @Test
    void shouldIgnoreLinesThatAreNoProperty() {
        assertEquals(Map.of("a", "1"), GetProp.parse(List.of("getprop: warning", "[a]: [1]", "")));
    }
}
