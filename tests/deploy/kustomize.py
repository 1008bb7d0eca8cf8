"""Just enough of `kustomize build` to render deploy/kubernetes offline: `resources` (files and
folders with a kustomization.yaml), `namespace`, `images`, `labels` and `patches` that are
strategic merges (maps merged, lists of named items merged by name, `$patch: delete`)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

Manifest = dict[str, Any]
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"}


def build(folder: Path) -> list[Manifest]:
    spec = yaml.safe_load((folder / "kustomization.yaml").read_text(encoding="utf-8"))
    unknown = set(spec) - {"apiVersion", "kind", "resources", "namespace", "images", "labels",
                           "patches"}  # fmt: skip
    assert not unknown, f"{folder}: this renderer does not know {unknown}"
    manifests: list[Manifest] = []
    for entry in spec.get("resources", []):
        path = folder / entry
        if path.is_dir():
            manifests += build(path)
        else:
            manifests += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    for patch in spec.get("patches", []):
        assert set(patch) == {"path"}, f"{folder}: only strategic-merge patch files are rendered"
        for doc in yaml.safe_load_all((folder / patch["path"]).read_text(encoding="utf-8")):
            manifests = _apply(manifests, doc, folder / patch["path"])
    for label in spec.get("labels", []):
        for manifest in manifests:
            manifest.setdefault("metadata", {}).setdefault("labels", {}).update(label["pairs"])
    for image in spec.get("images", []):
        for manifest in manifests:
            for container in _containers(manifest):
                _retag(container, image)
    if "namespace" in spec:
        for manifest in manifests:
            if manifest["kind"] not in CLUSTER_SCOPED:
                manifest["metadata"]["namespace"] = spec["namespace"]
    return manifests


def _apply(manifests: list[Manifest], patch: Manifest, source: Path) -> list[Manifest]:
    key = (patch["kind"], patch["metadata"]["name"])
    targets = [m for m in manifests if (m["kind"], m["metadata"]["name"]) == key]
    assert len(targets) == 1, f"{source}: patch target {key} not found once"
    if patch.get("$patch") == "delete":
        return [m for m in manifests if m is not targets[0]]
    merged = _merge(targets[0], {k: v for k, v in patch.items() if k != "$patch"})
    return [merged if m is targets[0] else m for m in manifests]


def _merge(base: Any, patch: Any) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        out = copy.deepcopy(base)
        for key, value in patch.items():
            out[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    if (
        isinstance(base, list)
        and isinstance(patch, list)
        and all(isinstance(i, dict) and "name" in i for i in base + patch)
    ):
        out = copy.deepcopy(base)
        for item in patch:
            match = [n for n, b in enumerate(out) if b["name"] == item["name"]]
            if match:
                out[match[0]] = _merge(out[match[0]], item)
            else:
                out.append(copy.deepcopy(item))
        return out
    return copy.deepcopy(patch)


def _containers(manifest: Manifest) -> list[dict[str, Any]]:
    spec = manifest.get("spec", {})
    template = spec.get("jobTemplate", {}).get("spec", spec).get("template", {})
    pod = template.get("spec", {})
    return list(pod.get("containers", [])) + list(pod.get("initContainers", []))


def _retag(container: dict[str, Any], image: dict[str, str]) -> None:
    name, _, tag = container["image"].partition(":")
    if name != image["name"]:
        return
    name = image.get("newName", name)
    tag = image.get("newTag", tag)
    container["image"] = f"{name}:{tag}" if tag else name
