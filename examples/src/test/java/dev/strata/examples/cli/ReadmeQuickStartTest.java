package dev.strata.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.tsdb.testing.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Use it from your project" section, checked as a user would follow it: its
 * {@code QuickStart.java} compiles against Strata's modules and runs with {@code jvm.options}, and
 * its {@code pom.xml} names artifacts and versions this build has.
 */
class ReadmeQuickStartTest {
  private static final Path ROOT = Path.of("..");

  @TempDir Path tmp;

  private static String block(String readme, String name) {
    Matcher m = Pattern.compile("<!-- quickstart:" + Pattern.quote(name) + " -->\\s*```\\w*\\n(.*?)```",
        Pattern.DOTALL).matcher(readme);
    assertTrue(m.find(), "README has no quickstart:" + name + " block");
    return m.group(1);
  }

  @Test
  void theQuickStartCompilesAndRuns() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Path source = tmp.resolve("src/QuickStart.java");
    Files.createDirectories(source.getParent());
    Files.writeString(source, block(readme, "QuickStart.java"));
    Path classes = Files.createDirectories(tmp.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int compiled = javac.run(null, diagnostics, diagnostics, "-d", classes.toString(),
        "-cp", System.getProperty("java.class.path"), source.toString());
    assertEquals(0, compiled, diagnostics.toString(StandardCharsets.UTF_8));

    Path work = Files.createDirectories(tmp.resolve("app"));
    Process p = new ProcessBuilder(ChildJvm.command(tmp.resolve("child-tmp"), "QuickStart", List.of(classes)))
        .directory(work.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("{__name__=\"requests_total\", path=\"/api\"}"), out);
    assertTrue(out.contains(" 42.0") && out.contains(" 57.0"), out);
    assertTrue(Files.isDirectory(work.resolve("metrics/wal")), "the database is in ./metrics");
  }

  @Test
  void thePomNamesArtifactsAndVersionsOfThisBuild() throws Exception {
    String pom = block(Files.readString(ROOT.resolve("README.md")), "pom.xml");
    String parent = Files.readString(ROOT.resolve("pom.xml"));
    Matcher version = Pattern.compile("<artifactId>strata-parent</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(parent);
    assertTrue(version.find());
    for (String module : List.of("core", "downsample", "s3-tier")) {
      String artifact = Files.readString(ROOT.resolve(module).resolve("pom.xml"))
          .replaceAll("(?s)<parent>.*?</parent>", "")
          .replaceAll("(?s).*?<artifactId>([^<]+)</artifactId>.*", "$1");
      assertTrue(readmeMentions(artifact), "README names " + artifact);
    }
    assertTrue(pom.contains("<artifactId>strata-core</artifactId>"), pom);
    assertTrue(pom.contains("<version>" + version.group(1) + "</version>"), pom);
    Matcher slf4j = Pattern.compile("<slf4j.version>([^<]+)</slf4j.version>").matcher(parent);
    assertTrue(slf4j.find());
    assertTrue(pom.contains("<artifactId>slf4j-simple</artifactId>\n      <version>" + slf4j.group(1)),
        "the README's SLF4J binding is the version Strata is built with: " + pom);
  }

  @Test
  void theGrafanaSnippetIsTheCompiledExample() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Matcher m = Pattern.compile("<!-- readme:PrometheusEndpoint -->\\s*```java\\n(.*?)```", Pattern.DOTALL)
        .matcher(readme);
    assertTrue(m.find(), "README has the PrometheusEndpoint snippet");
    String source = Files.readString(
        Path.of("src/main/java/dev/strata/examples/embedded/PrometheusEndpoint.java"));
    String region = source.substring(source.indexOf("// readme:start\n") + "// readme:start\n".length(),
        source.indexOf("    // readme:end"));
    String dedented = region.lines().map(l -> l.length() >= 4 ? l.substring(4) : l.strip())
        .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    assertEquals(dedented, m.group(1));
  }

  private static boolean readmeMentions(String artifact) throws Exception {
    return Files.readString(ROOT.resolve("README.md")).contains(artifact);
  }
}
