"""deploy/kubernetes, rendered (base and every overlay) and checked offline: built-in kinds by
kubernetes-validate for the pinned Kubernetes version, KEDA's ScaledObject by its CRD schema,
and the rules the deployment promises (secrets referenced not inlined, GPU workers on GPU
nodes, worker grace longer than the hand-back, a disruption budget per Deployment)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.deploy.kustomize import Manifest, build

REPO = Path(__file__).resolve().parents[2]
KUBERNETES = REPO / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.31.0"
"""The oldest Kubernetes the manifests are meant for (autoscaling/v2, policy/v1, batch/v1)."""
KEDA_SCHEMA = json.loads(
    (REPO / "tests" / "fixtures" / "deploy" / "keda-scaledobject.schema.json").read_text()
)
TREES = ["base", "overlays/production", "overlays/cpu-only"]
CLEAN_UP_S = 5.0


def _render(tree: str) -> list[Manifest]:
    return build(KUBERNETES / tree)


def _find(manifests: list[Manifest], kind: str, name: str) -> Manifest:
    found = [m for m in manifests if m["kind"] == kind and m["metadata"]["name"] == name]
    assert len(found) == 1, (kind, name)
    return found[0]


def _pod(manifest: Manifest) -> dict[str, Any]:
    pod: dict[str, Any] = manifest["spec"]["template"]["spec"]
    return pod


@pytest.mark.parametrize("tree", TREES)
def test_every_manifest_validates(tree: str) -> None:
    manifests = _render(tree)
    assert len(manifests) >= 10
    for manifest in manifests:
        if manifest["apiVersion"].startswith("keda.sh/"):
            jsonschema.validate(manifest, KEDA_SCHEMA)
        else:
            kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def test_the_validators_catch_mistakes() -> None:
    """A check that passes everything checks nothing."""
    manifests = _render("base")
    deployment = _find(manifests, "Deployment", "reelestate-app")
    broken = {**deployment, "spec": {**deployment["spec"], "replicas": "two"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)
    scaled = _find(manifests, "ScaledObject", "reelestate-worker-gpu")
    trigger = {**scaled["spec"]["triggers"][0], "metadata": {"threshold": 1}}
    with pytest.raises(jsonschema.ValidationError, match="is not of type 'string'"):
        jsonschema.validate(
            {**scaled, "spec": {**scaled["spec"], "triggers": [trigger]}}, KEDA_SCHEMA
        )


def test_secrets_are_referenced_never_inlined() -> None:
    manifests = _render("overlays/production")
    assert [m for m in manifests if m["kind"] == "Secret"] == []
    config = _find(manifests, "ConfigMap", "reelestate-config")["data"]
    secret_words = ("SECRET", "PASSWORD", "KEY", "TOKEN", "DATABASE_URL", "REDIS_URL")
    assert [k for k in config if any(w in k for w in secret_words)] == []
    for manifest in manifests:
        if manifest["kind"] in {"Deployment", "Job"}:
            for container in _pod(manifest)["containers"]:
                refs = [s.get("secretRef", {}).get("name") for s in container["envFrom"]]
                assert "reelestate-secrets" in refs


def test_workers_scale_on_the_queue_rule_and_gpu_workers_scale_to_zero() -> None:
    manifests = _render("base")
    for queue in ("cpu", "gpu"):
        scaled = _find(manifests, "ScaledObject", f"reelestate-worker-{queue}")
        (trigger,) = scaled["spec"]["triggers"]
        assert trigger["type"] == "prometheus"
        # The gauge is `workers.scaling.desired_workers`: one worker per unit of it.
        assert trigger["metadata"]["query"] == (
            f'max(reelestate_queue_desired_workers{{queue="{queue}"}})'
        )
        assert trigger["metadata"]["threshold"] == "1"
    gpu = _find(manifests, "ScaledObject", "reelestate-worker-gpu")["spec"]
    assert gpu["minReplicaCount"] == 0 and gpu["cooldownPeriod"] >= 300
    app_hpa = _find(manifests, "HorizontalPodAutoscaler", "reelestate-app")["spec"]
    assert app_hpa["metrics"][0]["resource"]["name"] == "cpu"


def test_gpu_workers_land_on_gpu_nodes_and_the_cpu_only_overlay_has_none() -> None:
    pod = _pod(_find(_render("base"), "Deployment", "reelestate-worker-gpu"))
    assert pod["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    (container,) = pod["containers"]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert container["image"].startswith("registry.example.com/reelestate-gpu:")
    cpu_only = _render("overlays/cpu-only")
    assert [m for m in cpu_only if "gpu" in m["metadata"]["name"]] == []
    assert all(m["metadata"]["namespace"] == "reelestate" for m in cpu_only)


def test_workers_get_longer_than_their_hand_back_and_every_deployment_a_budget() -> None:
    manifests = _render("overlays/production")
    grace = float(_find(manifests, "ConfigMap", "reelestate-config")["data"][
        "REELESTATE_SHUTDOWN_GRACE_S"
    ])  # fmt: skip
    budgets = {
        m["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]
        for m in manifests
        if m["kind"] == "PodDisruptionBudget"
    }
    for deployment in (m for m in manifests if m["kind"] == "Deployment"):
        name = deployment["metadata"]["name"]
        assert name in budgets
        pod = _pod(deployment)
        assert pod["securityContext"]["runAsNonRoot"] is True
        if "worker" in name:
            assert pod["terminationGracePeriodSeconds"] > grace + CLEAN_UP_S


def test_the_ingress_serves_websockets_of_the_chat_and_progress() -> None:
    ingress = _find(_render("base"), "Ingress", "reelestate")
    annotations = ingress["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    # The chat's socket session lives in one pod: a browser stays with it.
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["path"] == "/" and path["backend"]["service"]["name"] == "reelestate-app"


def test_manifest_files_parse_as_yaml() -> None:
    for path in KUBERNETES.rglob("*.yaml"):
        assert list(yaml.safe_load_all(path.read_text(encoding="utf-8")))


def test_the_grafana_dashboard_charts_metrics_the_code_exports() -> None:
    dashboard = json.loads((REPO / "deploy" / "grafana" / "reelestate-dashboard.json").read_text())
    exprs = " ".join(t["expr"] for p in dashboard["panels"] for t in p["targets"])
    source = " ".join(
        (REPO / "src" / "reelestate" / part).read_text()
        for part in ("core/metrics.py", "workers/queue_metrics.py")
    )
    for name in set(re.findall(r"reelestate_[a-z_]+", exprs)):
        base = re.sub(r"_(total|bucket|count|sum)$", "", name)
        assert f'"{base}"' in source, name
