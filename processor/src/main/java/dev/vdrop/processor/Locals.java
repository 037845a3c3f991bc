package dev.vdrop.processor;

import com.palantir.javapoet.NameAllocator;
import java.util.HashMap;
import java.util.Map;

/**
 * The parameters and locals of one generated method, named in a clone of its class's names (see
 * {@link Names}): a local gets the name it asks for unless a field or type of that name is in
 * scope, and keeps it for the whole method, so sibling loops share their {@code t}.
 */
final class Locals {
    private final NameAllocator names;
    private final Map<String, String> allocated = new HashMap<>();

    Locals(NameAllocator names) {
        this.names = names;
    }

    /** The name of the local that asked for {@code suggestion}, allocated on the first call. */
    String get(String suggestion) {
        return allocated.computeIfAbsent(suggestion, names::newName);
    }

    /**
     * A parameter named like the fixed field it is stored into ({@code this.targets = targets}):
     * it hides that field on purpose, so the method reads the field only through {@code this}.
     * No user name can be hidden by it, since no parameter field takes a fixed field's name.
     */
    String sameAsField(String field) {
        String previous = allocated.putIfAbsent(field, field);
        if (previous != null && !previous.equals(field)) {
            throw new IllegalStateException(field + " is already a local named " + previous);
        }
        return field;
    }
}
