package dev.kontract.core;

import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.common.KafkaException;

/**
 * A contract could not be loaded or one of its rules could not be compiled. The message has one
 * line per {@link Problem}, each naming the file, the version and the field.
 */
public class ContractException extends KafkaException {

    private final List<Problem> problems;

    public ContractException(String message) {
        super(message);
        this.problems = List.of(new Problem(null, null, null, message));
    }

    public ContractException(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(new Problem(null, null, null, message));
    }

    public ContractException(List<Problem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        if (problems.size() == 1) {
            return problems.get(0).toString();
        }
        return problems.size() + " problems in contract files:"
                + problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    }
}
