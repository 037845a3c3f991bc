package dev.vdrop.processor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * Runs a processor with a Filer that records the name of every source file it creates and the
 * elements it names as the file's origin, so a test can tell what was generated even when the
 * compile failed.
 */
final class FilerRecorder implements Processor {
    private final Processor delegate;
    private final List<String> created;
    private final Map<String, List<String>> origins;

    FilerRecorder(Processor delegate, List<String> created, Map<String, List<String>> origins) {
        this.delegate = delegate;
        this.created = created;
        this.origins = origins;
    }

    @Override
    public void init(ProcessingEnvironment env) {
        Filer filer = env.getFiler();
        Filer recording = proxy(Filer.class, (proxy, method, args) -> {
            if (method.getName().equals("createSourceFile")) {
                created.add(args[0].toString());
                List<String> from = new ArrayList<>();
                for (Object element : args.length > 1 && args[1] != null ? (Object[]) args[1] : new Object[0]) {
                    from.add(element instanceof TypeElement type ? type.getQualifiedName().toString() : element.toString());
                }
                origins.put(args[0].toString(), from);
            }
            return invoke(method, filer, args);
        });
        delegate.init(proxy(ProcessingEnvironment.class, (proxy, method, args) ->
                method.getName().equals("getFiler") ? recording : invoke(method, env, args)));
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        return delegate.process(annotations, round);
    }

    @Override
    public Set<String> getSupportedOptions() {
        return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return delegate.getSupportedSourceVersion();
    }

    @Override
    public Iterable<? extends Completion> getCompletions(
            Element element, AnnotationMirror annotation, ExecutableElement member, String userText) {
        return delegate.getCompletions(element, annotation, member, userText);
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
