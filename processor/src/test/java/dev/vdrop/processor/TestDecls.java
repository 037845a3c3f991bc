package dev.vdrop.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Over;
import dev.vdrop.processor.Decl.EmbeddingDecl;
import dev.vdrop.processor.Decl.RecurrentDecl;
import dev.vdrop.processor.Decl.SoftmaxDecl;
import dev.vdrop.processor.Problem.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/** Hand-built declarations for the tests of {@link ModelValidator}, and assertions on its problems. */
final class TestDecls {
    private TestDecls() {}

    static List<Problem> problems(ModelDecl model) {
        return ModelValidator.validate(model).problems();
    }

    /** A valid plain abstract model {@code test.Lm}: embedding, one LSTM, an untied softmax. */
    static ModelDecl lm() {
        return model(layer("embedding", embedding(100, 20)), layer("lstm", lstm(20)), layer("decoder", softmax(100)));
    }

    static ModelDecl lm(ModelDecl.Shape shape) {
        return new ModelDecl("test", "Lm", "Lm", "LmNetwork", shape, lm().fields());
    }

    /** {@link #lm()} with some of its fields replaced. */
    static ModelDecl lm(Function<FieldDecl, FieldDecl> change) {
        return model(lm().fields().stream().map(change).toArray(FieldDecl[]::new));
    }

    static ModelDecl model(FieldDecl... fields) {
        return new ModelDecl("test", "Lm", "Lm", "LmNetwork", ModelDecl.Shape.plainAbstractClass(), List.of(fields));
    }

    static FieldDecl layer(String name, Decl... decls) {
        return new FieldDecl(name, "dev.vdrop.dsl.Layer", true, List.of(decls));
    }

    static EmbeddingDecl embedding(int vocabulary, int size) {
        return new EmbeddingDecl(OptionalInt.of(vocabulary), size);
    }

    static RecurrentDecl lstm(int units) {
        return new RecurrentDecl(Cell.LSTM, units, 0, 0, 0, Masks.TIED);
    }

    static RecurrentDecl gru(int units) {
        return new RecurrentDecl(Cell.GRU, units, 0, 0, 0, Masks.TIED);
    }

    /** {@link #lm()} with its LSTM replaced by a GRU field named {@code gru}: the same model, the other cell. */
    static ModelDecl gruLm() {
        return model(layer("embedding", embedding(100, 20)), layer("gru", gru(20)), layer("decoder", softmax(100)));
    }

    static SoftmaxDecl softmax(int classes) {
        return new SoftmaxDecl(OptionalInt.of(classes), Over.EVERY_STEP, false);
    }

    static SoftmaxDecl tied(int classes) {
        return new SoftmaxDecl(OptionalInt.of(classes), Over.EVERY_STEP, true);
    }

    static List<Site> sites(List<Problem> problems) {
        List<Site> sites = new ArrayList<>();
        problems.forEach(p -> sites.add(p.site()));
        return sites;
    }

    /** Exactly one problem, of this severity, at this site, whose message has every fragment. */
    static void assertOnly(List<Problem> problems, Severity severity, Site site, String... fragments) {
        assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
        Problem problem = problems.get(0);
        assertEquals(severity, problem.severity(), problem::message);
        assertEquals(site, problem.site(), problem::message);
        for (String fragment : fragments) {
            assertContains(problem, fragment);
        }
    }

    static void assertContains(Problem problem, String fragment) {
        assertTrue(problem.message().contains(fragment),
                () -> "expected \"" + fragment + "\" in: " + problem.message());
    }
}
