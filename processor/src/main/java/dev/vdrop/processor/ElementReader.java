package dev.vdrop.processor;

import dev.vdrop.dsl.Masks;
import dev.vdrop.dsl.Over;
import dev.vdrop.dsl.Scope;
import dev.vdrop.processor.Decl.EmbeddingDecl;
import dev.vdrop.processor.Decl.EmbeddingDropoutDecl;
import dev.vdrop.processor.Decl.InputDecl;
import dev.vdrop.processor.Decl.RecurrentDecl;
import dev.vdrop.processor.Decl.RegressionDecl;
import dev.vdrop.processor.Decl.SoftmaxDecl;
import dev.vdrop.processor.Decl.WeightDropDecl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * The only place that reads javax.lang.model: turns a {@code @Model} type into a
 * {@link ModelDecl}, and remembers for every {@link Site} the element, mirror and value to report
 * a problem on. Annotations are read through mirrors, with defaults filled in.
 */
final class ElementReader {
    private final Elements elements;
    private final Types types;
    private final TypeMirror layerType;

    ElementReader(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
        TypeElement layer = elements.getTypeElement(dev.vdrop.dsl.Layer.class.getCanonicalName());
        this.layerType = layer == null ? null : layer.asType();
    }

    /**
     * A read model and the way back from its sites to source positions.
     *
     * @param resolved false when javac could not resolve a vdrop annotation value or the type of
     *     an annotated field: javac reports that error itself, and a model read from the stand-ins
     *     for them must be neither checked nor written
     */
    record Read(ModelDecl model, Locator locator, boolean resolved) {}

    Read read(TypeElement type) {
        Locator locator = new Locator(type);
        List<FieldDecl> fields = new ArrayList<>();
        boolean resolved = modelMirror(type).map(ElementReader::resolved).orElse(true);
        for (VariableElement field : ElementFilter.fieldsIn(type.getEnclosedElements())) {
            List<Decl> decls = new ArrayList<>();
            Map<Kind, AnnotationMirror> mirrors = new LinkedHashMap<>();
            for (AnnotationMirror mirror : field.getAnnotationMirrors()) {
                Kind kind = kindOf(mirror);
                if (kind == null || !kind.isFieldAnnotation()) {
                    continue;
                }
                resolved &= resolved(mirror);
                mirrors.put(kind, mirror);
                decls.add(decl(kind, values(mirror), written(mirror)));
            }
            boolean layerTyped = layerType != null && types.isSameType(field.asType(), layerType);
            if (!decls.isEmpty() && field.asType().getKind() == TypeKind.ERROR) {
                resolved = false;
            }
            if (!decls.isEmpty() || layerTyped) {
                String name = field.getSimpleName().toString();
                fields.add(new FieldDecl(name, field.asType().toString(), layerTyped, decls));
                locator.fields.put(name, new FieldSite(field, mirrors));
            }
        }
        String simpleName = type.getSimpleName().toString();
        ModelDecl model = new ModelDecl(packageOf(type), simpleName, displayName(type),
                networkName(type, simpleName), shape(type), fields);
        return new Read(model, locator, resolved);
    }

