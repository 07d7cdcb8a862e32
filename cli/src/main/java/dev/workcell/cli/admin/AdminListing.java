package dev.workcell.cli.admin;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import dev.workcell.cli.connect.ConnectionOptions;
import dev.workcell.cli.connect.ControlPlane;
import dev.workcell.cli.output.Listing;
import dev.workcell.cli.output.OutputOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A list the REST API alone serves (admin): fetched, then printed as a table or as the API's JSON. */
public abstract class AdminListing implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    OutputOptions output;

    /** The path under /api/v1, with its query. */
    protected abstract String path();

    /** The table's columns for the items. */
    protected abstract Listing<JsonElement> columns(Listing<JsonElement> items);

    @Override
    public Integer call() {
        JsonArray items;
        try (ControlPlane controlPlane = connection.open()) {
            items = controlPlane.rest().get(path()).getAsJsonArray();
        }
        columns(Listing.of(items)).print(output, System.out);
        return 0;
    }
}
