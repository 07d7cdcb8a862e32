package dev.workcell.operator.workcell;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control-plane versions this operator knows how to run: those of its own major and minor
 * version (0.1.x for operator 0.1.0). Another minor version may need settings, probes or a schema
 * step this operator does not have, so a Workcell asking for one is refused rather than half-applied.
 */
public final class ControlPlaneVersions {

    /** A version as the spec gives it: major.minor.patch with an optional pre-release suffix. */
    public static final String PATTERN = "^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$";

    private static final Pattern MAJOR_MINOR = Pattern.compile("^([0-9]+)\\.([0-9]+)\\.");

    private final String operatorVersion;
    private final String majorMinor;

    public ControlPlaneVersions(String operatorVersion) {
        this.operatorVersion = operatorVersion;
        this.majorMinor = majorMinor(operatorVersion);
    }

    public boolean supports(String version) {
        return version != null && majorMinor.equals(majorMinor(version));
    }

    /** What the operator runs, for messages: "0.1.x". */
    public String supportedRange() {
        return majorMinor + ".x";
    }

    public String operatorVersion() {
        return operatorVersion;
    }

    private static String majorMinor(String version) {
        Matcher m = MAJOR_MINOR.matcher(version);
        return m.find() ? m.group(1) + "." + m.group(2) : version;
    }
}
