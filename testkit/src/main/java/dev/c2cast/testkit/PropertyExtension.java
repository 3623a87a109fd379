package dev.c2cast.testkit;

import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs a {@link Property} method once per seed. Confined to the JUnit engine's thread for each invocation.
 */
final class PropertyExtension implements TestTemplateInvocationContextProvider
{
    static final String SEED_PROPERTY = "testkit.seed";
    static final String SEEDS_PROPERTY = "testkit.seeds";
    static final String EXPLORE_PROPERTY = "testkit.explore";

    @Override
    public boolean supportsTestTemplate(final ExtensionContext context)
    {
        return context.getTestMethod().map(m -> m.isAnnotationPresent(Property.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(final ExtensionContext context)
    {
        final Method method = context.getRequiredTestMethod();
        final String replay = blankToNull(System.getProperty(SEED_PROPERTY));
        if (replay != null)
        {
            return Stream.of(new SeedContext(Long.parseLong(replay.trim())));
        }

        final String countText = blankToNull(System.getProperty(SEEDS_PROPERTY));
        final int count = countText != null ? Integer.parseInt(countText.trim()) :
            method.getAnnotation(Property.class).seeds();
        if (count < 1)
        {
            throw new IllegalArgumentException("seeds must be >= 1: " + count);
        }

        final long base = Boolean.getBoolean(EXPLORE_PROPERTY) ?
            new SecureRandom().nextLong() :
            Seeds.mix(Seeds.hash(method.getDeclaringClass().getName() + '#' + method.getName()));
        return LongStream.range(0, count).mapToObj(i -> new SeedContext(Seeds.mix(base + i)));
    }

    private static String blankToNull(final String value)
    {
        return value == null || value.isBlank() ? null : value;
    }

    private static final class SeedContext implements TestTemplateInvocationContext
    {
        private final long seed;

        SeedContext(final long seed)
        {
            this.seed = seed;
        }

        @Override
        public String getDisplayName(final int invocationIndex)
        {
            return "seed=" + seed;
        }

        @Override
        public List<Extension> getAdditionalExtensions()
        {
            return List.of(new GenResolver(seed), new SeedReporter(seed));
        }
    }

    private static final class GenResolver implements ParameterResolver
    {
        private final long seed;

        GenResolver(final long seed)
        {
            this.seed = seed;
        }

        @Override
        public boolean supportsParameter(final ParameterContext parameterContext, final ExtensionContext context)
        {
            final Class<?> type = parameterContext.getParameter().getType();
            return type == Gen.class || type == long.class;
        }

        @Override
        public Object resolveParameter(final ParameterContext parameterContext, final ExtensionContext context)
        {
            return parameterContext.getParameter().getType() == Gen.class ? new Gen(seed) : seed;
        }
    }

    private static final class SeedReporter implements TestExecutionExceptionHandler
    {
        private final long seed;

        SeedReporter(final long seed)
        {
            this.seed = seed;
        }

        @Override
        public void handleTestExecutionException(final ExtensionContext context, final Throwable throwable)
            throws Throwable
        {
            if (throwable instanceof org.opentest4j.TestAbortedException)
            {
                throw throwable;
            }
            final String message = "property " + context.getRequiredTestMethod().getName() + " failed for seed=" +
                seed + "; replay with -D" + SEED_PROPERTY + "=" + seed + " -Dtest=" +
                context.getRequiredTestClass().getSimpleName() + "#" + context.getRequiredTestMethod().getName();
            System.err.println("[testkit] " + message);
            final AssertionError error = new AssertionError(message + ": " + throwable, throwable);
            throw error;
        }
    }
}
