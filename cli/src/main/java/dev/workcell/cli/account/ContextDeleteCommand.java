package dev.workcell.cli.account;

import dev.workcell.cli.connect.ConfigFile;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** workcell context delete: forget a saved context and its token. */
@Command(
        name = "delete",
        description = "Forget a saved context and its token (the token itself stays valid: `tokens revoke` ends it).")
public class ContextDeleteCommand implements Callable<Integer> {

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
        ConfigFile config = ConfigFile.ofUser();
        config.save(config.load().without(name));
        System.out.println("context '" + name + "' deleted");
        return 0;
    }
}
