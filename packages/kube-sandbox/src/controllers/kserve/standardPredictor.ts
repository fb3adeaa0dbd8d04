import { isPlainObject } from '../../schema/structuralValidator';
import { KubeObject } from '../../store/types';
import { ControllerClient } from '../controllerClient';
import { controllerReference } from '../ownerReferences';
import {
  CONTAINER_NAME,
  componentMeta,
  initialReplicas,
  predictorPodSpec,
} from './predictorComponent';

/**
 * The objects KServe creates for a predictor in Standard (raw Deployment) mode, re-expressed from
 * kserve/kserve v0.20.0 pkg/controller/v1beta1/inferenceservice/reconcilers/deployment/
 * deployment_reconciler.go (`createRawDefaultDeployment`, `setDefaultPodSpec`,
 * `setDefaultDeploymentSpec`) and reconcilers/service/service_reconciler.go (`createDefaultSvc`),
 * both owned by the InferenceService (`SetControllerReferences`). KServe's HPA is not created (the
 * sandbox serves no autoscaling kinds): the Deployment gets the replicas the HPA would hold it at.
 */

type Json = Record<string, unknown>;

/** `constants.GetRawServiceLabel`: the `app` label value pods and Service selector share. */
export const rawServiceLabel = (component: string) => `isvc.${component}`;

/** Port 80 to the first container port, or to 8080 when the container declares none. */
function servicePorts(component: string, podSpec: Json): Json[] {
  const containers = (podSpec.containers as Json[]) ?? [];
  const container =
    containers.find(c => c.name === 'transformer-container') ?? containers[0];
  const ports = Array.isArray(container?.ports)
    ? container.ports.filter(isPlainObject)
    : [];
  if (ports.length === 0) {
    return [{ name: component, port: 80, targetPort: 8080, protocol: 'TCP' }];
  }
  const isGrpc = (name: unknown) =>
    typeof name === 'string' && (name.includes('grpc') || name.includes('h2c'));
  return ports.map((port, i) => ({
    ...(port.name === undefined ? {} : { name: port.name }),
    port: i === 0 ? 80 : port.containerPort,
    targetPort: port.containerPort,
    protocol: port.protocol ?? 'TCP',
    ...(isGrpc(port.name) ? { appProtocol: 'kubernetes.io/h2c' } : {}),
  }));
}

/** What `setDefaultPodSpec` fills in, including the TCP readiness probe on the serving port. */
function withPodDefaults(podSpec: Json): Json {
  const containers = ((podSpec.containers as Json[]) ?? []).map(container => {
    const ports = Array.isArray(container.ports)
      ? container.ports.filter(isPlainObject)
      : [];
    const serving =
      container.name === CONTAINER_NAME ||
      container.name === 'transformer-container';
    return {
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
      imagePullPolicy: 'IfNotPresent',
      ...container,
      ...(serving && container.readinessProbe === undefined
        ? {
            readinessProbe: {
              tcpSocket: { port: ports[0]?.containerPort ?? 8080 },
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
          }
        : {}),
    };
  });
  return {
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    securityContext: {},
    schedulerName: 'default-scheduler',
    ...podSpec,
    containers,
  };
}

/** The predictor's ClusterIP Service and Deployment, owned by the InferenceService. */
export function standardPredictorObjects(
  client: ControllerClient,
  isvc: KubeObject,
): KubeObject[] {
  const meta = componentMeta(isvc);
  const component = meta.name!;
  const app = rawServiceLabel(component);
  // KServe adds `app` to the pod template's labels through a map it shares with the component's
  // metadata, so the Deployment and the Service carry it too.
  const labels = { ...meta.labels, app };
  const owner = [controllerReference(isvc)];
  const podSpec = predictorPodSpec(client, isvc);
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { ...meta, labels, ownerReferences: owner },
    spec: { selector: { app }, ports: servicePorts(component, podSpec) },
  };
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { ...meta, labels, ownerReferences: owner },
    spec: {
      replicas: initialReplicas(isvc),
      selector: { matchLabels: { app } },
      template: {
        metadata: { labels, annotations: meta.annotations },
        spec: withPodDefaults(podSpec),
      },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
  // The workload is reconciled before the Service (raw_kube_reconciler.go).
  return [deployment, service];
}
