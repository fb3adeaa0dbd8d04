import {
  INT_OR_STRING,
  LABEL_SELECTOR,
  OBJECT_META,
  QUANTITY,
  TIME,
} from './apimachineryMessages';
import {
  bool,
  int32,
  int64,
  map,
  MessageDescriptor,
  msg,
  msgs,
  str,
  strings,
} from './descriptors';

/**
 * Messages of k8s.io/api v0.32.4 (core/v1/generated.proto and
 * apps/v1/generated.proto) for the objects kubectl's typed generators send
 * as protobuf: `kubectl create namespace|secret|configmap|serviceaccount|
 * service|quota|deployment`. Only the fields those generators (and common
 * hand-written clients) set are described; a described message that
 * carries any other field with a non-empty value is refused with 415 by
 * decodeMessage.ts rather than losing data.
 */

const CORE = 'k8s.io.api.core.v1';
const APPS = 'k8s.io.api.apps.v1';

export const NAMESPACE = `${CORE}.Namespace`;
export const SECRET = `${CORE}.Secret`;
export const CONFIG_MAP = `${CORE}.ConfigMap`;
export const SERVICE_ACCOUNT = `${CORE}.ServiceAccount`;
export const SERVICE = `${CORE}.Service`;
export const RESOURCE_QUOTA = `${CORE}.ResourceQuota`;
export const DEPLOYMENT = `${APPS}.Deployment`;

const metadata = msg('metadata', OBJECT_META);

/** A top-level kind: ObjectMeta, then its spec and status messages. */
const kindWithSpecAndStatus = (
  spec: string,
  status: string,
): MessageDescriptor => ({
  1: metadata,
  2: msg('spec', spec),
  3: msg('status', status),
});

