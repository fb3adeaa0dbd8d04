#!/usr/bin/env bash
# Stands up the Inference-in-a-Box platform on a local Kind cluster: every component at the
# version pinned in scripts/lib/versions.sh, then the manifests of configs/.
#
# Idempotent and resumable: each step first checks whether its end state is there (releases deployed
# at the pinned version, Deployments available, the files of configs/ applied as they are now, i.e.
# `kubectl diff` finds nothing to change) and skips itself if so; a step that failed half-way is
# repaired by a re-run. Re-run after a failure, or start at a step with --from.
set -euo pipefail

case "${BASH_SOURCE[0]}" in */*) SCRIPT_DIR="${BASH_SOURCE[0]%/*}" ;; *) SCRIPT_DIR=. ;; esac
# shellcheck source=lib/platform.sh
source "$SCRIPT_DIR/lib/platform.sh"
# shellcheck source=lib/versions.sh
source "$PLATFORM_SCRIPTS_DIR/lib/versions.sh"

PORTAL_IMAGE="${PORTAL_IMAGE:-inference-portal:dev}"

# The ClusterServingRuntimes (chart kserve-runtime-configs) the sample models of configs/models select
# by modelFormat: sklearn, huggingface, pytorch. packages/manifest-validator checks this list against
# the chart's runtimes at the pinned version.
KSERVE_RUNTIMES=(kserve-sklearnserver kserve-huggingfaceserver kserve-torchserve)

STEPS=(
  prerequisites cluster gateway-api cert-manager istio knative kserve runtimes envoy-gateway ai-gateway
  gateway auth tenants models observability portal verify
)

describe_step() {
  case "$1" in
    prerequisites) echo "Check prerequisites: kind, kubectl, helm, docker, openssl, curl" ;;
    cluster) echo "Kind cluster '$KIND_CLUSTER_NAME' (node image $KIND_NODE_IMAGE)" ;;
    gateway-api) echo "Gateway API CRDs $GATEWAY_API_VERSION (experimental channel) + Gateway API Inference Extension $GATEWAY_API_INFERENCE_EXTENSION_VERSION" ;;
    cert-manager) echo "cert-manager $CERT_MANAGER_VERSION (needed by KServe)" ;;
    istio) echo "Istio $ISTIO_VERSION: charts base (CRDs) and istiod (sidecar injection, validation); mesh defaults" ;;
    knative) echo "Knative Serving $KNATIVE_SERVING_VERSION + net-istio in mesh-only mode (opt-in scale-to-zero models); settings once their webhooks answer; the activator takes requests from the gateway only" ;;
    kserve) echo "KServe $KSERVE_VERSION: charts kserve-crd and kserve-resources (default deployment mode Standard, no VirtualService per model)" ;;
    runtimes) echo "KServe serving runtimes: chart kserve-runtime-configs $KSERVE_VERSION (${KSERVE_RUNTIMES[*]}), once KServe's webhook answers" ;;
    envoy-gateway) echo "Envoy Gateway $ENVOY_GATEWAY_VERSION with Backend API, Redis rate limits, AI Gateway extension manager" ;;
    ai-gateway) echo "Envoy AI Gateway $ENVOY_AI_GATEWAY_VERSION (CRDs + controller)" ;;
    gateway) echo "Shared Gateway ai-inference-gateway: GatewayClass, EnvoyProxy, TLS certificate (generated), listeners, buffer limits" ;;
    auth) echo "Demo JWT issuer (signing key and client secrets generated now) + platform JWT SecurityPolicy" ;;
    tenants) echo "Tenant namespaces tenant-a, tenant-b, tenant-c: quotas, limits, STRICT mTLS, AuthorizationPolicies" ;;
    models) echo "Sample InferenceServices: sklearn-iris (Knative, scale to zero), huggingface-t5, pytorch-resnet, qwen-chat" ;;
    observability) echo "kube-prometheus-stack $KUBE_PROMETHEUS_STACK_VERSION with Envoy/AI Gateway/KServe scrape jobs + Grafana dashboard" ;;
    portal) echo "Portal: PostgreSQL (password generated now), ServiceAccount, least-privilege RBAC, Deployment ($PORTAL_IMAGE)" ;;
    verify) echo "Verify: every step's end state, as a table (also scripts/bootstrap.sh --verify)" ;;
    *) return 1 ;;
  esac
}

usage() {
  # printf, not cat: --help must work without any external command.
  printf '%s\n' "Usage: scripts/bootstrap.sh [--dry-run] [--verify] [--from STEP] [--only STEP] [--help]

Creates a Kind cluster and installs the Inference-in-a-Box platform into it.

  --dry-run     print every command a first run on a fresh machine runs, in order (charts with their
                versions and values files, manifests applied, waits), and exit; needs no tool, no cluster
  --verify      check every step's end state on the live cluster and print a table; exit 1 if any
                check fails (with --dry-run: list the checks)
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

print_versions() {
  local line pattern='^([A-Z_]+_VERSION)='
  echo "Versions (scripts/lib/versions.sh):"
  while IFS= read -r line; do
    if [[ "$line" =~ $pattern ]]; then printf '  %s=%s\n' "${BASH_REMATCH[1]}" "${!BASH_REMATCH[1]}"; fi
  done <"$PLATFORM_SCRIPTS_DIR/lib/versions.sh"
}

# --- steps: done_<step> returns 0 when the step's end state is there; run_<step> makes it -------

done_prerequisites() { return 1; }
run_prerequisites() {
  require_tools kind kubectl helm docker openssl curl
  $DRY_RUN || docker info >/dev/null 2>&1 || fail "docker is installed but its daemon does not answer"
}

kind_cluster_exists() { kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER_NAME"; }
done_cluster() { kind_cluster_exists; }
run_cluster() {
  kind create cluster --name "$KIND_CLUSTER_NAME" --image "$KIND_NODE_IMAGE" --wait 120s
}

gateway_api_at_version() {
  kubectl get crd gateways.gateway.networking.k8s.io -o jsonpath='{.metadata.annotations.gateway\.networking\.k8s\.io/bundle-version}' 2>/dev/null |
    grep -qx "$GATEWAY_API_VERSION"
}
done_gateway-api() {
  gateway_api_at_version && kubectl get crd inferencepools.inference.networking.k8s.io >/dev/null 2>&1
}
run_gateway-api() {
  kubectl apply --server-side --force-conflicts -f "$GATEWAY_API_MANIFEST" >/dev/null
  kubectl apply --server-side --force-conflicts -f "$GATEWAY_API_INFERENCE_EXTENSION_MANIFEST" >/dev/null
}

done_cert-manager() {
  helm_is_at cert-manager cert-manager "$CERT_MANAGER_VERSION" && deployments_available cert-manager
}
run_cert-manager() {
  helm upgrade --install cert-manager "$CERT_MANAGER_CHART" --version "$CERT_MANAGER_VERSION" \
    -n cert-manager --create-namespace --set crds.enabled=true --wait
  # Validates the Certificates and Issuers the KServe chart creates.
  wait_for_webhook cert-manager cert-manager-webhook cert-manager-webhook
}

istio_releases_at_version() {
  helm_is_at istio-system istio-base "$ISTIO_VERSION" && helm_is_at istio-system istiod "$ISTIO_VERSION"
}
done_istio() {
  istio_releases_at_version && deployment_available istio-system istiod &&
    manifests_applied "$PLATFORM_CONFIGS/istio/mesh-defaults.yaml"
}
run_istio() {
  helm repo add istio "$ISTIO_HELM_REPO" --force-update >/dev/null
  helm upgrade --install istio-base "$ISTIO_BASE_CHART" --version "$ISTIO_VERSION" -n istio-system --create-namespace --wait
  helm upgrade --install istiod "$ISTIOD_CHART" --version "$ISTIO_VERSION" -n istio-system \
    -f "$PLATFORM_CONFIGS/istio/istiod.values.yaml" --wait
  # istiod validates every Istio object (PeerAuthentication, AuthorizationPolicy, ...) and injects
  # the sidecars of every pod created from here on in labelled namespaces.
  wait_for_webhook istio-system istiod istiod
  kubectl_apply "$PLATFORM_CONFIGS/istio/mesh-defaults.yaml"
}

knative_at_version() {
  deployment_label knative-serving controller app.kubernetes.io/version "$KNATIVE_SERVING_VERSION" &&
    deployment_label knative-serving net-istio-controller app.kubernetes.io/version "$KNATIVE_SERVING_VERSION"
}
done_knative() {
  knative_at_version && deployments_available knative-serving &&
    manifests_applied "$PLATFORM_CONFIGS/kserve/knative-config.yaml" "$PLATFORM_CONFIGS/kserve/knative-activator-policy.yaml"
}
run_knative() {
  # The namespace first, labelled for sidecar injection, so the activator joins the mesh.
  kubectl_apply "$PLATFORM_CONFIGS/kserve/knative-serving-namespace.yaml"
  kubectl apply --server-side --force-conflicts -f "$KNATIVE_SERVING_CRDS_MANIFEST" >/dev/null
  kubectl apply --server-side --force-conflicts -f "$KNATIVE_SERVING_CORE_MANIFEST" >/dev/null
  kubectl apply --server-side --force-conflicts -f "$KNATIVE_NET_ISTIO_MANIFEST" >/dev/null
  # Knative's and net-istio's configuration webhooks (failurePolicy Fail) validate the ConfigMaps of
  # knative-config.yaml: apply them only once both answer (and retry once more if the API server
  # still cannot reach them).
  wait_for_webhook knative-serving webhook webhook
  wait_for_webhook knative-serving net-istio-webhook net-istio-webhook
  retry 5 kubectl_apply "$PLATFORM_CONFIGS/kserve/knative-config.yaml"
  kubectl_apply "$PLATFORM_CONFIGS/kserve/knative-activator-policy.yaml"
  wait_for_deployments knative-serving
}

kserve_releases_at_version() {
  helm_is_at kserve kserve-crd "$KSERVE_VERSION" && helm_is_at kserve kserve-resources "$KSERVE_VERSION"
}
kserve_webhook_ready() {
  deployment_available kserve kserve-controller-manager &&
    wait_for_service_endpoints kserve kserve-webhook-server-service 5s
}
done_kserve() { kserve_releases_at_version && kserve_webhook_ready; }
run_kserve() {
  helm upgrade --install kserve-crd "$KSERVE_CRD_CHART" --version "$KSERVE_VERSION" -n kserve --create-namespace --wait
  helm upgrade --install kserve-resources "$KSERVE_RESOURCES_CHART" --version "$KSERVE_VERSION" -n kserve \
    -f "$PLATFORM_CONFIGS/kserve/kserve.values.yaml" --wait
  # Validates (and defaults) InferenceServices and ClusterServingRuntimes.
  wait_for_webhook kserve kserve-controller-manager kserve-webhook-server-service
}

runtimes_enabled() {
  local runtime disabled
  for runtime in "${KSERVE_RUNTIMES[@]}"; do
    disabled="$(kubectl get clusterservingruntime "$runtime" -o jsonpath='{.spec.disabled}' 2>/dev/null)" || return 1
    [ "$disabled" != true ] || return 1
  done
}
done_runtimes() {
  helm_is_at kserve kserve-runtime-configs "$KSERVE_VERSION" && runtimes_enabled
}
run_runtimes() {
  wait_for_webhook kserve kserve-controller-manager kserve-webhook-server-service
  helm upgrade --install kserve-runtime-configs "$KSERVE_RUNTIME_CONFIGS_CHART" --version "$KSERVE_VERSION" -n kserve \
    -f "$PLATFORM_CONFIGS/kserve/kserve-runtime-configs.values.yaml" --wait
}

done_envoy-gateway() {
  helm_is_at envoy-gateway-system eg "$ENVOY_GATEWAY_VERSION" && deployment_available envoy-gateway-system envoy-gateway &&
    manifests_applied "$PLATFORM_CONFIGS/envoy-gateway/namespace.yaml" "$PLATFORM_CONFIGS/envoy-gateway/redis.yaml"
}
run_envoy-gateway() {
  kubectl_apply "$PLATFORM_CONFIGS/envoy-gateway/namespace.yaml" "$PLATFORM_CONFIGS/envoy-gateway/redis.yaml"
  # Envoy Gateway's own CRDs; the Gateway API ones were installed (pinned) in step gateway-api.
  helm template eg-crds "$ENVOY_GATEWAY_CRDS_CHART" --version "$ENVOY_GATEWAY_VERSION" \
    --set crds.gatewayAPI.enabled=false --set crds.envoyGateway.enabled=true |
    kubectl apply --server-side --force-conflicts -f - >/dev/null
  helm upgrade --install eg "$ENVOY_GATEWAY_CHART" --version "$ENVOY_GATEWAY_VERSION" -n envoy-gateway-system \
    --skip-crds -f "$PLATFORM_CONFIGS/envoy-gateway/envoy-gateway.values.yaml" --wait
  wait_for_deployment envoy-gateway-system envoy-gateway
}

ai_gateway_releases_at_version() {
  helm_is_at envoy-ai-gateway-system aieg-crd "$ENVOY_AI_GATEWAY_VERSION" &&
    helm_is_at envoy-ai-gateway-system aieg "$ENVOY_AI_GATEWAY_VERSION"
}
done_ai-gateway() {
  ai_gateway_releases_at_version && deployment_available envoy-ai-gateway-system ai-gateway-controller
}
run_ai-gateway() {
  helm upgrade --install aieg-crd "$ENVOY_AI_GATEWAY_CRDS_CHART" --version "$ENVOY_AI_GATEWAY_VERSION" \
    -n envoy-ai-gateway-system --create-namespace --wait
  # The chart's MCP session seed defaults to a public value; generate one per installation.
  helm upgrade --install aieg "$ENVOY_AI_GATEWAY_CHART" --version "$ENVOY_AI_GATEWAY_VERSION" \
    -n envoy-ai-gateway-system -f "$PLATFORM_CONFIGS/ai-gateway/ai-gateway.values.yaml" \
    --set-string "controller.mcp.sessionEncryption.seed=$(random_token 32)" --wait
  # Its pod webhook (failurePolicy Fail) adds the external processor to every Envoy pod of the
  # Gateway created in the next step.
  wait_for_webhook envoy-ai-gateway-system ai-gateway-controller ai-gateway-controller
  # Restart Envoy Gateway so it connects to the extension server that now exists.
  kubectl rollout restart deployment/envoy-gateway -n envoy-gateway-system >/dev/null
  wait_for_deployment envoy-gateway-system envoy-gateway 180s
}

gateway_programmed() {
  kubectl wait --for=condition=Programmed gateway/ai-inference-gateway -n envoy-gateway-system --timeout=5s >/dev/null 2>&1
}
GATEWAY_FILES=(access-log-collector.yaml gatewayclass.yaml envoyproxy.yaml gateway.yaml client-traffic-policy.yaml)
done_gateway() {
  local file
  secret_exists envoy-gateway-system ai-inference-gateway-tls || return 1
  gateway_programmed || return 1
  for file in "${GATEWAY_FILES[@]}"; do
    manifests_applied "$PLATFORM_CONFIGS/envoy-gateway/$file" || return 1
  done
}
create_gateway_tls_secret() {
  local dir
  dir="$(temp_dir)"
  # Self-signed for Kind; on a real cluster use cert-manager or your own certificate.
  openssl req -x509 -newkey rsa:2048 -sha256 -days 365 -nodes -keyout "$dir/tls.key" -out "$dir/tls.crt" \
    -subj "/CN=api.router.inference-in-a-box" \
    -addext "subjectAltName=DNS:api.router.inference-in-a-box,DNS:*.inference-in-a-box" 2>/dev/null
  kubectl create secret tls ai-inference-gateway-tls -n envoy-gateway-system \
    --cert="$dir/tls.crt" --key="$dir/tls.key" >/dev/null
  remove_temp_dir "$dir"
}
run_gateway() {
  secret_exists envoy-gateway-system ai-inference-gateway-tls || create_gateway_tls_secret
  kubectl_apply "$PLATFORM_CONFIGS/envoy-gateway/access-log-collector.yaml"
  kubectl_apply "$PLATFORM_CONFIGS/envoy-gateway/gatewayclass.yaml" "$PLATFORM_CONFIGS/envoy-gateway/envoyproxy.yaml"
  kubectl_apply "$PLATFORM_CONFIGS/envoy-gateway/gateway.yaml" "$PLATFORM_CONFIGS/envoy-gateway/client-traffic-policy.yaml"
  kubectl wait --for=condition=Programmed gateway/ai-inference-gateway -n envoy-gateway-system --timeout=300s >/dev/null
}

done_auth() {
  secret_exists inference-auth jwt-issuer-keys && deployment_available inference-auth jwt-issuer &&
    manifests_applied "$PLATFORM_CONFIGS/auth/namespace.yaml" "$PLATFORM_CONFIGS/auth/jwt-issuer.yaml" \
      "$PLATFORM_CONFIGS/auth/platform-jwt-policy.yaml"
}
create_jwt_issuer_keys() {
  local dir clients
  dir="$(temp_dir)"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/private.pem" 2>/dev/null
  clients="$(printf '{"tenant-a":"%s","tenant-b":"%s","tenant-c":"%s"}' \
    "$(random_token 32)" "$(random_token 32)" "$(random_token 32)")"
  kubectl create secret generic jwt-issuer-keys -n inference-auth --from-file="$dir/private.pem" \
    --from-literal=kid="$(random_token 8)" --from-literal=clients.json="$clients" >/dev/null
  remove_temp_dir "$dir"
}
run_auth() {
  kubectl_apply "$PLATFORM_CONFIGS/auth/namespace.yaml"
  secret_exists inference-auth jwt-issuer-keys || create_jwt_issuer_keys
  kubectl_apply "$PLATFORM_CONFIGS/auth/jwt-issuer.yaml" "$PLATFORM_CONFIGS/auth/platform-jwt-policy.yaml"
  wait_for_deployments inference-auth
}

done_tenants() { manifests_applied "$PLATFORM_CONFIGS/tenants"; }
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
  helm upgrade --install kube-prometheus-stack "$KUBE_PROMETHEUS_STACK_CHART" \
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
run_verify() { verify_all; }

# --- verify: every step's end state on the live cluster, one row per check -----------------------

VERIFY_FAILED=0
# check STEP DESCRIPTION COMMAND...: runs COMMAND (output discarded) and prints one row.
check() {
  local step="$1" what="$2" result
  shift 2
  if $DRY_RUN; then
    result="-"
  elif "$@" >/dev/null 2>&1; then
    result=ok
  else
    result=FAIL
    VERIFY_FAILED=$((VERIFY_FAILED + 1))
  fi
  printf '%-14s %-6s %s\n' "$step" "$result" "$what"
}

# Every principal of configs/tenants' AuthorizationPolicies names an existing ServiceAccount (a
# trailing * matches a name prefix, as in Istio).
tenant_principals_exist() {
  local principal namespace account names
  while read -r principal; do
    namespace="${principal#cluster.local/ns/}" && namespace="${namespace%%/*}"
    account="${principal##*/sa/}"
    names="$(kubectl get serviceaccounts -n "$namespace" -o name)" || return 1
    case "$account" in
      *'*') grep -q "^serviceaccount/${account%'*'}" <<<"$names" || return 1 ;;
      *) grep -qx "serviceaccount/$account" <<<"$names" || return 1 ;;
    esac
  done < <(grep -ho 'cluster\.local/ns/[^ ]*' "$PLATFORM_CONFIGS"/tenants/*.yaml | sort -u)
}

# No Istio VirtualService is owned by an InferenceService (kserve.values.yaml, disableIstioVirtualHost).
no_kserve_virtual_services() {
  local owned
  owned="$(kubectl get virtualservices.networking.istio.io -A \
    -o jsonpath='{range .items[?(@.metadata.ownerReferences[0].kind=="InferenceService")]}{.metadata.name}{"\n"}{end}')" &&
    [ -z "$owned" ]
}

kserve_virtual_host_disabled() {
  kubectl get configmap inferenceservice-config -n kserve -o jsonpath='{.data.ingress}' |
    grep -q '"disableIstioVirtualHost": *true'
}

verify_prerequisites() {
  local tool
  for tool in kind kubectl helm docker openssl curl; do
    check prerequisites "$tool is installed" command -v "$tool"
  done
  check prerequisites "the Docker daemon answers" docker info
}
verify_cluster() {
  check cluster "Kind cluster $KIND_CLUSTER_NAME exists" kind_cluster_exists
  check cluster "kubectl reaches it and every node is Ready" \
    kubectl wait --for=condition=Ready node --all --timeout=10s
}
verify_gateway-api() {
  check gateway-api "Gateway API CRDs at $GATEWAY_API_VERSION" gateway_api_at_version
  check gateway-api "InferencePool CRD (Inference Extension $GATEWAY_API_INFERENCE_EXTENSION_VERSION)" \
    kubectl get crd inferencepools.inference.networking.k8s.io
}
verify_cert-manager() {
  check cert-manager "release cert-manager at $CERT_MANAGER_VERSION" helm_is_at cert-manager cert-manager "$CERT_MANAGER_VERSION"
  check cert-manager "every Deployment in cert-manager available (webhook included)" deployments_available cert-manager
}
verify_istio() {
  check istio "releases istio-base and istiod at $ISTIO_VERSION" istio_releases_at_version
  check istio "istiod available" deployment_available istio-system istiod
  check istio "configs/istio/mesh-defaults.yaml applied as it is" manifests_applied "$PLATFORM_CONFIGS/istio/mesh-defaults.yaml"
}
verify_knative() {
  check knative "Knative Serving and net-istio at $KNATIVE_SERVING_VERSION" knative_at_version
  check knative "every Deployment in knative-serving available" deployments_available knative-serving
  check knative "configs/kserve/knative-config.yaml applied as it is (scale to zero, cluster-local domain, mesh-only)" \
    manifests_applied "$PLATFORM_CONFIGS/kserve/knative-config.yaml"
  check knative "activator runs as knative-serving/sa/activator (admitted by configs/tenants)" \
    deployment_service_account knative-serving activator activator
  check knative "configs/kserve/knative-activator-policy.yaml applied (activator: gateway callers only)" \
    manifests_applied "$PLATFORM_CONFIGS/kserve/knative-activator-policy.yaml"
}
verify_kserve() {
  check kserve "releases kserve-crd and kserve-resources at $KSERVE_VERSION" kserve_releases_at_version
  check kserve "kserve-controller-manager available, its webhook Service has a ready endpoint" kserve_webhook_ready
  check kserve "inferenceservice-config: disableIstioVirtualHost true" kserve_virtual_host_disabled
}
verify_runtimes() {
  check runtimes "release kserve-runtime-configs at $KSERVE_VERSION" helm_is_at kserve kserve-runtime-configs "$KSERVE_VERSION"
  check runtimes "ClusterServingRuntimes ${KSERVE_RUNTIMES[*]} installed and enabled" runtimes_enabled
}
verify_envoy-gateway() {
  check envoy-gateway "release eg at $ENVOY_GATEWAY_VERSION" helm_is_at envoy-gateway-system eg "$ENVOY_GATEWAY_VERSION"
  check envoy-gateway "envoy-gateway available" deployment_available envoy-gateway-system envoy-gateway
  check envoy-gateway "redis (rate-limit counters) available" deployment_available envoy-gateway-system redis
  check envoy-gateway "configs/envoy-gateway/namespace.yaml and redis.yaml applied as they are" \
    manifests_applied "$PLATFORM_CONFIGS/envoy-gateway/namespace.yaml" "$PLATFORM_CONFIGS/envoy-gateway/redis.yaml"
}
verify_ai-gateway() {
  check ai-gateway "releases aieg-crd and aieg at $ENVOY_AI_GATEWAY_VERSION" ai_gateway_releases_at_version
  check ai-gateway "ai-gateway-controller available" deployment_available envoy-ai-gateway-system ai-gateway-controller
}
verify_gateway() {
  local file
  check gateway "TLS Secret ai-inference-gateway-tls exists" secret_exists envoy-gateway-system ai-inference-gateway-tls
  for file in "${GATEWAY_FILES[@]}"; do
    check gateway "configs/envoy-gateway/$file applied as it is" manifests_applied "$PLATFORM_CONFIGS/envoy-gateway/$file"
  done
  check gateway "Gateway ai-inference-gateway Programmed" gateway_programmed
}
verify_auth() {
  check auth "Secret jwt-issuer-keys exists" secret_exists inference-auth jwt-issuer-keys
  check auth "jwt-issuer available" deployment_available inference-auth jwt-issuer
  check auth "configs/auth applied as it is" manifests_applied "$PLATFORM_CONFIGS/auth"
}
verify_tenants() {
  check tenants "configs/tenants applied as it is" manifests_applied "$PLATFORM_CONFIGS/tenants"
  check tenants "every principal of the tenants' AuthorizationPolicies is an existing ServiceAccount" tenant_principals_exist
}
verify_models() {
  local file
  for file in "$PLATFORM_CONFIGS"/models/*.yaml; do
    check models "InferenceService of configs/models/${file##*/} Ready" \
      kubectl wait --for=condition=Ready -f "$file" --timeout=10s
  done
  check models "no Istio VirtualService owned by an InferenceService" no_kserve_virtual_services
}
verify_observability() {
  check observability "release kube-prometheus-stack at $KUBE_PROMETHEUS_STACK_VERSION" \
    helm_is_at monitoring kube-prometheus-stack "$KUBE_PROMETHEUS_STACK_VERSION"
  check observability "every Deployment in monitoring available" deployments_available monitoring
}
verify_portal() {
  check portal "every Deployment in inference-portal available" deployments_available inference-portal
}
verify_verify() { :; }

