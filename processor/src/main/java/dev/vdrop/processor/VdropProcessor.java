package dev.vdrop.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Messager;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * vdrop's annotation processor. For every {@code @Model} type: read it into a {@link ModelDecl},
 * validate it, report every problem on the annotation value at fault, and — only when there is no
 * error — write its network. A vdrop field annotation outside a {@code @Model} class is an error
 * too. No exception leaves this class: a failure is reported on the model as a vdrop bug.
 */
@AutoService(Processor.class)
public final class VdropProcessor extends AbstractProcessor {
    /**
     * Models that javac could not fully resolve yet, by qualified name: another processor may
     * generate what they miss, so they are read again next round (as Dagger defers elements).
     */
    private final Set<String> deferred = new LinkedHashSet<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Stream.of(Kind.values()).map(Kind::qualifiedName).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        ElementReader reader = new ElementReader(processingEnv.getElementUtils(), processingEnv.getTypeUtils());
        List<String> retry = List.copyOf(deferred);
        deferred.clear();
        for (String name : retry) {
            TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
            if (type != null) {
                processModel(reader, type, round.processingOver());
            }
        }
        for (Kind kind : Kind.values()) {
            TypeElement annotation = processingEnv.getElementUtils().getTypeElement(kind.qualifiedName());
            if (annotation == null) {
                continue;
            }
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                if (kind == Kind.MODEL && element instanceof TypeElement type) {
                    processModel(reader, type, round.processingOver());
                } else if (kind.isFieldAnnotation()) {
                    checkInsideModel(kind, element);
                }
            }
        }
        return false;
    }

    private void processModel(ElementReader reader, TypeElement type, boolean lastRound) {
        try {
            ElementReader.Read read = reader.read(type);
            if (!read.resolved()) {
                // javac reports what it could not resolve; checking guesses would only add noise.
                if (!lastRound) {
                    deferred.add(type.getQualifiedName().toString());
                }
                return;
            }
            Validation validation = ModelValidator.validate(read.model());
            validation.problems().forEach(problem -> report(problem, read.locator()));
            validation.spec().ifPresent(spec -> write(type, NetworkWriter.write(spec, type), read.model()));
        } catch (RuntimeException e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            messager().printMessage(Diagnostic.Kind.ERROR,
                    Message.INTERNAL_ERROR.format(type.getQualifiedName(), trace), type);
        }
    }

    private void write(TypeElement type, JavaFile file, ModelDecl model) {
        try {
            file.writeTo(processingEnv.getFiler());
        } catch (IOException e) {
            String name = model.packageName().isEmpty()
                    ? model.networkName() : model.packageName() + "." + model.networkName();
            messager().printMessage(Diagnostic.Kind.ERROR,
                    Message.CANNOT_WRITE.format(name, model.displayName(), e.getMessage()), type);
        }
    }

    /** Rule 7: a vdrop field annotation only means something inside a {@code @Model} class. */
    private void checkInsideModel(Kind kind, Element field) {
        Element owner = field.getEnclosingElement();
        if (owner == null || ElementReader.modelMirror(owner).isPresent()) {
            return;
        }
        AnnotationMirror mirror = field.getAnnotationMirrors().stream()
                .filter(m -> ElementReader.kindOf(m) == kind)
                .findFirst().orElse(null);
        String ownerName = owner.getSimpleName().toString();
        messager().printMessage(Diagnostic.Kind.ERROR,
                Message.NOT_IN_MODEL.format(kind.display(), field.getSimpleName(), ownerName, ownerName, kind.display()),
                field, mirror);
    }

    private void report(Problem problem, ElementReader.Locator locator) {
        ElementReader.Locator.Position at = locator.locate(problem.site());
        Diagnostic.Kind kind = problem.isError() ? Diagnostic.Kind.ERROR : Diagnostic.Kind.WARNING;
        messager().printMessage(kind, problem.message(), at.element(), at.mirror(), at.value());
    }

    private Messager messager() {
        return processingEnv.getMessager();
    }
}
