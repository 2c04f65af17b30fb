"""Validates deploy/kubernetes offline: every overlay renders, every core object passes
kubernetes-validate's strict schemas for two Kubernetes versions, and every KEDA object passes
KEDA's own CRD schema (keda-v2.20.2/, see its SOURCE) plus the rules KEDA's scalers check when
they start. Then every manifest in broken/ must be rejected, each for the reason its first
comment line gives.

    python validate_manifests.py KUBECTL REPOSITORY_ROOT

Prints one JSON object: {"rendered": {...}, "accepted": n, "rejected": {...}, "problems": [...]};
exits 0 only when there are no problems.
"""
import copy
import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import kubernetes_validate
import yaml

HERE = Path(__file__).resolve().parent
KUBERNETES_VERSIONS = ["1.30.0", "1.37.0"]
# The scalers the manifests and docs/deploy.md use, with the metadata each needs to start.
SCALER_METADATA = {
    "postgresql": {"query", "targetQueryValue"},
    "prometheus": {"serverAddress", "query", "threshold"},
    "cpu": {"value"},
}


def strict(schema):
    """KEDA's OpenAPI schema as JSON Schema that, like `kubectl --validate=strict`, refuses
    fields it does not know (the API server would prune them silently)."""
    schema = copy.deepcopy(schema)

    def visit(node):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node \
                    and not node.get("x-kubernetes-preserve-unknown-fields"):
                node["additionalProperties"] = False
            if node.get("x-kubernetes-int-or-string"):
                node.pop("type", None)
                node["anyOf"] = [{"type": "integer"}, {"type": "string"}]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(schema)
    # ObjectMeta is Kubernetes' own; its shape is checked the same way for core objects.
    schema["properties"]["metadata"] = {"type": "object", "required": ["name"],
                                        "properties": {"name": {"type": "string"}, "namespace": {"type": "string"},
                                                       "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                                                       "annotations": {"type": "object",
                                                                       "additionalProperties": {"type": "string"}}},
                                        "additionalProperties": False}
    return schema


def keda_schemas():
    schemas = {}
    for path in sorted((HERE / "keda-v2.20.2").glob("*.yaml")):
        crd = yaml.safe_load(path.read_text())
        for version in crd["spec"]["versions"]:
            key = (f"{crd['spec']['group']}/{version['name']}", crd["spec"]["names"]["kind"])
            schemas[key] = strict(version["schema"]["openAPIV3Schema"])
    return schemas


def check(document, schemas):
    """None when `document` is valid, else why not."""
    if not isinstance(document, dict) or "apiVersion" not in document or "kind" not in document:
        return "not a Kubernetes object (apiVersion and kind are required)"
    key = (document["apiVersion"], document["kind"])
    if key[0].startswith("keda.sh/"):
        if key not in schemas:
            return f"KEDA has no {key[1]} in {key[0]}"
        try:
            jsonschema.validate(document, schemas[key])
        except jsonschema.ValidationError as error:
            return f"{key[1]}: {error.message} at {'/'.join(map(str, error.absolute_path))}"
        if key[1] == "ScaledObject":
            for trigger in document["spec"]["triggers"]:
                needed = SCALER_METADATA.get(trigger["type"])
                if needed is None:
                    return f"ScaledObject: unknown trigger type {trigger['type']!r}"
                missing = needed - set(trigger.get("metadata", {}))
                if missing:
                    return f"ScaledObject: a {trigger['type']} trigger needs {sorted(missing)}"
                if trigger["type"] == "postgresql" and "authenticationRef" not in trigger \
                        and "connectionFromEnv" not in trigger.get("metadata", {}):
                    return "ScaledObject: a postgresql trigger needs authenticationRef or connectionFromEnv"
        return None
    for version in KUBERNETES_VERSIONS:
        try:
            kubernetes_validate.validate(document, version, strict=True)
        except kubernetes_validate.ValidationError as error:
            return f"{key[1]} (Kubernetes {version}): {error.message} at {'/'.join(map(str, error.path))}"
        except kubernetes_validate.SchemaNotFoundError as error:
            return f"{key[1]}: no schema for {key[0]} in Kubernetes {version} ({error})"
    if key == ("apps/v1", "Deployment") or key == ("apps/v1", "StatefulSet"):
        # A selector that does not match its own template is an API error, not a schema one.
        selector = document["spec"]["selector"].get("matchLabels", {})
        labels = document["spec"]["template"]["metadata"].get("labels", {})
        if any(labels.get(name) != value for name, value in selector.items()):
            return f"{key[1]}: the selector does not match the template's labels"
    return None


def main(kubectl, root):
    schemas = keda_schemas()
    problems, rendered, accepted = [], {}, 0
    for overlay in ("dev", "prod"):
        result = subprocess.run([kubectl, "kustomize", str(Path(root) / "deploy/kubernetes/overlays" / overlay)],
                                text=True, capture_output=True)
        if result.returncode != 0:
            problems.append(f"overlay {overlay} does not render: {result.stderr.strip()}")
            continue
        documents = [document for document in yaml.safe_load_all(result.stdout) if document]
        rendered[overlay] = sorted({document["kind"] for document in documents})
        for document in documents:
            failure = check(document, schemas)
            if failure:
                problems.append(f"{overlay}: {document.get('kind')}/{document.get('metadata', {}).get('name')}: {failure}")
            else:
                accepted += 1
    rejected = {}
    for path in sorted((HERE / "broken").glob("*.yaml")):
        document = yaml.safe_load(path.read_text())
        failure = check(document, schemas)
        if failure is None:
            problems.append(f"broken/{path.name} was accepted")
        else:
            rejected[path.name] = failure
    print(json.dumps({"rendered": rendered, "accepted": accepted, "rejected": rejected, "problems": problems}, indent=2))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
