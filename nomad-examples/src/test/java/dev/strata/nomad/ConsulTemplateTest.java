package dev.strata.nomad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.nomad.ConsulTemplate.Data;
import dev.strata.nomad.ConsulTemplate.Service;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The text/template subset {@link ConsulTemplate} renders, against what Go's text/template and
 * consul-template produce for the same source.
 */
class ConsulTemplateTest {
  private static final List<Service> SERVICES = List.of(
      new Service("web", "10.0.0.1", 8080, List.of("http", "v1"), Map.of("path", "/m")),
      new Service("web", "10.0.0.2", 8081, List.of("grpc"), Map.of()),
      new Service("db", "10.0.0.3", 5432, List.of(), Map.of()));
  private static final Data DATA = new Data(SERVICES, Map.of("NOMAD_ALLOC_ID", "abc-123"),
      Map.of("nomad/jobs/j", Map.of("user", "u1", "pass", "p1")));

  private static String render(String template) {
    return ConsulTemplate.parse(template).render(DATA);
  }

  @Test
  void textPassesThrough() {
    assertEquals("a: 1\n  b: {not an action}\n", render("a: 1\n  b: {not an action}\n"));
    assertEquals("", render(""));
  }

  @Test
  void dashesTrimTheWhitespaceBesideThem() {
    assertEquals("a-b", render("a  \n {{- \"-\" -}} \n\t b"));
    assertEquals("a  \n -b", render("a  \n {{ \"-\" -}} \n\t b"));
    assertEquals("a- \n\t b", render("a  \n {{- \"-\" }} \n\t b"));
    // A trim reaches across the actions of a block, as in Go.
    assertEquals("[x][x]", render("{{ range service \"web\" -}}\n  [x]\n{{- end }}"));
  }

  @Test
  void commentsRenderNothing() {
    assertEquals("ab", render("a{{/* a comment */}}b"));
    assertEquals("ab", render("a {{- /* trimmed */ -}} b"));
  }

  @Test
  void fieldsOfTheCurrentService() {
    assertEquals("web 10.0.0.1:8080 [http v1] /m;web 10.0.0.2:8081 [grpc] <no value>;",
        render("{{ range service \"web\" }}{{ .Name }} {{ .Address }}:{{ .Port }} {{ .Tags }} {{ .ServiceMeta.path }};{{ end }}"));
  }

  @Test
  void rangeAndIfNest() {
    String t = "{{ range service \"web\" }}{{ if .Tags | contains \"grpc\" }}g={{ .Port }}{{ else }}h={{ .Port }}{{ end }} {{ end }}";
    assertEquals("h=8080 g=8081 ", render(t));
    assertEquals("8080:<http><v1>;8081:<grpc>;",
        render("{{ range service \"web\" }}{{ .Port }}:{{ range .Tags }}{{ if . }}<{{ . }}>{{ end }}{{ end }};{{ end }}"));
  }

  @Test
  void elseBranches() {
    assertEquals("none", render("{{ range service \"missing\" }}x{{ else }}none{{ end }}"));
    assertEquals("xx", render("{{ range service \"web\" }}x{{ else }}none{{ end }}"));
    assertEquals("no", render("{{ if service \"missing\" }}yes{{ else }}no{{ end }}"));
    assertEquals("yes", render("{{ if service \"db\" }}yes{{ else }}no{{ end }}"));
    assertEquals("u1/p1", render("{{ with nomadVar \"nomad/jobs/j\" }}{{ .user }}/{{ .pass }}{{ else }}none{{ end }}"));
    assertEquals("none", render("{{ with nomadVar \"nomad/jobs/other\" }}{{ .user }}{{ else }}none{{ end }}"));
    assertEquals("", render("{{ with nomadVar \"nomad/jobs/other\" }}{{ .user }}{{ end }}"));
  }

  @Test
  void envReadsTheTasksEnvironment() {
    assertEquals("replica: abc-123\nother: \n", render("replica: {{ env \"NOMAD_ALLOC_ID\" }}\nother: {{ env \"UNSET\" }}\n"));
  }

  @Test
  void anUnsupportedFunctionFailsNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> render("{{ key \"config/x\" }}"));
    assertTrue(e.getMessage().contains("key"), e.getMessage());
    IllegalArgumentException piped = assertThrows(IllegalArgumentException.class,
        () -> render("{{ range service \"web\" }}{{ .Tags | join \",\" }}{{ end }}"));
    assertTrue(piped.getMessage().contains("join"), piped.getMessage());
    IllegalArgumentException elseIf = assertThrows(IllegalArgumentException.class,
        () -> render("{{ if service \"db\" }}a{{ else if service \"web\" }}b{{ end }}"));
    assertTrue(elseIf.getMessage().contains("else if"), elseIf.getMessage());
  }

  @Test
  void malformedTemplatesFailWithTheirLine() {
    IllegalArgumentException unclosed = assertThrows(IllegalArgumentException.class,
        () -> ConsulTemplate.parse("a\n{{ range service \"web\" }}x"));
    assertTrue(unclosed.getMessage().contains("range without end"), unclosed.getMessage());
    IllegalArgumentException end = assertThrows(IllegalArgumentException.class,
        () -> ConsulTemplate.parse("a\nb\n{{ end }}"));
    assertTrue(end.getMessage().contains("line 3") && end.getMessage().contains("end without"), end.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ConsulTemplate.parse("a {{ .x "));
    assertThrows(IllegalArgumentException.class, () -> ConsulTemplate.parse("{{ else }}"));
  }

  @Test
  void rangeOverSomethingNotAListFails() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> render("{{ range env \"NOMAD_ALLOC_ID\" }}x{{ end }}"));
    assertTrue(e.getMessage().contains("not a list"), e.getMessage());
  }
}