export const API_MESSAGES: Record<string, MessageDescriptor> = {
  [NAMESPACE]: kindWithSpecAndStatus(
    `${CORE}.NamespaceSpec`,
    `${CORE}.NamespaceStatus`,
  ),
  [`${CORE}.NamespaceSpec`]: { 1: strings('finalizers') },
  [`${CORE}.NamespaceStatus`]: {
    1: str('phase'),
    2: msgs('conditions', `${CORE}.NamespaceCondition`),
  },
  [`${CORE}.NamespaceCondition`]: {
    1: str('type'),
    2: str('status'),
    4: msg('lastTransitionTime', TIME),
    5: str('reason'),
    6: str('message'),
  },
  [SECRET]: {
    1: metadata,
    2: map('data', 'bytes'),
    3: str('type'),
    4: map('stringData', 'string'),
    5: bool('immutable', { pointer: true }),
  },
  [CONFIG_MAP]: {
    1: metadata,
    2: map('data', 'string'),
    3: map('binaryData', 'bytes'),
    4: bool('immutable', { pointer: true }),
  },
  [SERVICE_ACCOUNT]: {
    1: metadata,
    2: msgs('secrets', `${CORE}.ObjectReference`),
    3: msgs('imagePullSecrets', `${CORE}.LocalObjectReference`),
    4: bool('automountServiceAccountToken', { pointer: true }),
  },
  [`${CORE}.ObjectReference`]: {
    1: str('kind'),
    2: str('namespace'),
    3: str('name'),
    4: str('uid'),
    5: str('apiVersion'),
    6: str('resourceVersion'),
    7: str('fieldPath'),
  },
  [`${CORE}.LocalObjectReference`]: { 1: str('name') },
  [SERVICE]: kindWithSpecAndStatus(
    `${CORE}.ServiceSpec`,
    `${CORE}.ServiceStatus`,
  ),
  [`${CORE}.ServiceSpec`]: {
    1: msgs('ports', `${CORE}.ServicePort`),
    2: map('selector', 'string'),
    3: str('clusterIP'),
    4: str('type'),
    5: strings('externalIPs'),
    7: str('sessionAffinity'),
    8: str('loadBalancerIP'),
    9: strings('loadBalancerSourceRanges'),
    10: str('externalName'),
    11: str('externalTrafficPolicy'),
    12: int32('healthCheckNodePort'),
    13: bool('publishNotReadyAddresses'),
    14: msg('sessionAffinityConfig', `${CORE}.SessionAffinityConfig`),
    17: str('ipFamilyPolicy', { pointer: true }),
    18: strings('clusterIPs'),
    19: strings('ipFamilies'),
    20: bool('allocateLoadBalancerNodePorts', { pointer: true }),
    21: str('loadBalancerClass', { pointer: true }),
    22: str('internalTrafficPolicy', { pointer: true }),
    23: str('trafficDistribution', { pointer: true }),
  },
  [`${CORE}.ServicePort`]: {
    1: str('name'),
    2: str('protocol'),
    3: int32('port'),
    4: msg('targetPort', INT_OR_STRING),
    5: int32('nodePort'),
    6: str('appProtocol', { pointer: true }),
  },
  [`${CORE}.SessionAffinityConfig`]: {
    1: msg('clientIP', `${CORE}.ClientIPConfig`),
  },
  [`${CORE}.ClientIPConfig`]: {
    1: int32('timeoutSeconds', { pointer: true }),
  },
  [`${CORE}.ServiceStatus`]: {
    1: msg('loadBalancer', `${CORE}.LoadBalancerStatus`),
  },
  [`${CORE}.LoadBalancerStatus`]: {
    1: msgs('ingress', `${CORE}.LoadBalancerIngress`),
  },
  [`${CORE}.LoadBalancerIngress`]: {
    1: str('ip'),
    2: str('hostname'),
    3: str('ipMode', { pointer: true }),
  },
  [RESOURCE_QUOTA]: kindWithSpecAndStatus(
    `${CORE}.ResourceQuotaSpec`,
    `${CORE}.ResourceQuotaStatus`,
  ),
  [`${CORE}.ResourceQuotaSpec`]: {
    1: map('hard', { message: QUANTITY }),
    2: strings('scopes'),
    3: msg('scopeSelector', `${CORE}.ScopeSelector`),
  },
  [`${CORE}.ScopeSelector`]: {
    1: msgs('matchExpressions', `${CORE}.ScopedResourceSelectorRequirement`),
  },
  [`${CORE}.ScopedResourceSelectorRequirement`]: {
    1: str('scopeName'),
    2: str('operator'),
    3: strings('values'),
  },
  [`${CORE}.ResourceQuotaStatus`]: {
    1: map('hard', { message: QUANTITY }),
    2: map('used', { message: QUANTITY }),
  },
  [DEPLOYMENT]: kindWithSpecAndStatus(
    `${APPS}.DeploymentSpec`,
    `${APPS}.DeploymentStatus`,
  ),
  [`${APPS}.DeploymentSpec`]: {
    1: int32('replicas', { pointer: true }),
    2: msg('selector', LABEL_SELECTOR),
    3: msg('template', `${CORE}.PodTemplateSpec`),
    4: msg('strategy', `${APPS}.DeploymentStrategy`),
    5: int32('minReadySeconds'),
    6: int32('revisionHistoryLimit', { pointer: true }),
    7: bool('paused'),
    9: int32('progressDeadlineSeconds', { pointer: true }),
  },
  [`${APPS}.DeploymentStrategy`]: {
    1: str('type'),
    2: msg('rollingUpdate', `${APPS}.RollingUpdateDeployment`),
  },
  [`${APPS}.RollingUpdateDeployment`]: {
    1: msg('maxUnavailable', INT_OR_STRING),
    2: msg('maxSurge', INT_OR_STRING),
  },
  // Written by the deployment controller; kubectl sends it empty.
  [`${APPS}.DeploymentStatus`]: {
    1: int64('observedGeneration'),
    2: int32('replicas'),
    3: int32('updatedReplicas'),
    4: int32('availableReplicas'),
    5: int32('unavailableReplicas'),
    7: int32('readyReplicas'),
    8: int32('collisionCount', { pointer: true }),
  },
  [`${CORE}.PodTemplateSpec`]: {
    1: metadata,
    2: msg('spec', `${CORE}.PodSpec`),
  },
  [`${CORE}.PodSpec`]: {
    2: msgs('containers', `${CORE}.Container`),
    3: str('restartPolicy'),
    4: int64('terminationGracePeriodSeconds', { pointer: true }),
    5: int64('activeDeadlineSeconds', { pointer: true }),
    6: str('dnsPolicy'),
    7: map('nodeSelector', 'string'),
    8: str('serviceAccountName'),
    9: str('serviceAccount'),
    10: str('nodeName'),
    11: bool('hostNetwork'),
    12: bool('hostPID'),
    13: bool('hostIPC'),
    15: msgs('imagePullSecrets', `${CORE}.LocalObjectReference`),
    16: str('hostname'),
    17: str('subdomain'),
    19: str('schedulerName'),
    20: msgs('initContainers', `${CORE}.Container`),
    21: bool('automountServiceAccountToken', { pointer: true }),
    24: str('priorityClassName'),
    25: int32('priority', { pointer: true }),
    29: str('runtimeClassName', { pointer: true }),
    30: bool('enableServiceLinks', { pointer: true }),
    31: str('preemptionPolicy', { pointer: true }),
  },
  [`${CORE}.Container`]: {
    1: str('name'),
    2: str('image'),
    3: strings('command'),
    4: strings('args'),
    5: str('workingDir'),
    6: msgs('ports', `${CORE}.ContainerPort`),
    7: msgs('env', `${CORE}.EnvVar`),
    8: msg('resources', `${CORE}.ResourceRequirements`),
    9: msgs('volumeMounts', `${CORE}.VolumeMount`),
    13: str('terminationMessagePath'),
    14: str('imagePullPolicy'),
    16: bool('stdin'),
    17: bool('stdinOnce'),
    18: bool('tty'),
    20: str('terminationMessagePolicy'),
    24: str('restartPolicy', { pointer: true }),
  },
  [`${CORE}.ContainerPort`]: {
    1: str('name'),
    2: int32('hostPort'),
    3: int32('containerPort'),
    4: str('protocol'),
    5: str('hostIP'),
  },
  [`${CORE}.EnvVar`]: { 1: str('name'), 2: str('value') },
  [`${CORE}.ResourceRequirements`]: {
    1: map('limits', { message: QUANTITY }),
    2: map('requests', { message: QUANTITY }),
  },
  [`${CORE}.VolumeMount`]: {
    1: str('name'),
    2: bool('readOnly'),
    3: str('mountPath'),
    4: str('subPath'),
    5: str('mountPropagation', { pointer: true }),
    6: str('subPathExpr'),
    7: str('recursiveReadOnly', { pointer: true }),
  },
};