    /**
     * False when javac could not resolve one of the values of a vdrop annotation. (javac drops an
     * annotation whose type it cannot find from the element, so a misspelt annotation is not seen.)
     */
    private static boolean resolved(AnnotationMirror mirror) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                : mirror.getElementValues().entrySet()) {
            if (!fits(e.getKey().getReturnType(), e.getValue().getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Whether a value has the Java type of its attribute; javac gives an unresolved value as "<error>". */
    private static boolean fits(TypeMirror type, Object value) {
        return switch (type.getKind()) {
            case INT -> value instanceof Integer;
            case DOUBLE -> value instanceof Double;
            case BOOLEAN -> value instanceof Boolean;
            default -> value instanceof VariableElement || (value instanceof String s && !s.equals("<error>"));
        };
    }

    /** The vdrop annotation a mirror is, or null for any other annotation. */
    static Kind kindOf(AnnotationMirror mirror) {
        TypeElement annotation = (TypeElement) mirror.getAnnotationType().asElement();
        return Kind.ofQualifiedName(annotation.getQualifiedName().toString());
    }

    /** Finds the {@code @Model} mirror on a type, if any. */
    static Optional<AnnotationMirror> modelMirror(Element type) {
        return type.getAnnotationMirrors().stream()
                .filter(m -> kindOf(m) == Kind.MODEL)
                .map(m -> (AnnotationMirror) m)
                .findFirst();
    }

    private String networkName(TypeElement type, String simpleName) {
        Object name = modelMirror(type).map(this::values).map(v -> v.get("name")).orElse("");
        String explicit = name instanceof String s ? s : "";
        return explicit.isEmpty() ? simpleName + "Network" : explicit;
    }

    private static ModelDecl.Shape shape(TypeElement type) {
        boolean isClass = type.getKind() == ElementKind.CLASS;
        Modifiers modifiers = new Modifiers(type);
        boolean inner = type.getNestingKind() == NestingKind.LOCAL
                || type.getNestingKind() == NestingKind.ANONYMOUS
                || (type.getNestingKind() == NestingKind.MEMBER && !modifiers.has(Modifier.STATIC));
        return new ModelDecl.Shape(isClass, modifiers.has(Modifier.ABSTRACT), modifiers.has(Modifier.FINAL),
                modifiers.has(Modifier.PRIVATE) || enclosedInPrivate(type), isClass && inner);
    }

    private static boolean enclosedInPrivate(TypeElement type) {
        for (Element e = type.getEnclosingElement(); e instanceof TypeElement; e = e.getEnclosingElement()) {
            if (e.getModifiers().contains(Modifier.PRIVATE)) {
                return true;
            }
        }
        return false;
    }

    private record Modifiers(TypeElement type) {
        boolean has(Modifier modifier) {
            return type.getModifiers().contains(modifier);
        }
    }

    private String packageOf(TypeElement type) {
        PackageElement pkg = elements.getPackageOf(type);
        return pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
    }

    private static String displayName(TypeElement type) {
        StringBuilder name = new StringBuilder(type.getSimpleName());
        for (Element e = type.getEnclosingElement(); e instanceof TypeElement t; e = e.getEnclosingElement()) {
            name.insert(0, t.getSimpleName() + ".");
        }
        return name.toString();
    }

    /** The annotation's values by attribute name, defaults included, unwrapped to Java values. */
    private Map<String, Object> values(AnnotationMirror mirror) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                : elements.getElementValuesWithDefaults(mirror).entrySet()) {
            Object value = e.getValue().getValue();
            if (value instanceof VariableElement constant) {
                value = constant.getSimpleName().toString();
            }
            values.put(e.getKey().getSimpleName().toString(), value);
        }
        return values;
    }

    /** The names of the attributes written in the source (not defaulted). */
    private static Set<String> written(AnnotationMirror mirror) {
        Set<String> names = new HashSet<>();
        mirror.getElementValues().keySet().forEach(e -> names.add(e.getSimpleName().toString()));
        return names;
    }

    private static Decl decl(Kind kind, Map<String, Object> v, Set<String> written) {
        return switch (kind) {
            case EMBEDDING -> new EmbeddingDecl(dataSize(v, written, "vocabulary"), integer(v, "size"));
            case INPUT -> new InputDecl(dataSize(v, written, "features"));
            case VARIATIONAL_LSTM, VARIATIONAL_GRU -> new RecurrentDecl(Cell.of(kind), integer(v, "units"), real(v, "input"), real(v, "recurrent"),
                    real(v, "output"), constant(Masks.class, v, "masks", Masks.TIED));
            case SOFTMAX -> new SoftmaxDecl(dataSize(v, written, "classes"), constant(Over.class, v, "over", Over.EVERY_STEP),
                    Boolean.TRUE.equals(v.get("tiedToEmbedding")));
            case REGRESSION -> new RegressionDecl(dataSize(v, written, "outputs"),
                    constant(Over.class, v, "over", Over.LAST_STEP));
            case EMBEDDING_DROPOUT -> new EmbeddingDropoutDecl(real(v, "value"),
                    constant(Scope.class, v, "scope", Scope.SEQUENCE));
            case WEIGHT_DROP -> new WeightDropDecl(real(v, "value"));
            case MODEL -> throw new IllegalArgumentException("@Model is not a field annotation");
        };
    }

    // javac reports a value it could not resolve itself; read it as a stand-in so that reading
    // never fails. Such a Read is not resolved(), so it is neither checked nor written.
    private static int integer(Map<String, Object> values, String name) {
        return values.get(name) instanceof Number n ? n.intValue() : 1;
    }

    /**
     * A size that may come from the data: empty when the annotation leaves it out (its default, 0,
     * means "from the data"), the value written otherwise — an explicit 0 stays a value, for the
     * validator to refuse where it was written.
     */
    private static OptionalInt dataSize(Map<String, Object> values, Set<String> written, String name) {
        return written.contains(name) ? OptionalInt.of(integer(values, name)) : OptionalInt.empty();
    }

    private static double real(Map<String, Object> values, String name) {
        return values.get(name) instanceof Number n ? n.doubleValue() : 0;
    }

    private static <E extends Enum<E>> E constant(Class<E> type, Map<String, Object> values, String name, E fallback) {
        try {
            return values.get(name) instanceof String s ? Enum.valueOf(type, s) : fallback;
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    private record FieldSite(VariableElement field, Map<Kind, AnnotationMirror> mirrors) {}

    /** Maps a {@link Site} back to what javac can underline. */
    static final class Locator {
        private final TypeElement type;
        private final Map<String, FieldSite> fields = new LinkedHashMap<>();

        private Locator(TypeElement type) {
            this.type = type;
        }

        /** The source position of a site: element, and mirror and value where they are known. */
        record Position(Element element, AnnotationMirror mirror, AnnotationValue value) {}

        Position locate(Site site) {
            if (site.field() == null) {
                AnnotationMirror mirror = modelMirror(type).orElse(null);
                return new Position(type, mirror, explicitValue(mirror, site.attribute()));
            }
            FieldSite field = fields.get(site.field());
            if (field == null) {
                return new Position(type, null, null);
            }
            AnnotationMirror mirror = site.kind() == null ? null : field.mirrors().get(site.kind());
            return new Position(field.field(), mirror, explicitValue(mirror, site.attribute()));
        }

        /** The value as written in source; a defaulted value has no position of its own. */
        private static AnnotationValue explicitValue(AnnotationMirror mirror, String attribute) {
            if (mirror == null || attribute == null) {
                return null;
            }
            for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                    : mirror.getElementValues().entrySet()) {
                if (e.getKey().getSimpleName().contentEquals(attribute)) {
                    return e.getValue();
                }
            }
            return null;
        }
    }
}
