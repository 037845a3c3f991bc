package dev.vdrop.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Layers named like the generated code's own names. For every {@link ModelKind}, each name the
 * generated classes declare — field, method, parameter, local, read from the generated source of
 * the model with ordinary names — becomes a layer name, as it is and with a parameter suffix
 * stripped ({@code dBias} → layer {@code d}, whose bias field would be {@code dBias}). Every such
 * model must compile and, run with the same seeds, compute exactly what the model with ordinary
 * names computes: the parameters are drawn in the same order, so the loss, the gradients and the
 * predictions are equal bit for bit, and a name that compiles but resolves to another variable
 * shows as a difference.
 */
class NameCollisionTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(ModelKind.class)
    void layersNamedLikeGeneratedNamesComputeTheSame(ModelKind kind) throws ReflectiveOperationException {
        GeneratedSource ordinary = GeneratedSource.parse(generate(kind, kind.ordinaryNames()));
        List<List<String>> models = models(kind, candidates(kind, ordinary));

        assertSameOutcomes(kind, models);
    }

    /** The case that started it: a decoder named {@code d}, whose bias is {@code dBias}. */
    @Test
    void outputLayerNamedD() throws ReflectiveOperationException {
        assertSameOutcomes(ModelKind.TOKEN_LM, List.of(List.of("embedding", "lstm1", "lstm2", "d")));
        assertSameOutcomes(ModelKind.REGRESSION_LAST_STEP, List.of(List.of("day", "lstm", "d")));
    }

    /**
     * The layer names that may collide, for each layer of the model: every declared name, and
     * every declared name that ends in one of the layer's parameter suffixes with that suffix
     * stripped. The suffixes come from the generated parameter fields too ({@code lstm1W} of
     * layer {@code lstm1}: {@code W}). Names as they are go to the layers in turn.
     */
    private static List<Deque<String>> candidates(ModelKind kind, GeneratedSource ordinary) {
        List<String> layers = kind.ordinaryNames();
        List<Set<String>> suffixes = new ArrayList<>();
        List<Set<String>> perLayer = new ArrayList<>();
        for (String layer : layers) {
            suffixes.add(new LinkedHashSet<>());
            perLayer.add(new LinkedHashSet<>());
        }
        ordinary.declarations().stream()
                .filter(d -> d.what().equals("field") && d.type().equals("Parameter"))
                .forEach(d -> {
                    int owner = owningLayer(layers, d.name());
                    suffixes.get(owner).add(d.name().substring(layers.get(owner).length()));
                });
        int next = 0;
        for (String name : ordinary.declaredNames()) {
            perLayer.get(next++ % layers.size()).add(name);
            for (int i = 0; i < layers.size(); i++) {
                for (String suffix : suffixes.get(i)) {
                    String layer = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : "";
                    if (SourceVersion.isName(layer)) {
                        perLayer.get(i).add(layer);
                    }
                }
            }
        }
        return perLayer.stream().map(ArrayDeque::new).collect(Collectors.toList());
    }

    /** The layer that owns a parameter field: the longest layer name it starts with. */
    private static int owningLayer(List<String> layers, String field) {
        int best = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (field.startsWith(layers.get(i)) && (best < 0 || layers.get(i).length() > layers.get(best).length())) {
                best = i;
            }
        }
        assertTrue(best >= 0, () -> "parameter field " + field + " belongs to none of " + layers);
        return best;
    }

    /** Models that use every candidate once, as few as the busiest layer needs. */
    private static List<List<String>> models(ModelKind kind, List<Deque<String>> candidates) {
        List<List<String>> models = new ArrayList<>();
        while (candidates.stream().anyMatch(q -> !q.isEmpty())) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < candidates.size(); i++) {
                Deque<String> queue = candidates.get(i);
                String name = null;
                for (String candidate : queue) {
                    if (!names.contains(candidate)) {
                        name = candidate;
                        break;
                    }
                }
                if (name != null) {
                    queue.remove(name);
                } else {
                    name = kind.ordinaryNames().get(i);
                    while (names.contains(name)) {
                        name += "Other";
                    }
                }
                names.add(name);
            }
            models.add(names);
        }
        return models;
    }

    /** Compiles the models in one javac run beside the model with ordinary names, runs all of them and compares. */
    private static void assertSameOutcomes(ModelKind kind, List<List<String>> models) throws ReflectiveOperationException {
        List<JavaFileObject> sources = new ArrayList<>();
        sources.add(JavaFileObjects.forSourceString("test.Ordinary", kind.source("Ordinary", kind.ordinaryNames())));
        Map<String, List<String>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < models.size(); i++) {
            String name = "Named" + i;
            byClass.put(name, models.get(i));
            sources.add(JavaFileObjects.forSourceString("test." + name, kind.source(name, models.get(i))));
        }
        Compilation compilation = Compiler.javac().withProcessors(new VdropProcessor()).compile(sources);
        List<String> errors = compilation.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> layersOf(d, byClass) + ": " + d.getMessage(Locale.ROOT))
                .distinct().limit(20).toList();
        assertEquals(List.of(), errors, kind + ": models with these layer names do not compile");

        GeneratedNetworks networks = new GeneratedNetworks(compilation);
        GeneratedNetworks.Outcome expected = networks.run("test.OrdinaryNetwork", kind);
        List<String> different = new ArrayList<>();
        for (Map.Entry<String, List<String>> model : byClass.entrySet()) {
            GeneratedNetworks.Outcome actual = networks.run("test." + model.getKey() + "Network", kind);
            if (!same(expected, actual)) {
                different.add(model.getValue().toString());
            }
        }
        assertEquals(List.of(), different, kind + ": models with these layer names compute something else");
    }

    private static String layersOf(Diagnostic<? extends JavaFileObject> d, Map<String, List<String>> byClass) {
        String file = d.getSource() == null ? "" : d.getSource().getName();
        return byClass.entrySet().stream()
                .filter(e -> file.endsWith("/" + e.getKey() + ".java") || file.endsWith("/" + e.getKey() + "Network.java"))
                .map(e -> e.getValue().toString()).findFirst().orElse(file);
    }

    private static boolean same(GeneratedNetworks.Outcome a, GeneratedNetworks.Outcome b) {
        try {
            assertEquals(a.loss(), b.loss());
            assertEquals(a.gradients().size(), b.gradients().size());
            for (int i = 0; i < a.gradients().size(); i++) {
                assertArrayEquals(a.gradients().get(i), b.gradients().get(i));
            }
            assertArrayEquals(a.inputGradient(), b.inputGradient());
            assertArrayEquals(a.output(), b.output());
            assertArrayEquals(a.predicted(), b.predicted());
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    private static JavaFileObject generate(ModelKind kind, List<String> names) {
        Compilation compilation = Compiler.javac().withProcessors(new VdropProcessor())
                .compile(JavaFileObjects.forSourceString("test.Ordinary", kind.source("Ordinary", names)));
        assertEquals(List.of(), compilation.errors(), kind + " does not compile");
        return compilation.generatedSourceFile("test.OrdinaryNetwork").orElseThrow();
    }
}
