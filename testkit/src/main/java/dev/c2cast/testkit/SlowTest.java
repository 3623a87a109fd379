package dev.c2cast.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Tags a test class or method as slow (tag {@value #TAG}). Slow tests run in every build unless excluded with
 * {@code -Dc2cast.excludedGroups=slow}, which is what a quick local loop uses.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(SlowTest.TAG)
public @interface SlowTest
{
    /** The JUnit tag name. */
    String TAG = "slow";
}
