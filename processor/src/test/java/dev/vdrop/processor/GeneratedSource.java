package dev.vdrop.processor;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreeScanner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/**
 * A generated source read back with javac's own parser: the names it declares and the names it
 * uses. Reading them from the source, rather than from a list in a test, keeps the tests that
 * use them in step with the processor as its code gains names.
 */
final class GeneratedSource {
    /**
     * One declaration.
     *
     * @param name the declared name
     * @param what {@code field}, {@code method}, {@code parameter} or {@code local}
     * @param type the declared type as written ({@code Parameter}, {@code Mat[]}, …), empty for methods
     * @param owner the class (for fields and methods) or method (for parameters and locals) it is in
     * @param isPrivate whether it is a private field or method
     * @param overrides whether it is (a parameter of) a method with {@code @Override}
     * @param initializer the initializer of a field or local as written, empty without one
     */
    record Declaration(String name, String what, String type, String owner, boolean isPrivate, boolean overrides,
            String initializer) {}

    /** A name used (not declared) as an identifier or after a dot, in a class or method. */
    private record Use(String name, String owner) {}

    private final List<Declaration> declarations;
    private final List<Use> uses;
    private final List<Use> allocations;

    private GeneratedSource(List<Declaration> declarations, List<Use> uses, List<Use> allocations) {
        this.declarations = List.copyOf(declarations);
        this.uses = List.copyOf(uses);
        this.allocations = List.copyOf(allocations);
    }

    static GeneratedSource parse(JavaFileObject source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavacTask task = (JavacTask) javac.getTask(null, null, null, List.of("-proc:none"), null, List.of(source));
        List<Declaration> declarations = new ArrayList<>();
        List<Use> used = new ArrayList<>();
        List<Use> allocated = new ArrayList<>();
        try {
            for (CompilationUnitTree unit : task.parse()) {
                new Scanner(declarations, used, allocated).scan(unit, null);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new GeneratedSource(declarations, used, allocated);
    }

    List<Declaration> declarations() {
        return declarations;
    }

    /** Every name declared: fields, methods, parameters and locals. */
    Set<String> declaredNames() {
        Set<String> names = new LinkedHashSet<>();
        declarations.forEach(d -> names.add(d.name()));
        return names;
    }

    /** How often a name occurs as an identifier or after a dot, declarations not counted. */
    long uses(String name) {
        return uses.stream().filter(u -> u.name().equals(name)).count();
    }

    /**
     * The fields of class {@code owner} that hold native memory: assigned a {@code Mat.zeros(…)}
     * (or an array of them) in one of its methods, or initialised with a {@code new} object that
     * is not a plain array of views.
     */
    Set<String> allocatedFields(String owner) {
        Set<String> names = new LinkedHashSet<>();
        allocations.stream().filter(a -> a.owner().startsWith(owner + ".")).forEach(a -> names.add(a.name()));
        declarations.stream()
                .filter(d -> d.what().equals("field") && d.owner().equals(owner) && d.initializer().startsWith("new ")
                        && !d.initializer().startsWith("new Mat["))
                .forEach(d -> names.add(d.name()));
        return names;
    }

    /** How often a name is used inside one method ({@code Buffers.backwardLayer1}) or class. */
    long usesIn(String owner, String name) {
        return uses.stream().filter(u -> u.name().equals(name) && u.owner().equals(owner)).count();
    }

    private static final class Scanner extends TreeScanner<Void, Void> {
        private final List<Declaration> declarations;
        private final List<Use> used;
        private final List<Use> allocated;
        private final List<String> owners = new ArrayList<>();
        private boolean overrides;

        Scanner(List<Declaration> declarations, List<Use> used, List<Use> allocated) {
            this.declarations = declarations;
            this.used = used;
            this.allocated = allocated;
        }

        @Override
        public Void visitAssignment(AssignmentTree tree, Void unused) {
            String target = tree.getVariable() instanceof MemberSelectTree select ? select.getIdentifier().toString()
                    : tree.getVariable().toString();
            if (tree.getExpression().toString().startsWith("Mat.zeros(")
                    || tree.getExpression().toString().startsWith("new Mat[]{Mat.zeros(")) {
                allocated.add(new Use(target, owner()));
            }
            return super.visitAssignment(tree, null);
        }

        @Override
        public Void visitClass(ClassTree tree, Void unused) {
            owners.add(tree.getSimpleName().toString());
            try {
                return super.visitClass(tree, null);
            } finally {
                owners.remove(owners.size() - 1);
            }
        }

        @Override
        public Void visitMethod(MethodTree tree, Void unused) {
            String name = tree.getName().toString();
            boolean override = tree.getModifiers().getAnnotations().stream()
                    .anyMatch(a -> a.getAnnotationType().toString().equals("Override"));
            if (!name.equals("<init>")) {
                declarations.add(new Declaration(name, "method", "", owner(),
                        tree.getModifiers().getFlags().contains(Modifier.PRIVATE), override, ""));
            }
            owners.add(owner() + "." + name);
            boolean outer = overrides;
            overrides = override;
            for (VariableTree parameter : tree.getParameters()) {
                declarations.add(new Declaration(parameter.getName().toString(), "parameter",
                        parameter.getType().toString(), owner(), false, override, ""));
                scan(parameter.getType(), null);
            }
            scan(tree.getReturnType(), null);
            scan(tree.getBody(), null);
            overrides = outer;
            owners.remove(owners.size() - 1);
            return null;
        }

        @Override
        public Void visitVariable(VariableTree tree, Void unused) {
            boolean field = !owner().contains(".");
            declarations.add(new Declaration(tree.getName().toString(), field ? "field" : "local",
                    tree.getType().toString(), owner(),
                    field && tree.getModifiers().getFlags().contains(Modifier.PRIVATE), overrides,
                    tree.getInitializer() == null ? "" : tree.getInitializer().toString()));
            scan(tree.getType(), null);
            scan(tree.getInitializer(), null);
            return null;
        }

        @Override
        public Void visitIdentifier(IdentifierTree tree, Void unused) {
            used.add(new Use(tree.getName().toString(), owner()));
            return null;
        }

        @Override
        public Void visitMemberSelect(MemberSelectTree tree, Void unused) {
            used.add(new Use(tree.getIdentifier().toString(), owner()));
            return super.visitMemberSelect(tree, null);
        }

        private String owner() {
            return owners.isEmpty() ? "" : owners.get(owners.size() - 1);
        }
    }
}