verify_all() {
  local step
  VERIFY_FAILED=0
  printf '%-14s %-6s %s\n' STEP RESULT CHECK
  for step in "${STEPS[@]}"; do
    "verify_$step"
  done
  if $DRY_RUN; then
    echo "(dry run: the checks are listed, not run)"
  elif [ "$VERIFY_FAILED" -gt 0 ]; then
    echo "$VERIFY_FAILED check(s) failed"
    return 1
  else
    echo "all checks passed"
  fi
}

# --- driver -----------------------------------------------------------------------------------

# run_step STEP: runs run_STEP in a subshell with errexit in force, so that it stops at its first
# failed command (a function called from `if`, `&&` or `||` runs with errexit off and carries on).
# Must itself be called as a plain command.
run_step() {
  local status
  set +e
  (
    set -e
    "run_$1"
  )
  status=$?
  set -e
  [ "$status" -eq 0 ] || fail "step $1 failed; fix the cause and re-run (it resumes where it stopped)"
}

main() {
  local dry_run=false verify=false from="" only=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --help | -h) usage; return 0 ;;
      --dry-run) dry_run=true ;;
      --verify) verify=true ;;
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
    enable_dry_run
    if ! $verify; then
      echo "Dry run: the commands a first run on a fresh machine runs, in order; nothing is changed."
      print_versions
      print_plan
    fi
  fi
  if $verify; then
    verify_all
    return
  fi

  local i=0 total=${#STEPS[@]} started=false
  [ -n "$from" ] || started=true
  for step in "${STEPS[@]}"; do
    i=$((i + 1))
    [ "$step" = "$from" ] && started=true
    $started || continue
    if [ -n "$only" ] && [ "$step" != "$only" ]; then continue; fi
    info "[$i/$total] $step: $(describe_step "$step")"
    if ! $DRY_RUN && "done_$step"; then
      ok "already done"
      continue
    fi
    run_step "$step"
    $DRY_RUN || ok "$step"
  done
  $DRY_RUN || info "Platform ready. Demos: scripts/demos/*.sh --help; docs: docs/platform.md"
}

main "$@"
