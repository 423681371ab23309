package dev.kontract.core.load;

import dev.kontract.core.Problem;
import java.util.ArrayList;
import java.util.List;

/** Collects every problem of a load, so that one run reports them all. */
final class Problems {

    private final List<Problem> problems = new ArrayList<>();

    void add(String file, String version, String field, String message) {
        problems.add(new Problem(file, version, field, message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    int size() {
        return problems.size();
    }

    List<Problem> list() {
        return List.copyOf(problems);
    }
}
