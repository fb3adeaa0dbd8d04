#!/usr/bin/env bash
# Downloads the CRD schemas that the offline manifest validation and the Kubernetes sandbox use,
# from the upstream release tags pinned in scripts/lib/versions.sh, and checks each file's sha256.
# For machines that do not have the shared CRD folder; point INFERENCE_CRDS_DIR at the result.
#
#   scripts/fetch-crds.sh DIR
set -euo pipefail

usage() {
  printf '%s\n' "Usage: scripts/fetch-crds.sh DIR

Downloads the pinned upstream CRD files (raw.githubusercontent.com) into DIR, verifies their
sha256 checksums, and fails without leaving a partial file behind on any mismatch.
Then: export INFERENCE_CRDS_DIR=DIR"
}

# destination  repository  tag  path-in-repository  sha256
CRD_SOURCES="
  kserve/serving.kserve.io_clusterservingruntimes.yaml kserve/kserve v0.20.0 config/crd/full/serving.kserve.io_clusterservingruntimes.yaml c6f6bbb1b4b11afd1e38bd6d7255a8795b86efa2b7d14946ccff9d23592e6846
  kserve/serving.kserve.io_clusterstoragecontainers.yaml kserve/kserve v0.20.0 config/crd/full/clusterstoragecontainer/serving.kserve.io_clusterstoragecontainers.yaml 47ec2b6caeeb0c210d8be3138ed7d391f74043e3ed779177d36ceb4aa2a5d288
  kserve/serving.kserve.io_inferencegraphs.yaml kserve/kserve v0.20.0 config/crd/full/serving.kserve.io_inferencegraphs.yaml b2e246d7a055937ea56de13850d0f4f993f1825b078a4c901944b99bba1800ca
  kserve/serving.kserve.io_inferenceservices.yaml kserve/kserve v0.20.0 config/crd/full/serving.kserve.io_inferenceservices.yaml 57c3bf13f77de94678bf2ae3748056ec071ad2b9e88d6a28f44fb4710758fcff
  kserve/serving.kserve.io_llminferenceserviceconfigs.yaml kserve/kserve v0.20.0 config/crd/full/llmisvc/serving.kserve.io_llminferenceserviceconfigs.yaml b25e19597ef22638deee22111c097d42ad62da58c25f1ef4a529f4cef1c93c2a
  kserve/serving.kserve.io_llminferenceservices.yaml kserve/kserve v0.20.0 config/crd/full/llmisvc/serving.kserve.io_llminferenceservices.yaml 4377745d253c5c6407ccd46aecdfadcea160ba77a0976dd2d112f0ca9a1ac53f
  kserve/serving.kserve.io_servingruntimes.yaml kserve/kserve v0.20.0 config/crd/full/serving.kserve.io_servingruntimes.yaml 380a3e1e1444cef9b8b88819596692728868205a2147dc66423be469a4a7bbb1
  kserve/serving.kserve.io_trainedmodels.yaml kserve/kserve v0.20.0 config/crd/full/serving.kserve.io_trainedmodels.yaml 8ca09aaab46af84b1e697a3b84c6b5482bb7c006a5a6ba764343999682c300e7
  envoy-ai-gateway/aigateway.envoyproxy.io_aigatewayroutes.yaml envoyproxy/ai-gateway v1.1.0 manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_aigatewayroutes.yaml c6ca0a06b214d93f1c7eefe8f9735fa551f23948088e0bf3c317b792ad68f162
  envoy-ai-gateway/aigateway.envoyproxy.io_aiservicebackends.yaml envoyproxy/ai-gateway v1.1.0 manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_aiservicebackends.yaml 35f6323a486a6f447be41fe1de4327f6e6e7254a0ca61d33186cb03fe11888f6
  envoy-ai-gateway/aigateway.envoyproxy.io_backendsecuritypolicies.yaml envoyproxy/ai-gateway v1.1.0 manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_backendsecuritypolicies.yaml b2a2cfef49fd3253c70339231eef1745562515488022dcedc0c732df1c96c8f3
  envoy-ai-gateway/aigateway.envoyproxy.io_gatewayconfigs.yaml envoyproxy/ai-gateway v1.1.0 manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_gatewayconfigs.yaml 3e409ab57d85ee6c42b993ed869c7db28fde4b0e952c35c84a1240df09f21c1e
  envoy-ai-gateway/aigateway.envoyproxy.io_mcproutes.yaml envoyproxy/ai-gateway v1.1.0 manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_mcproutes.yaml dd0a32cf5c7028eead8db0099ce2a959c72209dcc8043a14466d8290cf8e1a84
  envoy-ai-gateway/aigateway.envoyproxy.io_quotapolicies.yaml envoyproxy/ai-gateway v1.1.0 manifests/charts/ai-gateway-crds-helm/templates/aigateway.envoyproxy.io_quotapolicies.yaml 0e8b899c520e6ff5b224b7e4e6064f959e8256e6949817615cde8cf37269eb85
  envoy-gateway/gateway.envoyproxy.io_backends.yaml envoyproxy/gateway v1.9.0 charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_backends.yaml bb1901aea758d05458b853b07db04a96a1ea4346b177e392e5ce7398573805be
  envoy-gateway/gateway.envoyproxy.io_backendtrafficpolicies.yaml envoyproxy/gateway v1.9.0 charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_backendtrafficpolicies.yaml cd75a4c222df5487aa9ca8957b48bcc3255eb25de02ed9153faf620bc160f786
  envoy-gateway/gateway.envoyproxy.io_clienttrafficpolicies.yaml envoyproxy/gateway v1.9.0 charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_clienttrafficpolicies.yaml 2c7eaa1ce30de626e9c362b8d9002281c2f435f970020fa81902ad7f30b38d5b
  envoy-gateway/gateway.envoyproxy.io_envoyextensionpolicies.yaml envoyproxy/gateway v1.9.0 charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_envoyextensionpolicies.yaml 92f4dfdd67be4b242511381d6175f517782e655233fdf5b5e28a400ea5601f79
  envoy-gateway/gateway.envoyproxy.io_httproutefilters.yaml envoyproxy/gateway v1.9.0 charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_httproutefilters.yaml ad46193dbec0a28cc97fa93a64bcd1f464858544d884eeac5e4d767526dcfd3d
  envoy-gateway/gateway.envoyproxy.io_securitypolicies.yaml envoyproxy/gateway v1.9.0 charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_securitypolicies.yaml 6412914ec5b7c48f58b85f60a80767ba15a50c8d374480cf5f2d872e4a764466
  envoy-gateway/v1.8.3/gateway.envoyproxy.io_backends.yaml envoyproxy/gateway v1.8.3 charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_backends.yaml 456cbad5d7efd20e4e1bcbe00caea177f711b66c28e96dd75f8507c53ab3eea6
  envoy-gateway/v1.8.3/gateway.envoyproxy.io_backendtrafficpolicies.yaml envoyproxy/gateway v1.8.3 charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_backendtrafficpolicies.yaml 3b285efcb7d8f9c292f386528d83a61bd719d992a67f9c48a848353f10655e66
  envoy-gateway/v1.8.3/gateway.envoyproxy.io_envoyextensionpolicies.yaml envoyproxy/gateway v1.8.3 charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_envoyextensionpolicies.yaml 8370ddaf25e0cdcf248aba4672c3aaad071322bc55d0f543a4f0c6dd7a6e5254
  envoy-gateway/v1.8.3/gateway.envoyproxy.io_securitypolicies.yaml envoyproxy/gateway v1.8.3 charts/gateway-helm/charts/crds/crds/generated/gateway.envoyproxy.io_securitypolicies.yaml f156487aeb871a5f946d10153de0676b1e69a2b42be7a1259e2619a75adc4951
  gateway-api/standard/gateway.networking.k8s.io_backendtlspolicies.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/standard/gateway.networking.k8s.io_backendtlspolicies.yaml 0d48c9e4b53dd9510cf615b9b1192d9d7afb07a1cc0498c9515627cb1c075419
  gateway-api/standard/gateway.networking.k8s.io_gatewayclasses.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/standard/gateway.networking.k8s.io_gatewayclasses.yaml 53710048ba26f8620eed59d5e51b157ecf040daf5c6eef31a4b991e0808c4be5
  gateway-api/standard/gateway.networking.k8s.io_gateways.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/standard/gateway.networking.k8s.io_gateways.yaml 25b885f5870b8fff1ae82efa2628b2761cef3745900c2aecf8fb76629a01255a
  gateway-api/standard/gateway.networking.k8s.io_grpcroutes.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/standard/gateway.networking.k8s.io_grpcroutes.yaml 53a8d029da8f07e55d3fa58a5cf6de5950dab19fbb8d6a8082fb5e51ca5ef6fc
  gateway-api/standard/gateway.networking.k8s.io_httproutes.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/standard/gateway.networking.k8s.io_httproutes.yaml a424a0d6c953b162e71d1d97bb7e75012d8f1ac264e7274f2763d1b96ab39852
  gateway-api/standard/gateway.networking.k8s.io_listenersets.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/standard/gateway.networking.k8s.io_listenersets.yaml bf4d4b02564999b2558b96e31465129895db9b3a8adfb90adb9c80eac52a3a70
  gateway-api/standard/gateway.networking.k8s.io_referencegrants.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/standard/gateway.networking.k8s.io_referencegrants.yaml 8c645e9333cfa67790cc2a53e0c00076f88b2bd4230d2b49688c78bc34f9b2c3
  gateway-api/standard/gateway.networking.k8s.io_tcproutes.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/standard/gateway.networking.k8s.io_tcproutes.yaml d5104d0cf30e924f5e3c9e2e76abd46876401c34ca33b9e79321523eee78c7f6
  gateway-api/standard/gateway.networking.k8s.io_tlsroutes.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/standard/gateway.networking.k8s.io_tlsroutes.yaml bb8b67926e5d9652cbfd2e19063b7c1d9e78806c9dd671608f57baef2f2e3bbb
  gateway-api/standard/gateway.networking.k8s.io_udproutes.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/standard/gateway.networking.k8s.io_udproutes.yaml 4b80684c2bf8ef4b0a2a3ab45164ac9f96258fc69912645ff50ced595b0aa6de
  gateway-api/experimental/gateway.networking.k8s.io_gatewayclasses.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/experimental/gateway.networking.k8s.io_gatewayclasses.yaml ff653735d0477f97fb3cb2a21245f55ac6996dfe4f39969150f6989d0f1da826
  gateway-api/experimental/gateway.networking.k8s.io_gateways.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/experimental/gateway.networking.k8s.io_gateways.yaml 97092d53c4f61a9d1754f608ad1dc85566e197facb35d629132ff08954bd4422
  gateway-api/experimental/gateway.networking.k8s.io_httproutes.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/experimental/gateway.networking.k8s.io_httproutes.yaml a3615d380381a768edbca2cfec067c037afa82e86bc9b1e29a0b84c8a28d76b3
  gateway-api/experimental/gateway.networking.k8s.io_referencegrants.yaml kubernetes-sigs/gateway-api v1.6.1 config/crd/experimental/gateway.networking.k8s.io_referencegrants.yaml e1d9a270f94895640db547421dfa708db2ae935a1a8c033a6cf6481274f5029e
  gateway-api-inference-extension/inference.networking.k8s.io_inferencepools.yaml kubernetes-sigs/gateway-api-inference-extension v1.6.0 config/crd/bases/inference.networking.k8s.io_inferencepools.yaml 55e0dbf39c50c4bbdd60106493a4573df4bb44479f9ce46762f1af718883e5cd
  istio/crd-all.gen.yaml istio/istio 1.30.3 manifests/charts/base/files/crd-all.gen.yaml dcb43ff6b9af2f629b80b6a82597f5a91db259c757e66cc5353ac007da28351a
  knative-serving/configuration.yaml knative/serving knative-v1.23.0 config/core/300-resources/configuration.yaml 8ea24d5175e596cedc6df222759f86f1981b768ce9bc031a7af79a78f97195f5
  knative-serving/revision.yaml knative/serving knative-v1.23.0 config/core/300-resources/revision.yaml 5072995ed77223ae5c4b8e47a418c77e51a123c01643d2a0e91d164b5918febc
  knative-serving/route.yaml knative/serving knative-v1.23.0 config/core/300-resources/route.yaml 782a5a6f2a69c9e33b6be8fb7b6ba0acad1283365fa63eb64512a78a716219a7
  knative-serving/service.yaml knative/serving knative-v1.23.0 config/core/300-resources/service.yaml 2df2faa748f4d8e9470a2a5e9f208d7310aa89fc8cad1f2b1b9941fefe3def33
