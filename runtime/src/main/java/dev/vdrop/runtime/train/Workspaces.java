package dev.vdrop.runtime.train;

import dev.vdrop.runtime.Network;
import dev.vdrop.runtime.Workspace;
import java.util.HashMap;
import java.util.Map;

/** A run's workspaces, one per shape, allocated on first use and closed at the end of the run. */
final class Workspaces<I, T> implements AutoCloseable {
    private final Network<I, T> network;
    private final Map<Batch.Shape, Workspace<I, T>> byShape = new HashMap<>();

    Workspaces(Network<I, T> network) {
        this.network = network;
    }

    /** {@return the workspace of {@code size} sequences of up to {@code steps} steps} */
    Workspace<I, T> of(int size, int steps) {
        return byShape.computeIfAbsent(new Batch.Shape(size, steps), s -> network.workspace(s.size(), s.steps()));
    }

    @Override
    public void close() {
        byShape.values().forEach(Workspace::close);
        byShape.clear();
    }
}
