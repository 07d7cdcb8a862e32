package dev.workcell.agent.device;

import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * Says what goes wrong with adb once, when it starts, and once more when adb works again: discovery
 * looks every few seconds, and the same warning at every scan would bury everything else in the log.
 */
final class AdbTrouble {

    private static final Logger LOG = Logger.getLogger(AdbTrouble.class);

    private String trouble;
    /** The adb that answered last, if one ever did. */
    private Path worked;

    /** No adb on the PATH: nothing to worry about on a host without Android devices. */
    void missing(String why) {
        begins(Logger.Level.INFO, why);
    }

    /** adb fails, or the adb configured by path is not there. */
    void failing(String why) {
        begins(Logger.Level.WARN, why);
    }

    /** adb at this path answered. */
    void works(Path adb) {
        if (trouble != null && adb.equals(worked)) {
            LOG.infof("Android devices: adb at %s works again", adb);
        } else if (!adb.equals(worked)) {
            LOG.infof("Android devices: found adb at %s", adb);
        }
        trouble = null;
        worked = adb;
    }

    private void begins(Logger.Level level, String why) {
        if (trouble == null) {
            LOG.logf(level, "Android devices: %s; looking again at every scan", why);
        } else {
            LOG.debugf("Android devices: still %s", why);
        }
        trouble = why;
    }
}
