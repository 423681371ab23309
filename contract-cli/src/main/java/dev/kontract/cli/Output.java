package dev.kontract.cli;

import java.io.PrintWriter;
import java.util.List;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Prints a command's report: its text lines, or one JSON document holding the same facts. */
final class Output {

    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Output() {}

    /**
     * @param text the report as lines, for {@code --format text}
     * @param json the report as an object Jackson can write (records, lists, maps), for {@code --format json}
     */
    static void print(CommonOptions.Format format, PrintWriter out, List<String> text, Object json) {
        if (format == CommonOptions.Format.JSON) {
            out.println(JSON.writeValueAsString(json));
        } else {
            text.forEach(out::println);
        }
        out.flush();
    }
}
