package dev.workcell.bench;

import dev.workcell.proto.v1.Device;
import dev.workcell.proto.v1.Hardware;
import dev.workcell.proto.v1.Os;
import dev.workcell.proto.v1.OsKind;
import java.util.List;
import java.util.Map;

/**
 * How simulated agents describe their target devices: by name only (benchmarks 1 to 4), or as phones
 * of a varied farm with 20 dimensions each (benchmark 5), spread so that a submit's dimensions match
 * some devices and not others.
 */
interface SimulatedDevices {

    /** Models of the farm: a submit by model matches one device in MODELS. */
    int MODELS = 20;

    Device describe(String name, int index);

    /** A device known by its name and serial, with no other dimension. */
    static SimulatedDevices plain() {
        return (name, index) ->
                Device.newBuilder().setName(name).setSerial(name).build();
    }

    /**
     * An Android phone with 20 dimensions: id, serial, name, host, os, os_version, sdk, abi, model,
     * cpu, cores, gpu, gpu_vendor, and the labels manufacturer, rack, region, tier, team, usb_hub, screen.
     */
    static SimulatedDevices phones() {
        return (name, index) -> {
            int sdk = 28 + index % 7;
            return Device.newBuilder()
                    .setName(name)
                    .setSerial(name)
                    .setOs(Os.newBuilder()
                            .setKind(OsKind.ANDROID)
                            .setVersion(Integer.toString(sdk - 19))
                            .setApiLevel(sdk))
                    .setHardware(Hardware.newBuilder()
                            .addAllAbis(index % 2 == 0 ? List.of("arm64-v8a", "armeabi-v7a") : List.of("arm64-v8a"))
                            .setProduct("model-" + index % MODELS)
                            .setCpu("soc-" + index % 3)
                            .setCores(8)
                            .addGpus(index % 3 == 0 ? "Mali G7" + index % 10 : "Adreno 6" + index % 10 + "0"))
                    .putAllLabels(Map.of(
                            "manufacturer", "maker-" + index % 5,
                            "rack", "rack-" + index % 50,
                            "region", "region-" + index % 4,
                            "tier", index % 10 == 0 ? "gold" : "silver",
                            "team", "team-" + index % 8,
                            "usb_hub", "hub-" + index % 250,
                            "screen", index % 2 == 0 ? "1080p" : "1440p"))
                    .build();
        };
    }
}
