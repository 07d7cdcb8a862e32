package dev.workcell.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.workcell.proto.v1.ListSubjectsResponse;
import dev.workcell.proto.v1.Subject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListingTest {

    private static final ListSubjectsResponse SUBJECTS = ListSubjectsResponse.newBuilder()
            .addSubjects(Subject.newBuilder().setId("s1").setName("game").setApi("vulkan"))
            .addSubjects(
                    Subject.newBuilder().setId("s22").setName("a longer name").setApi("gles"))
            .build();

    private static String printed(Listing<?> listing, OutputFormat format) {
        OutputOptions output = new OutputOptions();
        output.format = format;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        listing.print(output, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Listing<Subject> subjects() {
        return Listing.of(SUBJECTS, SUBJECTS.getSubjectsList())
                .column("ID", Subject::getId)
                .column("NAME", Subject::getName)
                .column("API", Subject::getApi);
    }

    @Test
    void forPeopleEachItemIsARowUnderTheHeadersWithColumnsAligned() {
        assertThat(printed(subjects(), OutputFormat.TABLE)).isEqualTo("""
                ID   NAME           API
                s1   game           vulkan
                s22  a longer name  gles
                """);
    }

    @Test
    void jsonIsTheWholeAnswerAndJsonLinesOneItemALine() {
        JsonElement whole = JsonParser.parseString(printed(subjects(), OutputFormat.JSON));
        assertThat(whole.getAsJsonObject().getAsJsonArray("subjects")).hasSize(2);
        List<String> lines = printed(subjects(), OutputFormat.JSONL).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(JsonParser.parseString(lines.get(1))
                        .getAsJsonObject()
                        .get("name")
                        .getAsString())
                .isEqualTo("a longer name");
    }

    @Test
    void itemsWithoutAnAnswerAroundThemPrintAsAnArrayAndRestItemsAsTheyCame() {
        JsonElement array = JsonParser.parseString(
                printed(Listing.of(SUBJECTS.getSubjectsList()).column("ID", Subject::getId), OutputFormat.JSON));
        assertThat(array.getAsJsonArray()).hasSize(2);

        JsonArray rest =
                JsonParser.parseString("[{\"id\": \"t1\", \"uses\": 3}]").getAsJsonArray();
        Listing<JsonElement> tokens =
                Listing.of(rest).column("ID", token -> Json.text(token, "id")).column("NOTE", token -> null);
        assertThat(printed(tokens, OutputFormat.TABLE)).isEqualTo("ID  NOTE\nt1\n");
        assertThat(printed(tokens, OutputFormat.JSONL)).isEqualTo("{\"id\":\"t1\",\"uses\":3}\n");
    }
}
