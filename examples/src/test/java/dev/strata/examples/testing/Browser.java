package dev.strata.examples.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that drives a real headless Chromium ({@link HeadlessChromium}).
 *
 * <p>Such a test fails, with a message saying what to install, when Debian's {@code chromium} or
 * {@code chromedriver} is missing; it is skipped instead only when the environment variable
 * {@code STRATA_BROWSER=skip} or the system property {@code strata.browser=skip} says so.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("browser")
@ExtendWith(BrowserExtension.class)
public @interface Browser {}
