#!/usr/bin/env bash
# Stands up the Inference-in-a-Box platform on a local Kind cluster: every component at the
# version pinned in scripts/lib/versions.sh, then the manifests of configs/.
#
# Idempotent and resumable: each step first checks whether it is already done (release deployed
# at the pinned version, object present, secret generated) and skips itself if so. Re-run after a
# failure, or start at a step with --from.
set -euo pipefail

case "${BASH_SOURCE[0]}" in */*) SCRIPT_DIR="${BASH_SOURCE[0]%/*}" ;; *) SCRIPT_DIR=. ;; esac
# shellcheck source=lib/platform.sh
source "$SCRIPT_DIR/lib/platform.sh"
# shellcheck source=lib/versions.sh
source "$PLATFORM_SCRIPTS_DIR/lib/versions.sh"

PORTAL_IMAGE="${PORTAL_IMAGE:-inference-portal:dev}"

STEPS=(
  prerequisites cluster gateway-api cert-manager istio knative kserve envoy-gateway ai-gateway
  gateway auth tenants models observability portal verify
)

describe_step() {
  case "$1" in
    prerequisites) echo "Check prerequisites: kind, kubectl, helm, docker, openssl, curl" ;;
    cluster) echo "Kind cluster '$KIND_CLUSTER_NAME' (node image $KIND_NODE_IMAGE)" ;;
    gateway-api) echo "Gateway API CRDs $GATEWAY_API_VERSION (experimental channel) + Gateway API Inference Extension $GATEWAY_API_INFERENCE_EXTENSION_VERSION" ;;
    cert-manager) echo "cert-manager $CERT_MANAGER_VERSION (needed by KServe)" ;;
    istio) echo "Istio $ISTIO_VERSION: base, istiod, istio-ingressgateway (mesh-local gateway for Knative); mesh defaults" ;;
    knative) echo "Knative Serving $KNATIVE_SERVING_VERSION + net-istio (opt-in scale-to-zero models)" ;;
    kserve) echo "KServe $KSERVE_VERSION (default deployment mode Standard)" ;;
    envoy-gateway) echo "Envoy Gateway $ENVOY_GATEWAY_VERSION with Backend API, Redis rate limits, AI Gateway extension manager" ;;
    ai-gateway) echo "Envoy AI Gateway $ENVOY_AI_GATEWAY_VERSION (CRDs + controller)" ;;
    gateway) echo "Shared Gateway ai-inference-gateway: GatewayClass, EnvoyProxy, TLS certificate (generated), listeners, buffer limits" ;;
    auth) echo "Demo JWT issuer (signing key and client secrets generated now) + platform JWT SecurityPolicy" ;;
    tenants) echo "Tenant namespaces tenant-a, tenant-b, tenant-c: quotas, limits, STRICT mTLS, AuthorizationPolicies" ;;
    models) echo "Sample InferenceServices: sklearn-iris (Knative, scale to zero), huggingface-t5, pytorch-resnet, qwen-chat" ;;
    observability) echo "kube-prometheus-stack $KUBE_PROMETHEUS_STACK_VERSION with Envoy/AI Gateway/KServe scrape jobs + Grafana dashboard" ;;
    portal) echo "Portal: PostgreSQL (password generated now), ServiceAccount, least-privilege RBAC, Deployment ($PORTAL_IMAGE)" ;;
    verify) echo "Verify: Gateway programmed, models listed, gateway identity matches the tenants' AuthorizationPolicies" ;;
    *) return 1 ;;
  esac
}

usage() {
  # printf, not cat: --help must work without any external command.
  printf '%s\n' "Usage: scripts/bootstrap.sh [--dry-run] [--from STEP] [--only STEP] [--help]

Creates a Kind cluster and installs the Inference-in-a-Box platform into it.

  --dry-run     print the ordered plan with the pinned versions and exit (needs no tools, no cluster)
  --from STEP   start at STEP (earlier steps are assumed done)
  --only STEP   run a single step
  --help        this text

Environment: KIND_CLUSTER_NAME (default inference-in-a-box), PORTAL_IMAGE (default inference-portal:dev).
Versions are pinned in scripts/lib/versions.sh."
  print_plan
}

print_plan() {
  local i=1 step
  echo "Plan:"
  for step in "${STEPS[@]}"; do
    printf '  %2d. %-14s %s\n' "$i" "$step" "$(describe_step "$step")"
    i=$((i + 1))
  done
}

# --- steps: done_<step> returns 0 when nothing is left to do; run_<step> does it -------------

done_prerequisites() { return 1; }
run_prerequisites() {
  require_tools kind kubectl helm docker openssl curl
  docker info >/dev/null 2>&1 || fail "docker is installed but its daemon does not answer"
}

done_cluster() { kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER_NAME"; }
run_cluster() {
  kind create cluster --name "$KIND_CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --wait 120s
}

done_gateway-api() {
  kubectl get crd gateways.gateway.networking.k8s.io -o jsonpath='{.metadata.annotations.gateway\.networking\.k8s\.io/bundle-version}' 2>/dev/null |
    grep -qx "$GATEWAY_API_VERSION" &&
    kubectl get crd inferencepools.inference.networking.k8s.io >/dev/null 2>&1
}
run_gateway-api() {
  kubectl apply --server-side --force-conflicts -f "$GATEWAY_API_MANIFEST" >/dev/null
  kubectl apply --server-side --force-conflicts -f "$GATEWAY_API_INFERENCE_EXTENSION_MANIFEST" >/dev/null
}

done_cert-manager() { helm_is_at cert-manager cert-manager "$CERT_MANAGER_VERSION"; }
run_cert-manager() {
  helm upgrade --install cert-manager "$CERT_MANAGER_CHART" --version "$CERT_MANAGER_VERSION" \
    -n cert-manager --create-namespace --set crds.enabled=true --wait
}

done_istio() {
  helm_is_at istio-system istiod "$ISTIO_VERSION" && helm_is_at istio-system istio-ingressgateway "$ISTIO_VERSION"
}
run_istio() {
  helm repo add istio "$ISTIO_HELM_REPO" --force-update >/dev/null
  helm upgrade --install istio-base istio/base --version "$ISTIO_VERSION" -n istio-system --create-namespace --wait
  helm upgrade --install istiod istio/istiod --version "$ISTIO_VERSION" -n istio-system \
    -f "$PLATFORM_CONFIGS/istio/istiod.values.yaml" --wait
  helm upgrade --install istio-ingressgateway istio/gateway --version "$ISTIO_VERSION" -n istio-system \
    -f "$PLATFORM_CONFIGS/istio/istio-ingressgateway.values.yaml" --wait
  kubectl_apply "$PLATFORM_CONFIGS/istio/mesh-defaults.yaml"
}

done_knative() {
  kubectl get deployment controller -n knative-serving -o jsonpath='{.metadata.labels.app\.kubernetes\.io/version}' 2>/dev/null |
    grep -qx "$KNATIVE_SERVING_VERSION" &&
    kubectl get deployment net-istio-controller -n knative-serving >/dev/null 2>&1
}
run_knative() {
  # The namespace first, labelled for sidecar injection, so the activator joins the mesh.
  kubectl_apply "$PLATFORM_CONFIGS/kserve/knative-serving-namespace.yaml"
  kubectl apply --server-side --force-conflicts -f "$KNATIVE_SERVING_CRDS_MANIFEST" >/dev/null
  kubectl apply --server-side --force-conflicts -f "$KNATIVE_SERVING_CORE_MANIFEST" >/dev/null
  kubectl apply --server-side --force-conflicts -f "$KNATIVE_NET_ISTIO_MANIFEST" >/dev/null
  kubectl_apply "$PLATFORM_CONFIGS/kserve/knative-config.yaml"
  wait_for_deployments knative-serving
}

done_kserve() { helm_is_at kserve kserve "$KSERVE_VERSION"; }
run_kserve() {
  helm upgrade --install kserve-crd "$KSERVE_CRD_CHART" --version "$KSERVE_VERSION" -n kserve --create-namespace --wait
  helm upgrade --install kserve "$KSERVE_CHART" --version "$KSERVE_VERSION" -n kserve \
    -f "$PLATFORM_CONFIGS/kserve/kserve.values.yaml" --wait
}

done_envoy-gateway() { helm_is_at envoy-gateway-system eg "$ENVOY_GATEWAY_VERSION"; }
run_envoy-gateway() {
  kubectl_apply "$PLATFORM_CONFIGS/envoy-gateway/namespace.yaml" "$PLATFORM_CONFIGS/envoy-gateway/redis.yaml"
  # Envoy Gateway's own CRDs; the Gateway API ones were installed (pinned) in step gateway-api.
  helm template eg-crds "$ENVOY_GATEWAY_CRDS_CHART" --version "$ENVOY_GATEWAY_VERSION" \
    --set crds.gatewayAPI.enabled=false --set crds.envoyGateway.enabled=true |
    kubectl apply --server-side --force-conflicts -f - >/dev/null
  helm upgrade --install eg "$ENVOY_GATEWAY_CHART" --version "$ENVOY_GATEWAY_VERSION" -n envoy-gateway-system \
    --skip-crds -f "$PLATFORM_CONFIGS/envoy-gateway/envoy-gateway.values.yaml" --wait
}

done_ai-gateway() { helm_is_at envoy-ai-gateway-system aieg "$ENVOY_AI_GATEWAY_VERSION"; }
run_ai-gateway() {
  helm upgrade --install aieg-crd "$ENVOY_AI_GATEWAY_CRDS_CHART" --version "$ENVOY_AI_GATEWAY_VERSION" \
    -n envoy-ai-gateway-system --create-namespace --wait
  # The chart's MCP session seed defaults to a public value; generate one per installation.
  helm upgrade --install aieg "$ENVOY_AI_GATEWAY_CHART" --version "$ENVOY_AI_GATEWAY_VERSION" \
    -n envoy-ai-gateway-system -f "$PLATFORM_CONFIGS/ai-gateway/ai-gateway.values.yaml" \
    --set-string "controller.mcp.sessionEncryption.seed=$(random_token 32)" --wait
  # Restart Envoy Gateway so it connects to the extension server that now exists.
  kubectl rollout restart deployment/envoy-gateway -n envoy-gateway-system >/dev/null
  kubectl rollout status deployment/envoy-gateway -n envoy-gateway-system --timeout=180s >/dev/null
}

done_gateway() {
  secret_exists envoy-gateway-system ai-inference-gateway-tls &&
    kubectl get gateway ai-inference-gateway -n envoy-gateway-system >/dev/null 2>&1
}
run_gateway() {
  if ! secret_exists envoy-gateway-system ai-inference-gateway-tls; then
    local dir
    dir="$(mktemp -d)"
    # Self-signed for Kind; on a real cluster use cert-manager or your own certificate.
    openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes -keyout "$dir/tls.key" -out "$dir/tls.crt" \
      -subj "/CN=api.router.inference-in-a-box" \
      -addext "subjectAltName=DNS:api.router.inference-in-a-box,DNS:*.inference-in-a-box" 2>/dev/null
    kubectl create secret tls ai-inference-gateway-tls -n envoy-gateway-system \
      --cert="$dir/tls.crt" --key="$dir/tls.key" >/dev/null
    rm -rf "$dir"
  fi
  kubectl_apply "$PLATFORM_CONFIGS/envoy-gateway/gatewayclass.yaml" "$PLATFORM_CONFIGS/envoy-gateway/envoyproxy.yaml"
  kubectl_apply "$PLATFORM_CONFIGS/envoy-gateway/gateway.yaml" "$PLATFORM_CONFIGS/envoy-gateway/client-traffic-policy.yaml"
  kubectl wait --for=condition=Programmed gateway/ai-inference-gateway -n envoy-gateway-system --timeout=300s >/dev/null
}

done_auth() {
  secret_exists inference-auth jwt-issuer-keys &&
    kubectl get securitypolicy platform-jwt -n envoy-gateway-system >/dev/null 2>&1
}
run_auth() {
  kubectl_apply "$PLATFORM_CONFIGS/auth/namespace.yaml"
  if ! secret_exists inference-auth jwt-issuer-keys; then
    local dir
    dir="$(mktemp -d)"
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/private.pem" 2>/dev/null
    random_token 8 >"$dir/kid"
    printf '{"tenant-a":"%s","tenant-b":"%s","tenant-c":"%s"}\n' \
      "$(random_token 32)" "$(random_token 32)" "$(random_token 32)" >"$dir/clients.json"
    kubectl create secret generic jwt-issuer-keys -n inference-auth \
      --from-file="$dir/private.pem" --from-file="$dir/kid" --from-file="$dir/clients.json" >/dev/null
    rm -rf "$dir"
  fi
  kubectl_apply "$PLATFORM_CONFIGS/auth/jwt-issuer.yaml" "$PLATFORM_CONFIGS/auth/platform-jwt-policy.yaml"
  wait_for_deployments inference-auth
}

done_tenants() {
  local t
  for t in tenant-a tenant-b tenant-c; do
    kubectl get authorizationpolicy allow-platform-ingress -n "$t" >/dev/null 2>&1 || return 1
  done
}
run_tenants() { kubectl_apply "$PLATFORM_CONFIGS/tenants"; }

done_models() { return 1; } # applying is idempotent and picks up changed samples
run_models() { kubectl_apply "$PLATFORM_CONFIGS/models"; }

done_observability() { helm_is_at monitoring kube-prometheus-stack "$KUBE_PROMETHEUS_STACK_VERSION"; }
run_observability() {
  kubectl create namespace monitoring --dry-run=client -o yaml | kubectl apply -f - >/dev/null
  if ! secret_exists monitoring grafana-admin; then
    kubectl create secret generic grafana-admin -n monitoring \
      --from-literal=admin-user=admin --from-literal=admin-password="$(random_token 16)" >/dev/null
  fi
  helm repo add prometheus-community "$PROMETHEUS_HELM_REPO" --force-update >/dev/null
  helm upgrade --install kube-prometheus-stack prometheus-community/kube-prometheus-stack \
    --version "$KUBE_PROMETHEUS_STACK_VERSION" -n monitoring \
    -f "$PLATFORM_CONFIGS/observability/kube-prometheus-stack.values.yaml" \
    --set grafana.admin.existingSecret=grafana-admin --wait --timeout 10m
  kubectl create configmap inference-dashboard -n monitoring \
    --from-file=inference-in-a-box.json="$PLATFORM_CONFIGS/observability/grafana-dashboard.json" \
    --dry-run=client -o yaml | kubectl label --local -f - grafana_dashboard=1 -o yaml | kubectl apply -f - >/dev/null
}

done_portal() { return 1; }
run_portal() {
  kubectl_apply "$PLATFORM_CONFIGS/portal/namespace.yaml"
  if ! secret_exists inference-portal portal-postgres; then
    kubectl create secret generic portal-postgres -n inference-portal \
      --from-literal=username=backstage --from-literal=password="$(random_token 24)" >/dev/null
  fi
  kubectl_apply "$PLATFORM_CONFIGS/portal/serviceaccount.yaml" "$PLATFORM_CONFIGS/portal/rbac.yaml" \
    "$PLATFORM_CONFIGS/portal/configmap.yaml" "$PLATFORM_CONFIGS/portal/postgres.yaml"
  if docker image inspect "$PORTAL_IMAGE" >/dev/null 2>&1; then
    kind load docker-image "$PORTAL_IMAGE" --name "$KIND_CLUSTER_NAME"
    kubectl_apply "$PLATFORM_CONFIGS/portal/deployment.yaml"
  else
    warn "image $PORTAL_IMAGE not found locally: build it (docs/platform.md) and re-run with --only portal"
  fi
}

done_verify() { return 1; }
run_verify() {
  kubectl get gateway ai-inference-gateway -n envoy-gateway-system
  kubectl get inferenceservices -A
  local accounts
  accounts="$(kubectl get serviceaccounts -n envoy-gateway-system -o name | grep 'envoy-envoy-gateway-system-ai-inference-gateway-' || true)"
  [ -n "$accounts" ] ||
    fail "no Envoy service account matches the principal in configs/tenants/*.yaml; update allow-platform-ingress"
  ok "gateway identity: $accounts"
}

# --- driver -----------------------------------------------------------------------------------

main() {
  local dry_run=false from="" only=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --help | -h) usage; return 0 ;;
      --dry-run) dry_run=true ;;
      --from) from="${2:?--from needs a step}"; shift ;;
      --only) only="${2:?--only needs a step}"; shift ;;
      *) usage >&2; fail "unknown argument: $1" ;;
    esac
    shift
  done
  local step
  for step in "$from" "$only"; do
    [ -z "$step" ] || describe_step "$step" >/dev/null || fail "unknown step: $step"
  done

  if $dry_run; then
    echo "Dry run: nothing is changed. Versions from scripts/lib/versions.sh."
    print_plan
    return 0
  fi

  local i=0 total=${#STEPS[@]} started=false
  [ -n "$from" ] || started=true
  for step in "${STEPS[@]}"; do
    i=$((i + 1))
    [ "$step" = "$from" ] && started=true
    $started || continue
    if [ -n "$only" ] && [ "$step" != "$only" ]; then continue; fi
    info "[$i/$total] $step: $(describe_step "$step")"
    if "done_$step"; then
      ok "already done"
      continue
    fi
    "run_$step" || fail "step $step failed; fix the cause and re-run (it resumes where it stopped)"
    ok "$step"
  done
  info "Platform ready. Demos: scripts/demos/*.sh --help; docs: docs/platform.md"
}

main "$@"
