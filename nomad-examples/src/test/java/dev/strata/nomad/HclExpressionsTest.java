package dev.strata.nomad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HCL2 expressions Nomad evaluates when it reads a job: unit tests of {@link HclExpressions} on
 * the strings of the parser's JSON form, and a few through the real parser ({@link JobFile}) to
 * pin the JSON form those strings come in.
 */
class HclExpressionsTest {
  private final Map<String, Object> locals = new HashMap<>();
  private final HclExpressions hcl = new HclExpressions(
      Map.of("bucket", "metrics", "insecure", false, "dcs", List.of("dc1", "dc2"), "port", 8080L), locals);

  @Test
  void aWholeExpressionKeepsItsType() {
    assertEquals(List.of("dc1", "dc2"), hcl.evaluate("${var.dcs}"));
    assertEquals(Boolean.FALSE, hcl.evaluate("${var.insecure}"));
    assertEquals(8080L, hcl.evaluate("${var.port}"));
    assertEquals("metrics", hcl.evaluate("${ var.bucket }"));
    assertEquals(List.of("a", 1L, true), hcl.evaluate("${[\"a\", 1, true]}"));
  }

  @Test
  void aTemplateInterpolatesItsParts() {
    assertEquals("s3://metrics:8080/false", hcl.evaluate("s3://${var.bucket}:${var.port}/${var.insecure}"));
    assertEquals("plain text", hcl.evaluate("plain text"));
    assertEquals("x-metrics-y", hcl.evaluate("${\"x-${var.bucket}-y\"}"));
  }

  @Test
  void runtimeReferencesAreLeftForTheClient() {
    assertEquals("${NOMAD_ADDR_http}", hcl.evaluate("${NOMAD_ADDR_http}"));
    assertEquals("--http-address=${NOMAD_ADDR_http} ${attr.driver.java.version}",
        hcl.evaluate("--http-address=${NOMAD_ADDR_http} ${attr.driver.java.version}"));
    assertEquals(List.of("--a=${NOMAD_PORT_grpc}", "metrics"),
        hcl.evaluate("${[\"--a=${NOMAD_PORT_grpc}\", var.bucket]}"));
  }

  @Test
  void dollarDollarBraceIsALiteralDollarBrace() {
    assertEquals("${NOMAD_ADDR_http}", hcl.evaluate("$${NOMAD_ADDR_http}"));
    assertEquals("pre-metrics-${x}", hcl.evaluate("pre-${var.bucket}-$${x}"));
    assertEquals("literal: ${var.bucket}", hcl.evaluate("literal: $${var.bucket}"));
    assertEquals(List.of("${y}"), hcl.evaluate("${[\"$${y}\"]}"));
    assertEquals("100%{", hcl.evaluate("100%%{"));
  }

  @Test
  void concatJoinsLists() {
    locals.put("flags", List.of("--b", "--c"));
    assertEquals(List.of("run", "--a", "--b", "--c"), hcl.evaluate("${concat([\"run\", \"--a\"], local.flags)}"));
    assertEquals(List.of(), hcl.evaluate("${concat()}"));
  }

  @Test
  void commentsAreAllowedBetweenItems() {
    assertEquals(List.of("p", "q", "r", "dc1", "dc2"), hcl.evaluate(
        "${concat([\"p\", /* block */ \"q\", # hash\n    // slashes\n    \"r\"], var.dcs)}"));
    assertEquals(List.of("a#b", "c//d"), hcl.evaluate("${[\"a#b\", # not in a string\n \"c//d\"]}"));
  }

  @Test
  void whatIsNotSupportedFailsNamingIt() {
    assertMessage("no var.missing is defined", () -> hcl.evaluate("${var.missing}"));
    assertMessage("no local.missing is defined", () -> hcl.evaluate("x ${local.missing}"));
    assertMessage("unsupported function upper()", () -> hcl.evaluate("${upper(var.bucket)}"));
    assertMessage("unexpected", () -> hcl.evaluate("${var.port + 1}"));
    assertMessage("a list in a string template", () -> hcl.evaluate("dcs: ${var.dcs}"));
    assertMessage("concat() takes lists", () -> hcl.evaluate("${concat(var.bucket)}"));
    assertMessage("unclosed ${", () -> hcl.evaluate("a ${var.bucket"));
    assertMessage("template directive", () -> hcl.evaluate("%{ if var.insecure }x%{ endif }"));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
    IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
    assertTrue(x.getMessage().contains(expected), "'" + expected + "' in: " + x.getMessage());
  }

  // Through the real parser: the JSON form orders locals by name, not as in the file.

  @Test
  void aLocalMayReferToOneDefinedAfterIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("order.nomad");
    Files.writeString(file, """
        variable "bucket" {
          type = string
        }
        locals {
          # Named before the local it uses, and defined first.
          a_args = concat(["run", "--bucket=${var.bucket}"], local.z_flags)
          z_flags = ["--z", /* a block comment */ "$${NOMAD_TASK_DIR}/x"]
        }
        job "j" {
          group "g" {
            task "t" {
              driver = "java"
              config {
                args = local.a_args
              }
            }
          }
        }
        """);
    JobFile job = JobFile.parse(NomadJobs.parser(), file, Map.of("bucket", "b"));
    assertEquals(List.of("run", "--bucket=b", "--z", "${NOMAD_TASK_DIR}/x"),
        job.strings(JobFile.block(JobFile.tasks(job.groups().get("g")).get("t"), "config").get("args")));
  }

  @Test
  void aLocalReferringToAMissingOneFailsNamingIt(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("missing.nomad");
    Files.writeString(file, """
        locals {
          a = local.b
        }
        job "j" {}
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobFile.parse(NomadJobs.parser(), file, Map.of()));
    assertTrue(e.getMessage().contains("no local.b is defined"), e.getMessage());
  }

  @Test
  void aVariableWithoutADefaultNeedsAValue(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("var.nomad");
    Files.writeString(file, """
        variable "bucket" {
          type = string
        }
        job "j" {}
        """);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JobFile.parse(NomadJobs.parser(), file, Map.of()));
    assertTrue(e.getMessage().contains("variable bucket has no default"), e.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> JobFile.parse(NomadJobs.parser(), file, Map.of("bucket", "b", "other", "x")));
    assertTrue(unknown.getMessage().contains("no variable other is declared"), unknown.getMessage());
  }
}