"

main() {
  case "${1:-}" in
    --help | -h) usage; return 0 ;;
    '' | -*) usage >&2; return 2 ;;
  esac
  local target="$1" failures=0 dest repo tag path sha tmp
  for tool in curl sha256sum; do
    command -v "$tool" >/dev/null || { echo "error: $tool is required" >&2; return 1; }
  done
  while read -r dest repo tag path sha; do
    [ -n "$dest" ] || continue
    mkdir -p "$target/${dest%/*}"
    tmp="$target/$dest.part"
    if ! curl -fsSL --retry 3 -o "$tmp" "https://raw.githubusercontent.com/$repo/$tag/$path"; then
      echo "FAIL $dest: download failed ($repo@$tag:$path)" >&2
      rm -f "$tmp"; failures=$((failures + 1)); continue
    fi
    if [ "$(sha256sum "$tmp" | cut -d' ' -f1)" != "$sha" ]; then
      echo "FAIL $dest: sha256 mismatch ($repo@$tag:$path)" >&2
      rm -f "$tmp"; failures=$((failures + 1)); continue
    fi
    mv "$tmp" "$target/$dest"
    echo "ok   $dest ($repo@$tag)"
  done <<<"$CRD_SOURCES"
  [ "$failures" -eq 0 ] || { echo "$failures file(s) failed" >&2; return 1; }
  echo "All CRD files in $target. export INFERENCE_CRDS_DIR=$target"
}

main "$@"
