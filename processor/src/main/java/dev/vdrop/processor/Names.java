package dev.vdrop.processor;

import com.palantir.javapoet.NameAllocator;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Every name of a generated network, taken from a {@link NameAllocator} that already holds each
 * name it could hide or be hidden by — the only way a user's layer name reaches the code is
 * through the parameter fields named after it ({@code decoderBias}), and this is where they are
 * kept apart from everything else.
 *
 * <p>Two scopes, as in the generated source. The network class sees the type names, its own
 * fields and the parameter fields; its nested workspace class {@code Buffers} sees all of that and
 * its own fields, which hide the network's. So the order is: reserve the type names and every
 * field of both classes whose name is fixed, allocate the workspace's buffer fields, and only then
 * the parameter fields — a layer named {@code d} gets {@code dBias} only if nothing of the
 * workspace is called that. Each method then names its parameters and locals in a clone of its
 * class's scope ({@link #networkLocals()}, {@link #workspaceLocals()}), so a local never hides a
 * field it needs: where a local would, it is the local that gives way ({@code dBias_}).
 *
 * <p>Method names live in a namespace of their own in Java and are all fixed, so they take no
 * part here.
 */
final class Names {
    private final NameAllocator network = new NameAllocator();
    private final NameAllocator workspace = new NameAllocator();
    private final Set<String> taken = new LinkedHashSet<>();

    /**
     * The type names and the fixed fields of both classes, reserved.
     *
     * @param networkFields the network class's fields whose names are fixed
     * @param workspaceFields the workspace class's fields whose names are fixed
     */
    Names(Collection<String> networkFields, Collection<String> workspaceFields) {
        TypeNames.SIMPLE_NAMES.forEach(this::reserveInBoth);
        reserveInBoth(WorkspaceWriter.CLASS_NAME);
        networkFields.forEach(this::reserveInBoth);
        for (String field : workspaceFields) {
            reserve(workspace, field);
        }
    }

    /** A field of the workspace class: allocated in its scope, found again by {@code tag}. */
    String workspaceField(String suggestion, Object tag) {
        String name = workspace.newName(suggestion, tag);
        taken.add(name);
        return name;
    }

    /**
     * A field of the network class, such as a parameter: allocated where nothing of either class
     * is called that, since the workspace's fields would hide it inside the workspace.
     */
    String networkField(String suggestion, Object tag) {
        String name = workspace.newName(suggestion, tag);
        String same = network.newName(name, tag);
        if (!same.equals(name)) {
            throw new IllegalStateException("the network's names are not a part of the workspace's: " + name);
        }
        taken.add(name);
        return name;
    }

    /** The name allocated for {@code tag} by {@link #workspaceField} or {@link #networkField}. */
    String field(Object tag) {
        return workspace.get(tag);
    }

    /** Whether a name is reserved or allocated as a type or field name. */
    boolean isTaken(String name) {
        return taken.contains(name);
    }

    /** Names for the parameters and locals of one method of the network class. */
    Locals networkLocals() {
        return new Locals(network.clone());
    }

    /** Names for the parameters and locals of one method of the workspace class. */
    Locals workspaceLocals() {
        return new Locals(workspace.clone());
    }

    private void reserveInBoth(String name) {
        reserve(network, name);
        reserve(workspace, name);
    }

    private void reserve(NameAllocator names, String name) {
        String reserved = names.newName(name, names == network ? "network " + name : "workspace " + name);
        if (!reserved.equals(name)) {
            throw new IllegalStateException("a fixed name is reserved twice or is no identifier: " + name);
        }
        taken.add(name);
    }
}
