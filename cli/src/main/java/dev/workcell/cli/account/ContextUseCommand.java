package dev.workcell.cli.account;

import dev.workcell.cli.connect.ConfigFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** workcell context use: make a saved context the current one. */
@Command(name = "use", description = "Make a saved context the current one.")
public class ContextUseCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        ConfigFile config = ConfigFile.ofUser();
        config.save(config.load().use(name));
        System.out.println("context '" + name + "' is current");
        return 0;
    }
}
