package dev.c2cast.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a method as a seeded property test: it runs once per seed, each run receiving a {@link Gen} built from
 * that seed as a parameter.
 * <p>
 * Seeds are derived deterministically from the test's class and method name, so a plain build always runs the
 * same cases. A failure reports its seed; {@code -Dtestkit.seed=N} replays exactly that one case,
 * {@code -Dtestkit.seeds=N} changes how many seeds every property runs, and {@code -Dtestkit.explore=true}
 * draws fresh seeds from the system entropy source to search for new counter-examples.
 * <pre>{@code
 * @Property(seeds = 200)
 * void roundTrip(Gen gen) {
 *     byte[] data = gen.bytes(0, 4096);
 *     assertArrayEquals(data, decode(encode(data)));
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@TestTemplate
@ExtendWith(PropertyExtension.class)
public @interface Property
{
    /** Number of seeds run by default. */
    int SEEDS_DEFAULT = 100;

    /**
     * How many seeds to run (overridden by {@code -Dtestkit.seeds}).
     *
     * @return the number of seeds.
     */
    int seeds() default SEEDS_DEFAULT;
}
