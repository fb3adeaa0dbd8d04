import { parseAllDocuments } from 'yaml';

/**
 * Objects in the shapes the portal writes (KServe v0.20, Envoy AI Gateway
 * v1.1, Envoy Gateway v1.9, Istio 1.30; see docs/architecture.md, "Objects a
 * publication writes"), used by the validation, conformance and client tests.
 */
export const SAMPLE_MANIFESTS = `
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama31-8b
  namespace: models
  labels: { app: demo, tier: llm }
  annotations:
    serving.kserve.io/deploymentMode: Standard
spec:
  predictor:
    model:
      modelFormat: { name: huggingface }
      storageUri: hf://meta-llama/Llama-3.1-8B-Instruct
      args: ["--model_name=llama31-8b"]
      resources: { limits: { nvidia.com/gpu: "1" } }
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: Backend
metadata: { name: llama31-8b, namespace: models }
spec:
  endpoints:
    - fqdn: { hostname: llama31-8b-predictor.models.svc.cluster.local, port: 80 }
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIServiceBackend
metadata: { name: llama31-8b, namespace: models }
spec:
  schema:
    name: OpenAI
    prefix: /openai/v1
  backendRef: { name: llama31-8b, kind: Backend, group: gateway.envoyproxy.io }
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: AIGatewayRoute
metadata: { name: models, namespace: models, labels: { app: demo } }
spec:
  parentRefs:
    - { name: ai-gateway, kind: Gateway, group: gateway.networking.k8s.io }
  rules:
    - name: llama31-8b
      matches:
        - headers:
            - { type: Exact, name: x-ai-eg-model, value: llama31-8b }
      backendRefs:
        - name: llama31-8b
      timeouts: { request: 60s }
  llmRequestCosts:
    - { metadataKey: llm_input_token,  type: InputToken }
    - { metadataKey: llm_output_token, type: OutputToken }
    - { metadataKey: llm_total_token,  type: TotalToken }
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: { name: models-token-limits, namespace: models }
spec:
  targetRefs:
    - { group: gateway.networking.k8s.io, kind: HTTPRoute, name: models }
  rateLimit:
    type: Global
    global:
      rules:
        - clientSelectors:
            - headers:
                - { name: x-tenant-id, type: Distinct }
                - { name: x-ai-eg-model, type: Exact, value: llama31-8b }
          limit: { requests: 100000, unit: Hour }
          cost:
            request:  { from: Number, number: 0 }
            response: { from: Metadata, metadata: { namespace: io.envoy.ai_gateway, key: llm_total_token } }
---
apiVersion: v1
kind: Secret
type: Opaque
metadata: { name: models-api-keys, namespace: models }
stringData:
  team-a: "sk-team-a-0123"
  team-b: "sk-team-b-4567"
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata: { name: models-apikey, namespace: models, labels: { app: demo } }
spec:
  targetRefs:
    - { group: gateway.networking.k8s.io, kind: HTTPRoute, name: models }
  apiKeyAuth:
    credentialRefs:
      - { group: "", kind: Secret, name: models-api-keys }
    extractFrom:
      - headers: [x-api-key]
    forwardClientIDHeader: x-tenant-id
    sanitize: true
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: SecurityPolicy
metadata: { name: models-jwt, namespace: models }
spec:
  targetRefs:
    - { group: gateway.networking.k8s.io, kind: HTTPRoute, name: models }
  jwt:
    providers:
      - name: backstage-idp
        issuer: https://idp.example.com/realms/main
        audiences: [ai-gateway]
        remoteJWKS:
          uri: https://idp.example.com/realms/main/protocol/openid-connect/certs
          cacheDuration: 300s
        claimToHeaders:
          - { claim: sub, header: x-tenant-id }
  authorization:
    defaultAction: Deny
    rules:
      - name: allow-model-users
        action: Allow
        principal:
          jwt:
            provider: backstage-idp
            scopes: ["models:invoke"]
            claims: [{ name: groups, valueType: StringArray, values: ["ml-users"] }]
---
apiVersion: aigateway.envoyproxy.io/v1beta1
kind: BackendSecurityPolicy
metadata: { name: upstream-key, namespace: models }
spec:
  type: APIKey
  apiKey:
    secretRef: { name: models-api-keys }
  targetRefs:
    - { group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: llama31-8b }
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: { name: default, namespace: models }
spec: { mtls: { mode: STRICT } }
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: predictor-from-gateway, namespace: models }
spec:
  selector: { matchLabels: { serving.kserve.io/inferenceservice: llama31-8b } }
  action: ALLOW
  rules:
    - from: [{ source: { principals: ["cluster.local/ns/envoy-gateway-system/sa/envoy-default"] } }]
`;

export type SampleObject = {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; [key: string]: unknown };
  spec?: any;
  [key: string]: unknown;
};

/** Fresh copies of the sample objects (callers may mutate them). */
export function sampleObjects(): SampleObject[] {
  return parseAllDocuments(SAMPLE_MANIFESTS).map(doc => doc.toJS());
}

export function sample(kind: string, name?: string): SampleObject {
  const found = sampleObjects().find(
    o => o.kind === kind && (name === undefined || o.metadata.name === name),
  );
  if (!found) throw new Error(`no sample ${kind} ${name ?? ''}`);
  return found;
}

/** A fresh sample InferenceService named `name` in namespace `models`, with only the given labels. */
export function isvc(
  name: string,
  labels: Record<string, string> = {},
): SampleObject {
  const object = sample('InferenceService');
  object.metadata = { name, namespace: 'models', labels };
  return object;
}
