# shellcheck shell=bash
# shellcheck disable=SC2034  # sourced: the variables are used by bootstrap.sh and fetch-crds.sh
# Every version the platform installs, in one place. The CRD schemas vendored in
# packages/kube-sandbox/crds are taken from the same tags (scripts/fetch-crds.sh --check verifies it),
# so the offline manifest validation checks configs/ against exactly what the bootstrap installs.

KIND_CLUSTER_NAME="${KIND_CLUSTER_NAME:-inference-in-a-box}"
KIND_NODE_IMAGE="kindest/node:v1.34.0"

GATEWAY_API_VERSION="v1.6.1"                 # experimental channel, as bundled by Envoy Gateway v1.9.0
GATEWAY_API_INFERENCE_EXTENSION_VERSION="v1.6.0"
CERT_MANAGER_VERSION="v1.19.1"               # required by KServe (webhook certificates)
ISTIO_VERSION="1.30.3"
KNATIVE_SERVING_VERSION="1.23.0"             # release tag knative-v1.23.0; also net-istio
KSERVE_VERSION="v0.20.0"
ENVOY_GATEWAY_VERSION="v1.9.0"
ENVOY_AI_GATEWAY_VERSION="v1.1.0"
KUBE_PROMETHEUS_STACK_VERSION="77.0.0"

# Where the charts and release manifests come from (pinned by the versions above).
ISTIO_HELM_REPO="https://istio-release.storage.googleapis.com/charts"
PROMETHEUS_HELM_REPO="https://prometheus-community.github.io/helm-charts"
CERT_MANAGER_CHART="oci://quay.io/jetstack/charts/cert-manager"
KSERVE_CRD_CHART="oci://ghcr.io/kserve/charts/kserve-crd"
KSERVE_CHART="oci://ghcr.io/kserve/charts/kserve"
ENVOY_GATEWAY_CRDS_CHART="oci://docker.io/envoyproxy/gateway-crds-helm"
ENVOY_GATEWAY_CHART="oci://docker.io/envoyproxy/gateway-helm"
ENVOY_AI_GATEWAY_CRDS_CHART="oci://docker.io/envoyproxy/ai-gateway-crds-helm"
ENVOY_AI_GATEWAY_CHART="oci://docker.io/envoyproxy/ai-gateway-helm"
GATEWAY_API_MANIFEST="https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/experimental-install.yaml"
GATEWAY_API_INFERENCE_EXTENSION_MANIFEST="https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/${GATEWAY_API_INFERENCE_EXTENSION_VERSION}/manifests.yaml"
KNATIVE_SERVING_CRDS_MANIFEST="https://github.com/knative/serving/releases/download/knative-v${KNATIVE_SERVING_VERSION}/serving-crds.yaml"
KNATIVE_SERVING_CORE_MANIFEST="https://github.com/knative/serving/releases/download/knative-v${KNATIVE_SERVING_VERSION}/serving-core.yaml"
KNATIVE_NET_ISTIO_MANIFEST="https://github.com/knative/net-istio/releases/download/knative-v${KNATIVE_SERVING_VERSION}/net-istio.yaml"
