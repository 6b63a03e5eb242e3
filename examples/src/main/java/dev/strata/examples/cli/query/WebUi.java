package dev.strata.examples.cli.query;

import static dev.strata.examples.server.StaticFiles.CSS;
import static dev.strata.examples.server.StaticFiles.HTML;
import static dev.strata.examples.server.StaticFiles.JS;
import static dev.strata.examples.server.StaticFiles.ONE_DAY;
import static dev.strata.examples.server.StaticFiles.REVALIDATE;
import static dev.strata.examples.server.StaticFiles.serve;

import dev.strata.examples.server.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The web UI of {@code strata query}, as a Thanos user knows it: {@code /} redirects to the Graph
 * page ({@code /graph}, an expression run as a chart or a table, its state in the URL in
 * Prometheus's {@code g0.*} format), and {@code /stores} lists the endpoints. Static files from
 * the jar, uPlot's from its WebJar; the pages call the API with paths relative to themselves, so
 * they work under any route prefix.
 *
 * <p>Every file is an exact route ({@link dev.strata.examples.server.StaticFiles}).
 */
public final class WebUi {
  private static final String OWN = "/dev/strata/examples/cli/query/web/";
  private static final String UPLOT_PROPERTIES =
      "/META-INF/maven/org.webjars.npm/uplot/pom.properties";

  private WebUi() {}

  /** Adds the UI's routes to {@code http}. */
  public static void register(HttpServer.Builder http) {
    http.redirect("/", "/graph");
    serve(http, "/graph", OWN + "graph.html", HTML, REVALIDATE);
    serve(http, "/stores", OWN + "stores.html", HTML, REVALIDATE);
    serve(http, "/static/common.js", OWN + "common.js", JS, REVALIDATE);
    serve(http, "/static/graph.js", OWN + "graph.js", JS, REVALIDATE);
    serve(http, "/static/stores.js", OWN + "stores.js", JS, REVALIDATE);
    serve(http, "/static/style.css", OWN + "style.css", CSS, REVALIDATE);
    String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion() + "/dist/";
    serve(http, "/static/uplot/uPlot.iife.min.js", uplot + "uPlot.iife.min.js", JS, ONE_DAY);
    serve(http, "/static/uplot/uPlot.min.css", uplot + "uPlot.min.css", CSS, ONE_DAY);
  }

  // The WebJar's own record of its version, so that the dependency's version is said only once.
  private static String uplotVersion() {
    Properties p = new Properties();
    try (InputStream in = WebUi.class.getResourceAsStream(UPLOT_PROPERTIES)) {
      if (in == null) {
        throw new IllegalStateException("uPlot's WebJar is not on the class path");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("version");
  }
}
