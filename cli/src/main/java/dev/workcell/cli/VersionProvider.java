package dev.workcell.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** workcell --version: the version the build wrote into workcell-version.properties. */
public final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/workcell-version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        }
        return new String[] {"workcell " + properties.getProperty("version", "(unknown version)")};
    }
}
