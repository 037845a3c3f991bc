package dev.vdrop.processor;

import java.util.List;
import java.util.Optional;

/**
 * What {@link ModelValidator} found in a declaration: every problem, and — only when none of them
 * is an error — the resolved {@link NetworkSpec}, built in the same pass that checked the layers'
 * order, so nothing downstream assumes what validation established.
 */
record Validation(List<Problem> problems, Optional<NetworkSpec> spec) {
    Validation {
        problems = List.copyOf(problems);
        if (spec.isPresent() && problems.stream().anyMatch(Problem::isError)) {
            throw new IllegalArgumentException("a declaration with errors has no spec: " + problems);
        }
    }
}
