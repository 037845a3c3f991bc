package dev.vdrop.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every generated file must be, for every {@link ModelKind}: stamped with the model class as
 * its originating element (so incremental builds know what to regenerate), without anything
 * unused — no local, parameter, private field or private method that nothing reads — and with
 * every buffer it allocates freed by {@code close()}.
 */
class GeneratedCodeTest extends CompilingTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ModelKind.class)
    void originatingElementIsTheModel(ModelKind kind) {
        Compilation compilation = compileOrdinary(kind);

        assertThat(compilation).succeeded();
        assertEquals(Map.of("test.OrdinaryNetwork", List.of("test.Ordinary")), origins);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ModelKind.class)
    void nothingUnused(ModelKind kind) {
        Compilation compilation = compileOrdinary(kind);
        assertThat(compilation).succeeded();
        GeneratedSource source = GeneratedSource.parse(compilation.generatedSourceFile("test.OrdinaryNetwork").orElseThrow());

        List<String> unused = new ArrayList<>();
        for (GeneratedSource.Declaration d : source.declarations()) {
            boolean used = switch (d.what()) {
                case "local" -> source.usesIn(d.owner(), d.name()) > 0;
                // a method that implements an interface keeps its parameters
                case "parameter" -> d.overrides() || source.usesIn(d.owner(), d.name()) > 0;
                case "field", "method" -> !d.isPrivate() || source.uses(d.name()) > 0;
                default -> throw new IllegalArgumentException(d.what());
            };
            if (!used) {
                unused.add(d.what() + " " + d.owner() + "." + d.name());
            }
        }
        assertEquals(List.of(), unused);
    }

    /**
     * Every buffer the workspace allocates is freed by close() — directly, in a loop over its
     * gates, or under the null check of a lazily made one.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(ModelKind.class)
    void everyAllocatedBufferIsClosed(ModelKind kind) {
        Compilation compilation = compileOrdinary(kind);
        assertThat(compilation).succeeded();
        GeneratedSource source = GeneratedSource.parse(compilation.generatedSourceFile("test.OrdinaryNetwork").orElseThrow());

        Set<String> allocated = source.allocatedFields("Buffers");
        List<String> leaked = allocated.stream().filter(field -> source.usesIn("Buffers.close", field) == 0).toList();

        assertTrue(allocated.size() > 10, () -> "too few buffers found to mean anything: " + allocated);
        assertEquals(List.of(), leaked, () -> "allocated but not closed, of " + allocated);
    }

    private Compilation compileOrdinary(ModelKind kind) {
        return compile(JavaFileObjects.forSourceString("test.Ordinary", kind.source("Ordinary", kind.ordinaryNames())));
    }
}
