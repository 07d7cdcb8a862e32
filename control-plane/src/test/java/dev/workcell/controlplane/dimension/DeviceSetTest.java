package dev.workcell.controlplane.dimension;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceSetTest {

    record Device(String name, Map<String, Set<String>> dimensions) {}

    static Device device(String name, String model, String os) {
        return new Device(name, Map.of("model", Set.of(model), "os", Set.of(os)));
    }

    static DimensionMatcher wants(Map<String, String> dimensions) {
        return DimensionMatcher.parse(dimensions, "dimensions");
    }

    @Test
    void placesAreFilledByDistinctDevicesInTheSetsOrder() {
        DeviceSet twoPixels =
                new DeviceSet(wants(Map.of("model", "pixel*")), List.of(wants(Map.of("model", "pixel*"))));
        List<Device> devices = List.of(device("a", "pixel 8", "android"), device("b", "pixel 7", "android"));

        assertThat(twoPixels.assign(devices, Device::dimensions).orElseThrow())
                .extracting(Device::name)
                .containsExactlyInAnyOrder("a", "b");
        assertThat(twoPixels.assign(devices.subList(0, 1), Device::dimensions))
                .as("one device cannot take two places")
                .isEmpty();
    }

    @Test
    void aDeviceAnEarlierPlaceTookFirstMovesSoThatALaterPlaceIsServed() {
        // first fit would give the only pixel to the device's place (any android) and leave the companion without one
        DeviceSet set = new DeviceSet(wants(Map.of("os", "android")), List.of(wants(Map.of("model", "pixel 8"))));
        List<Device> devices =
                List.of(device("pixel", "pixel 8", "android"), device("emulator", "sdk_gphone64", "android"));

        assertThat(set.assign(devices, Device::dimensions).orElseThrow())
                .extracting(Device::name)
                .containsExactly("emulator", "pixel");
    }

    @Test
    void aSetNoDeviceCanServeWholeGetsNothing() {
        DeviceSet set = new DeviceSet(wants(Map.of("os", "android")), List.of(wants(Map.of("os", "linux"))));

        assertThat(set.assign(List.of(device("pixel", "pixel 8", "android")), Device::dimensions))
                .isEmpty();
    }
}
