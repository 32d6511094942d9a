package io.stellaops.crds;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders docs/api from the generated CRDs, so the reference says exactly what {@code kubectl
 * explain} and the API server enforce.
 */
final class ApiReference {
  private ApiReference() {}

  /** File name → Markdown, one file per kind plus an index. */
  static Map<String, String> render(Collection<String> crdYamls) {
    List<CustomResourceDefinition> crds =
        crdYamls.stream()
            .map(y -> Serialization.unmarshal(y, CustomResourceDefinition.class))
            .sorted(Comparator.comparing(c -> c.getSpec().getNames().getKind()))
            .toList();
    Map<String, String> files = new TreeMap<>();
    StringBuilder index = new StringBuilder();
    index.append("# API reference: stellaops.io/v1alpha1\n\n");
    index.append(
        "Generated from the CRDs in `crds/generated` by `hack/update-generated.sh`; do not edit.\n");
    index.append(
        "The same descriptions are served by the API server: try `kubectl explain release.spec`.\n\n");
    index.append("| kind | scope | short name | |\n|---|---|---|---|\n");
    for (CustomResourceDefinition crd : crds) {
      var names = crd.getSpec().getNames();
      String file = names.getKind().toLowerCase() + ".md";
      index
          .append("| [")
          .append(names.getKind())
          .append("](")
          .append(file)
          .append(") | ")
          .append(crd.getSpec().getScope())
          .append(" | ")
          .append(String.join(", ", names.getShortNames()))
          .append(" | ")
          .append(firstSentence(describe(crd)))
          .append(" |\n");
      files.put(file, renderKind(crd));
    }
    files.put("index.md", index.toString());
    return files;
  }

  private static String describe(CustomResourceDefinition crd) {
    var spec =
        crd.getSpec()
            .getVersions()
            .get(0)
            .getSchema()
            .getOpenAPIV3Schema()
            .getProperties()
            .get("spec");
    return spec == null || spec.getDescription() == null ? "" : spec.getDescription();
  }

  private static String firstSentence(String s) {
    int dot = s.indexOf(". ");
    return dot < 0 ? s : s.substring(0, dot + 1);
  }

  private static String renderKind(CustomResourceDefinition crd) {
    var names = crd.getSpec().getNames();
    var version = crd.getSpec().getVersions().get(0);
    StringBuilder md = new StringBuilder();
    md.append("# ").append(names.getKind()).append("\n\n");
    md.append("`")
        .append(crd.getSpec().getGroup())
        .append('/')
        .append(version.getName())
        .append("`, ");
    md.append(crd.getSpec().getScope().toLowerCase())
        .append(", plural `")
        .append(names.getPlural())
        .append('`');
    if (!names.getShortNames().isEmpty()) {
      md.append(", short name `").append(String.join("`, `", names.getShortNames())).append('`');
    }
    md.append(".\n\n");
    if (version.getAdditionalPrinterColumns() != null
        && !version.getAdditionalPrinterColumns().isEmpty()) {
      md.append("`kubectl get` columns: ");
      md.append(
          String.join(
              ", ",
              version.getAdditionalPrinterColumns().stream()
                  .map(c -> c.getName() + " (`" + c.getJsonPath() + "`)")
                  .toList()));
      md.append(".\n\n");
    }
    var root = version.getSchema().getOpenAPIV3Schema();
    if (root.getXKubernetesValidations() != null) {
      for (ValidationRule r : root.getXKubernetesValidations()) {
        md.append("Rule on the whole object: ")
            .append(r.getMessage())
            .append(" (`")
            .append(r.getRule())
            .append("`).\n\n");
      }
    }
    md.append("| field | type | description |\n|---|---|---|\n");
    for (String top : List.of("spec", "status")) {
      JSONSchemaProps props = root.getProperties().get(top);
      if (props != null) {
        renderField(md, top, props, false);
      }
    }
    return md.toString();
  }

  private static void renderField(
      StringBuilder md, String path, JSONSchemaProps p, boolean required) {
    md.append("| `").append(path).append("`");
    if (required) {
      md.append(" *(required)*");
    }
    md.append(" | ").append(type(p)).append(" | ").append(cell(p.getDescription()));
    md.append(constraints(p)).append(" |\n");
    JSONSchemaProps object = p;
    String prefix = path;
    if ("array".equals(p.getType()) && p.getItems() != null && p.getItems().getSchema() != null) {
      object = p.getItems().getSchema();
      prefix = path + "[]";
    }
    if (object.getProperties() != null) {
      List<String> req = object.getRequired() == null ? List.of() : object.getRequired();
      for (var e : new TreeMap<>(object.getProperties()).entrySet()) {
        renderField(md, prefix + "." + e.getKey(), e.getValue(), req.contains(e.getKey()));
      }
    }
  }

  private static String type(JSONSchemaProps p) {
    if ("array".equals(p.getType()) && p.getItems() != null && p.getItems().getSchema() != null) {
      return type(p.getItems().getSchema()) + "[]";
    }
    if ("object".equals(p.getType())
        && p.getAdditionalProperties() != null
        && p.getAdditionalProperties().getSchema() != null) {
      return "map[string]" + type(p.getAdditionalProperties().getSchema());
    }
    return p.getType() == null ? "any" : p.getType();
  }

  private static String constraints(JSONSchemaProps p) {
    StringBuilder c = new StringBuilder();
    JSONSchemaProps values = p;
    if ("array".equals(p.getType()) && p.getItems() != null && p.getItems().getSchema() != null) {
      values = p.getItems().getSchema();
    }
    if (values.getEnum() != null && !values.getEnum().isEmpty()) {
      c.append(" One of: ")
          .append(
              String.join(
                  ", ", values.getEnum().stream().map(e -> "`" + e.asText() + "`").toList()))
          .append('.');
    }
    if (values.getPattern() != null) {
      c.append(" Pattern: `").append(values.getPattern().replace("|", "\\|")).append("`.");
    }
    if (p.getDefault() != null) {
      c.append(" Default: `").append(p.getDefault().asText()).append("`.");
    }
    if (p.getMinimum() != null) {
      c.append(" Minimum: ").append(p.getMinimum().longValue()).append('.');
    }
    if (p.getMaximum() != null) {
      c.append(" Maximum: ").append(p.getMaximum().longValue()).append('.');
    }
    if (p.getMinItems() != null) {
      c.append(" At least ").append(p.getMinItems()).append(" item(s).");
    }
    if (p.getMaxItems() != null) {
      c.append(" At most ").append(p.getMaxItems()).append(" items.");
    }
    if (p.getMaxLength() != null) {
      c.append(" At most ").append(p.getMaxLength()).append(" characters.");
    }
    if (p.getXKubernetesValidations() != null) {
      for (ValidationRule r : p.getXKubernetesValidations()) {
        c.append(" Rule: ")
            .append(cell(r.getMessage()))
            .append(" (`")
            .append(r.getRule().replace("|", "\\|"))
            .append("`).");
      }
    }
    return c.toString();
  }

  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
