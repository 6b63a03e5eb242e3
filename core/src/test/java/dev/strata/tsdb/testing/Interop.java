package dev.strata.tsdb.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test that checks format compatibility against the real Prometheus tools ({@code
 * promtool}, {@code prometheus}).
 *
 * <p>Such a test runs whenever {@code promtool} is on the {@code PATH}. Without it, the test fails
 * if the environment variable {@code STRATA_INTEROP=required} (as in CI), and is skipped with a
 * message otherwise.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("interop")
@ExtendWith(PrometheusToolsExtension.class)
public @interface Interop {}
