package dev.c2cast.benchmarks;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Runs every {@code @Benchmark} method of this module once, with the first value of each {@code @Param}, through its
 * {@code @Setup} and {@code @TearDown} methods, so a benchmark that throws or no longer builds its state fails the build
 * instead of failing the next person who runs the jar. It measures nothing.
 */
class BenchmarkSmokeTest
{
    private static final String BLACKHOLE_CONSENT =
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.";

    @TestFactory
    Stream<DynamicTest> everyBenchmarkRunsOnce() throws IOException, URISyntaxException
    {
        final List<Class<?>> classes = benchmarkClasses();
        assertFalse(classes.isEmpty(), "no @Benchmark classes found in the benchmarks module");
        final List<DynamicTest> tests = new ArrayList<>();
        for (final Class<?> type : classes)
        {
            for (final Method method : sorted(type.getMethods()))
            {
                if (method.isAnnotationPresent(Benchmark.class))
                {
                    tests.add(DynamicTest.dynamicTest(type.getSimpleName() + "." + method.getName(),
                        () -> runOnce(type, method)));
                }
            }
        }
        return tests.stream();
    }

    private static List<Method> sorted(final Method[] methods)
    {
        final List<Method> list = new ArrayList<>(List.of(methods));
        list.sort(Comparator.comparing(Method::getName));
        return list;
    }

    private static List<Class<?>> benchmarkClasses() throws IOException, URISyntaxException
    {
        // target/test-classes -> target/classes, where the benchmark classes of this module are compiled.
        final Path root = Path.of(BenchmarkSmokeTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getParent().resolve("classes");
        final List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path file : (Iterable<Path>)files.sorted()::iterator)
            {
                final String relative = root.relativize(file).toString();
                if (!relative.endsWith(".class") || relative.contains("jmh_generated") || relative.contains("$"))
                {
                    continue;
                }
                final String name = relative.substring(0, relative.length() - ".class".length()).replace('/', '.');
                try
                {
                    final Class<?> type = Class.forName(name, false, BenchmarkSmokeTest.class.getClassLoader());
                    for (final Method method : type.getMethods())
                    {
                        if (method.isAnnotationPresent(Benchmark.class))
                        {
                            classes.add(type);
                            break;
                        }
                    }
                }
                catch (final ClassNotFoundException | LinkageError ex)
                {
                    throw new AssertionError("cannot load " + name, ex);
                }
            }
        }
        return classes;
    }

    private static void runOnce(final Class<?> type, final Method benchmark) throws Throwable
    {
        final Map<Class<?>, Object> states = new HashMap<>();
        final Object instance = state(type, states);
        final Object[] args = new Object[benchmark.getParameterCount()];
        for (int i = 0; i < args.length; i++)
        {
            final Class<?> parameterType = benchmark.getParameterTypes()[i];
            args[i] = parameterType == Blackhole.class ? new Blackhole(BLACKHOLE_CONSENT) : state(parameterType, states);
        }
        try
        {
            benchmark.invoke(instance, args);
        }
        catch (final InvocationTargetException ex)
        {
            throw ex.getCause();
        }
        finally
        {
            for (final Object state : states.values())
            {
                invokeAnnotated(state, TearDown.class);
            }
        }
    }

    private static Object state(final Class<?> type, final Map<Class<?>, Object> states) throws Throwable
    {
        final Object existing = states.get(type);
        if (existing != null)
        {
            return existing;
        }
        if (!type.isAnnotationPresent(State.class) && states.size() > 0)
        {
            throw new AssertionError(type + " is used as a benchmark argument but is not a @State");
        }
        final Constructor<?> constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        final Object state = constructor.newInstance();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass())
        {
            for (final Field field : c.getDeclaredFields())
            {
                final Param param = field.getAnnotation(Param.class);
                if (param != null && param.value().length > 0 && !Modifier.isStatic(field.getModifiers()))
                {
                    field.setAccessible(true);
                    field.set(state, convert(param.value()[0], field.getType()));
                }
            }
        }
        states.put(type, state);
        invokeAnnotated(state, Setup.class);
        return state;
    }

    private static void invokeAnnotated(final Object state, final Class<? extends java.lang.annotation.Annotation> annotation)
        throws Throwable
    {
        for (final Method method : sorted(state.getClass().getMethods()))
        {
            if (method.isAnnotationPresent(annotation))
            {
                final Object[] args = new Object[method.getParameterCount()];
                for (int i = 0; i < args.length; i++)
                {
                    if (method.getParameterTypes()[i] == Blackhole.class)
                    {
                        args[i] = new Blackhole(BLACKHOLE_CONSENT);
                    }
                }
                try
                {
                    method.invoke(state, args);
                }
                catch (final InvocationTargetException ex)
                {
                    throw ex.getCause();
                }
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(final String value, final Class<?> type)
    {
        if (type == int.class || type == Integer.class)
        {
            return Integer.parseInt(value);
        }
        if (type == long.class || type == Long.class)
        {
            return Long.parseLong(value);
        }
        if (type == double.class || type == Double.class)
        {
            return Double.parseDouble(value);
        }
        if (type == boolean.class || type == Boolean.class)
        {
            return Boolean.parseBoolean(value);
        }
        if (type.isEnum())
        {
            return Enum.valueOf((Class<Enum>)type, value);
        }
        return value;
    }
}
