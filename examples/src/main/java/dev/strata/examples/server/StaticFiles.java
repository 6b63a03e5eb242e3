package dev.strata.examples.server;

import dev.strata.promql.api.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The files of a web UI, served from the jar: each one an exact route, read once at start, so
 * that only these files can be asked for, whatever the path.
 */
public final class StaticFiles {
  public static final String HTML = "text/html; charset=utf-8";
  public static final String JS = "text/javascript; charset=utf-8";
  public static final String CSS = "text/css; charset=utf-8";

  /**
   * For files that change with each version of strata and have no version in their paths: the
   * browser checks them each time.
   */
  public static final String REVALIDATE = "no-cache";
  /** For files with a version in their paths (a WebJar's). */
  public static final String ONE_DAY = "public, max-age=86400";

  private StaticFiles() {}

  /** Answers GET {@code path} with the class-path resource {@code resource}. */
  public static void serve(HttpServer.Builder http, String path, String resource,
      String contentType, String cacheControl) {
    ApiResponse file = new ApiResponse(200, contentType, read(resource))
        .withHeader("Cache-Control", cacheControl)
        .withHeader("X-Content-Type-Options", "nosniff");
    http.get(path, r -> file);
  }

  private static byte[] read(String resource) {
    try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("web UI file missing from the jar: " + resource);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
