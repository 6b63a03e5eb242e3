package dev.strata.nomad;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Parses HCL2 files with HashiCorp's own parser: {@code hcl/hcl2json.mjs} runs the npm package
 * {@code @cdktf/hcl2json} (HashiCorp's HCL library compiled to WebAssembly) on Node.js, and
 * prints the file as JSON, the shape every HCL tool converts to (a block is a list of objects, a
 * labelled block an object of such lists by label, expressions are kept as {@code ${...}}
 * strings).
 *
 * <p>The npm packages are installed from {@code hcl/package-lock.json} on first use when they are
 * missing, so a build needs only Node.js and npm on the {@code PATH}.
 */
public final class HclParser {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path hclDir;

  private HclParser(Path hclDir) {
    this.hclDir = hclDir;
  }

  /** A parser using the scripts in {@code nomadExamples/hcl}, installing its packages if needed. */
  public static HclParser in(Path nomadExamples) throws IOException {
    Path dir = nomadExamples.resolve("hcl");
    if (!Files.isRegularFile(dir.resolve("hcl2json.mjs"))) {
      throw new IOException("no " + dir.resolve("hcl2json.mjs"));
    }
    if (!Files.isDirectory(dir.resolve("node_modules/@cdktf/hcl2json"))) {
      run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), "installing the HCL parser (npm ci in " + dir + ")");
    }
    return new HclParser(dir);
  }

  /**
   * The file as JSON.
   *
   * @throws HclSyntaxException naming the file, line and column, if it is not valid HCL2
   */
  public JsonNode parse(Path file) throws IOException {
    Path abs = file.toAbsolutePath();
    String out = run(hclDir, List.of("node", "hcl2json.mjs", abs.toString()), null);
    return JSON.readTree(out);
  }

  // Runs a command in dir and returns its standard output; a non-zero exit is an exception with
  // what it printed on stderr (for the parser, the syntax error).
  private static String run(Path dir, List<String> command, String what) throws IOException {
    Path err = Files.createTempFile("hcl", ".err");
    try {
      Process p;
      try {
        p = new ProcessBuilder(command).directory(dir.toFile())
            .redirectError(err.toFile()).start();
      } catch (IOException e) {
        throw new IOException(command.get(0) + " is needed to parse the Nomad job files (Node.js 18+"
            + " and npm on the PATH): " + e.getMessage(), e);
      }
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in 5 minutes");
      }
      String stderr = Files.readString(err).strip();
      if (p.exitValue() != 0) {
        if (what == null) {
          throw new HclSyntaxException(stderr);
        }
        throw new IOException(what + " failed (exit " + p.exitValue() + "): " + stderr);
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** A file that is not valid HCL2; the message is the parser's, with file, line and column. */
  public static final class HclSyntaxException extends IOException {
    HclSyntaxException(String message) {
      super(message);
    }
  }
}
