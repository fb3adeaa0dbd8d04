# shellcheck shell=bash
# shellcheck disable=SC2034  # sourced: the variables are used by bootstrap.sh and fetch-crds.sh
# Every version the platform installs, in one place. The CRD schemas vendored in
# packages/kube-sandbox/crds and the charts' own values.yaml/Chart.yaml vendored in
# packages/manifest-validator/charts are taken from the same tags (scripts/fetch-crds.sh --check
# verifies it), so the offline checks hold configs/ and scripts/bootstrap.sh against exactly what the
# bootstrap installs.

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
# Subcharts of kube-prometheus-stack, at the versions its Chart.yaml `dependencies` pin (not installed
# separately; their values.yaml are vendored so that values under grafana: etc. are checked too).
KPS_GRAFANA_VERSION="9.3.4"
KPS_KUBE_STATE_METRICS_VERSION="6.1.4"
KPS_NODE_EXPORTER_VERSION="4.47.3"

# Where the charts and release manifests come from (pinned by the versions above).
ISTIO_HELM_REPO="https://istio-release.storage.googleapis.com/charts"
ISTIO_BASE_CHART="istio/base"                # from the "istio" repository added as ISTIO_HELM_REPO
ISTIOD_CHART="istio/istiod"
PROMETHEUS_HELM_REPO="https://prometheus-community.github.io/helm-charts"
KUBE_PROMETHEUS_STACK_CHART="prometheus-community/kube-prometheus-stack"
CERT_MANAGER_CHART="oci://quay.io/jetstack/charts/cert-manager"
# Since KServe v0.17 the controller chart is kserve-resources and the ClusterServingRuntimes are the
# separate chart kserve-runtime-configs (kserve hack/setup/infra/manage.kserve-helm.sh at the pinned tag).
KSERVE_CRD_CHART="oci://ghcr.io/kserve/charts/kserve-crd"
KSERVE_RESOURCES_CHART="oci://ghcr.io/kserve/charts/kserve-resources"
KSERVE_RUNTIME_CONFIGS_CHART="oci://ghcr.io/kserve/charts/kserve-runtime-configs"
ENVOY_GATEWAY_CRDS_CHART="oci://docker.io/envoyproxy/gateway-crds-helm"
ENVOY_GATEWAY_CHART="oci://docker.io/envoyproxy/gateway-helm"
ENVOY_AI_GATEWAY_CRDS_CHART="oci://docker.io/envoyproxy/ai-gateway-crds-helm"
ENVOY_AI_GATEWAY_CHART="oci://docker.io/envoyproxy/ai-gateway-helm"
GATEWAY_API_MANIFEST="https://github.com/kubernetes-sigs/gateway-api/releases/download/${GATEWAY_API_VERSION}/experimental-install.yaml"
GATEWAY_API_INFERENCE_EXTENSION_MANIFEST="https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/${GATEWAY_API_INFERENCE_EXTENSION_VERSION}/manifests.yaml"
KNATIVE_SERVING_CRDS_MANIFEST="https://github.com/knative/serving/releases/download/knative-v${KNATIVE_SERVING_VERSION}/serving-crds.yaml"
KNATIVE_SERVING_CORE_MANIFEST="https://github.com/knative/serving/releases/download/knative-v${KNATIVE_SERVING_VERSION}/serving-core.yaml"
KNATIVE_NET_ISTIO_MANIFEST="https://github.com/knative/net-istio/releases/download/knative-v${KNATIVE_SERVING_VERSION}/net-istio.yaml"
