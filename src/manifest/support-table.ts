/**
 * The one table of what kplay does with each Kubernetes Pod field, keyed `Type.field` with the
 * type names of k8s-fields.generated.ts. Fields below an entry inherit it, so only types under
 * a supported field list every field (test/manifest/support.test.ts checks that). The same
 * table drives the `ignored-field`/`unsupported-field` diagnostics and docs/kubernetes-support.md.
 */

/** What kplay does with a field. */
export type SupportStatus = "supported" | "partial" | "ignored" | "unsupported";

/** One row of the table. `podman` is `podman kube play`'s behaviour, for the docs. */
export interface SupportEntry {
  readonly status: SupportStatus;
  /** Why: the detail after the colon of the diagnostic (`… is ignored: <reason>`). */
  readonly reason?: string;
  readonly hint?: string;
  readonly podman: SupportStatus;
  /** How sure the podman column is, from reading podman's kube play sources and docs. */
  readonly podmanConfidence: "high" | "medium" | "low";
}

const S = (
  podman: SupportStatus = "supported",
  podmanConfidence: SupportEntry["podmanConfidence"] = "medium",
): SupportEntry => ({ status: "supported", podman, podmanConfidence });
const P = (reason: string, podman: SupportStatus = "partial"): SupportEntry => ({
  status: "partial",
  reason,
  podman,
  podmanConfidence: "low",
});
const I = (
  reason: string,
  podman: SupportStatus = "ignored",
  podmanConfidence: SupportEntry["podmanConfidence"] = "medium",
): SupportEntry => ({ status: "ignored", reason, podman, podmanConfidence });
const U = (
  reason: string,
  podman: SupportStatus = "ignored",
  podmanConfidence: SupportEntry["podmanConfidence"] = "low",
): SupportEntry => ({ status: "unsupported", reason, podman, podmanConfidence });

const HOST = "kplay runs every pod on this host";
const SERVER = "it is set by the API server";
const ACCOUNTS = "kplay has no service accounts";
const VOLUME =
  "kplay supports hostPath, emptyDir, persistentVolumeClaim, configMap, secret, downwardAPI and projected volumes";

/** The support table. */
export const SUPPORT: Readonly<Record<string, SupportEntry>> = {
  "Pod.apiVersion": S("supported", "high"),
  "Pod.kind": S("supported", "high"),
  "Pod.metadata": S("supported", "high"),
  "Pod.spec": S("supported", "high"),
  "Pod.status": I("it is written by the cluster, not read", "ignored", "high"),

  "ObjectMeta.name": S("supported", "high"),
  "ObjectMeta.namespace": S("ignored"),
  "ObjectMeta.uid": S("ignored"),
  "ObjectMeta.labels": S("supported", "high"),
  "ObjectMeta.annotations": S("supported", "high"),
  "ObjectMeta.generateName": P(
    "a workload gets a fresh name each play, as with kubectl create; a Pod needs metadata.name",
    "ignored",
  ),
  "ObjectMeta.creationTimestamp": I(SERVER),
  "ObjectMeta.deletionTimestamp": I(SERVER),
  "ObjectMeta.deletionGracePeriodSeconds": I(SERVER),
  "ObjectMeta.resourceVersion": I(SERVER),
  "ObjectMeta.selfLink": I(SERVER),
  "ObjectMeta.generation": I(SERVER),
  "ObjectMeta.managedFields": I(SERVER),
  "ObjectMeta.ownerReferences": I("kplay has no garbage collector"),
  "ObjectMeta.finalizers": I("kplay has no garbage collector"),

  "PodSpec.containers": S("supported", "high"),
  "PodSpec.initContainers": S(),
  "PodSpec.volumes": S("supported", "high"),
  "PodSpec.restartPolicy": S(),
  "PodSpec.hostname": S(),
  "PodSpec.subdomain": S(),
  "PodSpec.hostNetwork": S(),
  "PodSpec.hostPID": S("ignored", "high"),
  "PodSpec.hostIPC": S("ignored", "high"),
  "PodSpec.hostUsers": S(),
  "PodSpec.shareProcessNamespace": S(),
  "PodSpec.hostAliases": S(),
  "PodSpec.dnsPolicy": P(
    "ClusterFirst is Podman's DNS: on the network of a namespace with Services, their names resolve; elsewhere it acts as Default",
    "ignored",
  ),
  "PodSpec.dnsConfig": S(),
  "PodSpec.securityContext": S(),
  "PodSpec.terminationGracePeriodSeconds": S("ignored", "high"),
  "PodSpec.nodeSelector": I(HOST),
  "PodSpec.affinity": I(HOST),
  "PodSpec.tolerations": I(HOST),
  "PodSpec.nodeName": I(HOST),
  "PodSpec.topologySpreadConstraints": I(HOST),
  "PodSpec.schedulerName": I(HOST),
  "PodSpec.schedulingGates": I(HOST),
  "PodSpec.schedulingGroup": I(HOST),
  "PodSpec.priorityClassName": I(HOST),
  "PodSpec.priority": I(HOST),
  "PodSpec.preemptionPolicy": I(HOST),
  "PodSpec.readinessGates": I(HOST),
  "PodSpec.serviceAccountName": I(ACCOUNTS),
  "PodSpec.serviceAccount": I(ACCOUNTS),
  "PodSpec.automountServiceAccountToken": I(ACCOUNTS),
  "PodSpec.runtimeClassName": I("kplay uses Podman's configured runtime"),
  "PodSpec.overhead": I("it is set from the RuntimeClass"),
  "PodSpec.enableServiceLinks": S(),
  "PodSpec.os": I("the pod runs on this host's operating system"),
  "PodSpec.imagePullSecrets": P(
    "the registry credentials of the named dockerconfigjson Secrets in the input go with each pull; others are not looked up",
    "ignored",
  ),
  "LocalObjectReference.name": S(),
  "PodSpec.setHostnameAsFQDN": I("kplay has no cluster domain"),
  "PodSpec.activeDeadlineSeconds": P(
    "Podman kills each app container that runs longer, counted from its own start; under restartPolicy OnFailure or Always Podman then restarts it",
    "ignored",
  ),
  "PodSpec.ephemeralContainers": U("ephemeral containers are added by kubectl debug, not played"),
  "PodSpec.resourceClaims": U("kplay has no dynamic resource allocation"),
  "PodSpec.resources": U("pod-level resources are not translated yet"),
  "PodSpec.hostnameOverride": U("not translated yet"),

  "Container.name": S("supported", "high"),
  "Container.image": S("supported", "high"),
  "Container.imagePullPolicy": S(),
  "Container.command": S("supported", "high"),
  "Container.args": S("supported", "high"),
  "Container.workingDir": S(),
  "Container.env": S("supported", "high"),
  "Container.envFrom": S(),
  "Container.ports": S("supported", "high"),
  "Container.volumeMounts": S("supported", "high"),
  "Container.resources": S(),
  "Container.securityContext": S(),
  "Container.livenessProbe": S(),
  "Container.readinessProbe": S("ignored", "low"),
  "Container.startupProbe": S("ignored", "high"),
  "Container.lifecycle": S("partial", "low"),
  "Container.tty": S(),
  "Container.stdin": S("ignored", "high"),
  "Container.stdinOnce": I("kplay never attaches to a container, so no session closes stdin"),
  "Container.terminationMessagePath": I("kplay keeps no termination message"),
  "Container.terminationMessagePolicy": I("kplay keeps no termination message"),
  "Container.resizePolicy": I("kplay does not resize running containers"),
  "Container.restartPolicy": P(
    "a sidecar starts after every plain init container (not between them), before the app containers, and stops after them",
    "ignored",
  ),
  "Container.restartPolicyRules": U("not translated yet"),
  "Container.volumeDevices": U("block devices from claims are not supported", "unsupported"),

  "EnvVar.name": S("supported", "high"),
  "EnvVar.value": S("supported", "high"),
  "EnvVar.valueFrom": S(),
  "EnvVarSource.fieldRef": S("partial", "high"),
  "EnvVarSource.resourceFieldRef": S(),
  "EnvVarSource.configMapKeyRef": S("supported", "high"),
  "EnvVarSource.secretKeyRef": P(
    "the value comes from Podman's secret store (libpod secret_env); podman inspect shows it in Config.Env, as Podman shows every secret env var",
    "supported",
  ),
  "EnvVarSource.fileKeyRef": U("not translated yet"),
  "ObjectFieldSelector.fieldPath": S(),
  "ObjectFieldSelector.apiVersion": S(),
  "ResourceFieldSelector.resource": S(),
  "ResourceFieldSelector.containerName": S(),
  "ResourceFieldSelector.divisor": S(),
  "EnvFromSource.prefix": S(),
  "EnvFromSource.configMapRef": S("supported", "high"),
  "EnvFromSource.secretRef": S("supported", "high"),

  "ContainerPort.name": S(),
  "ContainerPort.containerPort": S("supported", "high"),
  "ContainerPort.hostPort": S("supported", "high"),
  "ContainerPort.hostIP": S(),
  "ContainerPort.protocol": S(),
  "VolumeMount.name": S("supported", "high"),
  "VolumeMount.mountPath": S("supported", "high"),
  "VolumeMount.readOnly": S(),
  "VolumeMount.subPath": S("ignored", "high"),
  "VolumeMount.subPathExpr": S("unsupported", "low"),
  "VolumeMount.mountPropagation": S("partial", "low"),
  "VolumeMount.recursiveReadOnly": U("not translated yet"),
  "ResourceRequirements.limits": S(),
  "ResourceRequirements.requests": P("Podman reserves nothing for a request", "partial"),
  "ResourceRequirements.claims": I("kplay has no dynamic resource allocation"),

  "SecurityContext.runAsUser": S(),
  "SecurityContext.runAsGroup": S(),
  "SecurityContext.runAsNonRoot": S(),
  "SecurityContext.privileged": S(),
  "SecurityContext.readOnlyRootFilesystem": S(),
  "SecurityContext.allowPrivilegeEscalation": S(),
  "SecurityContext.capabilities": S(),
  "SecurityContext.seLinuxOptions": S(),
  "SecurityContext.seccompProfile": S("ignored", "high"),
  "SecurityContext.procMount": S("ignored", "high"),
  "SecurityContext.appArmorProfile": U("not translated yet"),
  "SecurityContext.windowsOptions": I("kplay runs Linux containers"),
  "Capabilities.add": S(),
  "Capabilities.drop": S(),
  "SELinuxOptions.user": S(),
  "SELinuxOptions.role": S(),
  "SELinuxOptions.type": S(),
  "SELinuxOptions.level": S(),
  "SeccompProfile.type": S(),
  "SeccompProfile.localhostProfile": S(),
  "PodSecurityContext.runAsUser": S(),
  "PodSecurityContext.runAsGroup": S(),
  "PodSecurityContext.runAsNonRoot": S(),
  "PodSecurityContext.supplementalGroups": S(),
  "PodSecurityContext.fsGroup": P(
    "it is added to the containers' groups, but volumes are not chowned to it",
  ),
  "PodSecurityContext.seLinuxOptions": S(),
  "PodSecurityContext.seccompProfile": S("ignored", "high"),
  "PodSecurityContext.sysctls": S("ignored", "high"),
  "PodSecurityContext.fsGroupChangePolicy": I("kplay does not change volume ownership"),
  "PodSecurityContext.seLinuxChangePolicy": I("kplay does not relabel volumes by policy"),
  "PodSecurityContext.supplementalGroupsPolicy": U("not translated yet"),
  "PodSecurityContext.appArmorProfile": U("not translated yet"),
  "PodSecurityContext.windowsOptions": I("kplay runs Linux containers"),
  "Sysctl.name": S(),
  "Sysctl.value": S(),

  "Probe.exec": S(),
  "Probe.httpGet": S(),
  "Probe.tcpSocket": S(),
  "Probe.grpc": S("unsupported", "low"),
  "Probe.initialDelaySeconds": S(),
  "Probe.periodSeconds": S(),
  "Probe.timeoutSeconds": S(),
  "Probe.successThreshold": S("ignored", "low"),
  "Probe.failureThreshold": S(),
  "Probe.terminationGracePeriodSeconds": I(
    "a failed probe stops the container with the pod's grace period",
    "ignored",
    "low",
  ),
  "ExecAction.command": S(),
  "HTTPGetAction.path": S(),
  "HTTPGetAction.port": S(),
  "HTTPGetAction.host": S(),
  "HTTPGetAction.scheme": S(),
  "HTTPGetAction.httpHeaders": S("ignored", "low"),
  "HTTPHeader.name": S(),
  "HTTPHeader.value": S(),
  "TCPSocketAction.port": S(),
  "TCPSocketAction.host": S(),
  "GRPCAction.port": S(),
  "GRPCAction.service": S(),
  "Lifecycle.stopSignal": S("ignored", "high"),
  "Lifecycle.postStart": P(
    "kplay runs it once the container has started (not while it starts); a failure fails the play",
    "ignored",
  ),
  "Lifecycle.preStop": P(
    "kplay runs it before it stops the container (down, a replacement), within the grace period",
    "ignored",
  ),
  "LifecycleHandler.exec": S("ignored"),
  "LifecycleHandler.httpGet": P(
    "reached through the hostPort it is published on, as probes are",
    "ignored",
  ),
  "LifecycleHandler.sleep": S("ignored"),
  "LifecycleHandler.tcpSocket": I("the kubelet does not run tcpSocket hooks either"),
  "SleepAction.seconds": S("ignored"),

  "Volume.name": S("supported", "high"),
  "Volume.hostPath": S("supported", "high"),
  "Volume.emptyDir": S("supported", "high"),
  "Volume.configMap": P(
    "files in a Podman volume of the pod, laid out as the kubelet lays them out and updated in place; a subPath mount needs Podman 4.4",
    "supported",
  ),
  "Volume.secret": P(
    "each file mounted from Podman's secret store onto a tmpfs; Podman refuses empty or over 500 kB values",
    "supported",
  ),
  "Volume.downwardAPI": S("unsupported", "medium"),
  "Volume.projected": P(
    "configMap, secret and downwardAPI sources; serviceAccountToken, clusterTrustBundle and podCertificate are refused",
    "unsupported",
  ),
  "Volume.persistentVolumeClaim": S("supported", "high"),
  "HostPathVolumeSource.path": S("supported", "high"),
  "HostPathVolumeSource.type": S(),
  "EmptyDirVolumeSource.medium": S(),
  "EmptyDirVolumeSource.sizeLimit": I(
    "Podman cannot limit a local volume's size without project quotas",
    "ignored",
    "low",
  ),
  "HostAlias.ip": S(),
  "HostAlias.hostnames": S(),
  "PodDNSConfig.nameservers": S(),
  "PodDNSConfig.searches": S(),
  "PodDNSConfig.options": S(),
  "PodDNSConfigOption.name": S(),
  "PodDNSConfigOption.value": S(),

  // Below the config sources: listed so that flipping the parent entry is all it takes.
  "ConfigMapKeySelector.name": S("supported", "high"),
  "ConfigMapKeySelector.key": S("supported", "high"),
  "ConfigMapKeySelector.optional": S(),
  "SecretKeySelector.name": S("supported", "high"),
  "SecretKeySelector.key": S("supported", "high"),
  "SecretKeySelector.optional": S(),
  "ConfigMapEnvSource.name": S("supported", "high"),
  "ConfigMapEnvSource.optional": S(),
  "SecretEnvSource.name": S("supported", "high"),
  "SecretEnvSource.optional": S(),
  "ConfigMapVolumeSource.name": S("supported", "high"),
  "ConfigMapVolumeSource.items": S(),
  "ConfigMapVolumeSource.defaultMode": S(),
  "ConfigMapVolumeSource.optional": S(),
  "SecretVolumeSource.secretName": S("supported", "high"),
  "SecretVolumeSource.items": S(),
  "SecretVolumeSource.defaultMode": S(),
  "SecretVolumeSource.optional": S(),
  "DownwardAPIVolumeSource.items": S("unsupported"),
  "DownwardAPIVolumeSource.defaultMode": S("unsupported"),
  "DownwardAPIVolumeFile.path": S("unsupported"),
  "DownwardAPIVolumeFile.fieldRef": S("unsupported"),
  "DownwardAPIVolumeFile.resourceFieldRef": S("unsupported"),
  "DownwardAPIVolumeFile.mode": S("unsupported"),
  "ProjectedVolumeSource.sources": S("unsupported"),
  "ProjectedVolumeSource.defaultMode": S("unsupported"),
  "VolumeProjection.configMap": S("unsupported"),
  "VolumeProjection.secret": S("unsupported"),
  "VolumeProjection.downwardAPI": S("unsupported"),
  "VolumeProjection.serviceAccountToken": U("kplay has no service accounts to make tokens for"),
  "VolumeProjection.clusterTrustBundle": U("kplay has no cluster trust bundles"),
  "VolumeProjection.podCertificate": U("kplay has no cluster certificate authority"),
  "ConfigMapProjection.name": S("unsupported"),
  "ConfigMapProjection.items": S("unsupported"),
  "ConfigMapProjection.optional": S("unsupported"),
  "SecretProjection.name": S("unsupported"),
  "SecretProjection.items": S("unsupported"),
  "SecretProjection.optional": S("unsupported"),
  "DownwardAPIProjection.items": S("unsupported"),
  "KeyToPath.key": S(),
  "KeyToPath.path": S(),
  "KeyToPath.mode": S(),
  "PersistentVolumeClaimVolumeSource.claimName": S("supported", "high"),
  "PersistentVolumeClaimVolumeSource.readOnly": S(),
};

/**
 * The kinds besides Pod: workloads, their templates and strategies, and the data kinds. The
 * types below their supported fields (ObjectMeta, PodSpec, LabelSelector, ...) are Pod's.
 */
export const SUPPORT_KINDS: Readonly<Record<string, SupportEntry>> = {
  ...Object.fromEntries(
    [
      "Deployment",
      "ReplicaSet",
      "ReplicationController",
      "StatefulSet",
      "DaemonSet",
      "Job",
      "CronJob",
      "PersistentVolumeClaim",
    ].flatMap((kind) => [
      [`${kind}.apiVersion`, S("supported", "high")],
      [`${kind}.kind`, S("supported", "high")],
      [`${kind}.metadata`, S("supported", "high")],
      [
        `${kind}.spec`,
        S(
          kind === "ReplicaSet" ||
            kind === "ReplicationController" ||
            kind === "StatefulSet" ||
            kind === "CronJob"
            ? "ignored"
            : "partial",
          "medium",
        ),
      ],
      [`${kind}.status`, I("it is written by the cluster, not read", "ignored", "high")],
    ]),
  ),
  "LabelSelector.matchLabels": S("supported", "high"),
  "LabelSelector.matchExpressions": S(),
  "LabelSelectorRequirement.key": S(),
  "LabelSelectorRequirement.operator": S(),
  "LabelSelectorRequirement.values": S(),
  "PodTemplateSpec.metadata": S("supported", "high"),
  "PodTemplateSpec.spec": S("supported", "high"),
  "JobTemplateSpec.metadata": S(),
  "JobTemplateSpec.spec": S(),

  "DeploymentSpec.replicas": P("podman kube play caps replicas at 1", "partial"),
  "DeploymentSpec.selector": S(),
  "DeploymentSpec.template": S("supported", "high"),
  "DeploymentSpec.strategy": S("ignored"),
  "DeploymentSpec.minReadySeconds": S("ignored"),
  "DeploymentSpec.progressDeadlineSeconds": S("ignored"),
  "DeploymentSpec.paused": S("ignored"),
  "DeploymentSpec.revisionHistoryLimit": I("kplay keeps no old ReplicaSets to roll back to"),
  "DeploymentStrategy.type": S("ignored"),
  "DeploymentStrategy.rollingUpdate": S("ignored"),
  "RollingUpdateDeployment.maxSurge": S("ignored"),
  "RollingUpdateDeployment.maxUnavailable": S("ignored"),

  "ReplicaSetSpec.replicas": S("ignored"),
  "ReplicaSetSpec.selector": S("ignored"),
  "ReplicaSetSpec.template": S("ignored"),
  "ReplicaSetSpec.minReadySeconds": S("ignored"),
  "ReplicationControllerSpec.replicas": S("ignored"),
  "ReplicationControllerSpec.selector": S("ignored"),
  "ReplicationControllerSpec.template": S("ignored"),
  "ReplicationControllerSpec.minReadySeconds": S("ignored"),

  "StatefulSetSpec.replicas": S("ignored"),
  "StatefulSetSpec.selector": S("ignored"),
  "StatefulSetSpec.serviceName": S("ignored"),
  "StatefulSetSpec.template": S("ignored"),
  "StatefulSetSpec.volumeClaimTemplates": S("ignored"),
  "StatefulSetSpec.podManagementPolicy": S("ignored"),
  "StatefulSetSpec.updateStrategy": S("ignored"),
  "StatefulSetSpec.minReadySeconds": S("ignored"),
  "StatefulSetSpec.ordinals": S("ignored"),
  "StatefulSetSpec.revisionHistoryLimit": I("kplay keeps no old revisions to roll back to"),
  "StatefulSetSpec.persistentVolumeClaimRetentionPolicy": I(
    "claims are always retained, as the default Retain policy says; down --volumes removes them",
  ),
  "StatefulSetUpdateStrategy.type": S("ignored"),
  "StatefulSetUpdateStrategy.rollingUpdate": S("ignored"),
  "RollingUpdateStatefulSetStrategy.partition": S("ignored"),
  "RollingUpdateStatefulSetStrategy.maxUnavailable": S("ignored"),
  "StatefulSetOrdinals.start": S("ignored"),

  "DaemonSetSpec.selector": S(),
  "DaemonSetSpec.template": S("supported", "high"),
  "DaemonSetSpec.updateStrategy": S("ignored"),
  "DaemonSetSpec.minReadySeconds": S("ignored"),
  "DaemonSetSpec.revisionHistoryLimit": I("kplay keeps no old revisions to roll back to"),
  "DaemonSetUpdateStrategy.type": S("ignored"),
  "DaemonSetUpdateStrategy.rollingUpdate": S("ignored"),
  "RollingUpdateDaemonSet.maxSurge": S("ignored"),
  "RollingUpdateDaemonSet.maxUnavailable": S("ignored"),

  "JobSpec.template": S("supported", "high"),
  "JobSpec.completions": S("ignored"),
  "JobSpec.parallelism": S("ignored"),
  "JobSpec.backoffLimit": S(),
  "JobSpec.activeDeadlineSeconds": S("ignored"),
  "JobSpec.ttlSecondsAfterFinished": S("ignored"),
  "JobSpec.completionMode": S("ignored"),
  "JobSpec.suspend": S("ignored"),
  "JobSpec.selector": I("kplay finds a Job's pods by its own labels"),
  "JobSpec.manualSelector": I("kplay finds a Job's pods by its own labels"),
  "JobSpec.podFailurePolicy": U("not translated yet: every failure counts against backoffLimit"),
  "JobSpec.successPolicy": U("not translated yet: a Job succeeds when all completions do"),
  "JobSpec.backoffLimitPerIndex": U("not translated yet"),
  "JobSpec.maxFailedIndexes": U("not translated yet"),
  "JobSpec.podReplacementPolicy": I("a failed pod is replaced once it has stopped"),
  "JobSpec.managedBy": I("kplay is the Job's controller"),

  "CronJobSpec.schedule": S("ignored"),
  "CronJobSpec.timeZone": S("ignored"),
  "CronJobSpec.jobTemplate": S("ignored"),
  "CronJobSpec.concurrencyPolicy": S("ignored"),
  "CronJobSpec.startingDeadlineSeconds": S("ignored"),
  "CronJobSpec.successfulJobsHistoryLimit": S("ignored"),
  "CronJobSpec.failedJobsHistoryLimit": S("ignored"),
  "CronJobSpec.suspend": S("ignored"),

  "ConfigMap.apiVersion": S("supported", "high"),
  "ConfigMap.kind": S("supported", "high"),
  "ConfigMap.metadata": S("supported", "high"),
  "ConfigMap.data": S("supported", "high"),
  "ConfigMap.binaryData": S(),
  "ConfigMap.immutable": I("kplay replaces a changed ConfigMap's files either way"),
  "Secret.apiVersion": S("supported", "high"),
  "Secret.kind": S("supported", "high"),
  "Secret.metadata": S("supported", "high"),
  "Secret.type": S(),
  "Secret.data": S("supported", "high"),
  "Secret.stringData": S(),
  "Secret.immutable": I("kplay replaces a changed Secret either way"),
  "PersistentVolumeClaimSpec.accessModes": P(
    "recorded, not enforced: a Podman volume has no access modes",
    "ignored",
  ),
  "PersistentVolumeClaimSpec.resources": P(
    "recorded, not enforced: a Podman volume has no size",
    "ignored",
  ),
  "PersistentVolumeClaimSpec.storageClassName": I(
    "Podman's volume driver is chosen with the volume.podman.io/driver annotation",
  ),
  "PersistentVolumeClaimSpec.volumeMode": P("Filesystem only", "ignored"),
  "PersistentVolumeClaimSpec.selector": I("there are no PersistentVolumes to select"),
  "PersistentVolumeClaimSpec.volumeName": I("there are no PersistentVolumes to bind"),
  "PersistentVolumeClaimSpec.dataSource": U("volume snapshots and clones are not supported"),
  "PersistentVolumeClaimSpec.dataSourceRef": U("volume snapshots and clones are not supported"),
  "PersistentVolumeClaimSpec.volumeAttributesClassName": I(
    "Podman volumes have no attribute classes",
  ),
  "VolumeResourceRequirements.requests": S("ignored"),
  "VolumeResourceRequirements.limits": S("ignored"),
};

/** What kplay and `podman kube play` do with each kind, for the docs. */
export const KIND_SUPPORT: readonly {
  readonly kind: string;
  readonly kplay: string;
  readonly podman: string;
}[] = [
  {
    kind: "Pod",
    kplay: "played; re-play converges in place",
    podman: "played; a second play fails",
  },
  {
    kind: "Deployment, ReplicaSet, ReplicationController",
    kplay:
      "`replicas` pods named `<name>-<template hash>-<5 chars>`; scaling adds or removes the difference; a changed template rolls as `strategy` says",
    podman: "Deployment only, capped at 1 replica; no ReplicaSet or ReplicationController",
  },
  {
    kind: "StatefulSet",
    kplay:
      "pods `<name>-0…N-1` created in order (or in parallel), hostnames = pod names, one claim volume per ordinal and template",
    podman: "not played",
  },
  { kind: "DaemonSet", kplay: "one pod (this host is the one node)", podman: "one pod" },
  {
    kind: "Job",
    kplay:
      "completions and parallelism, backoffLimit with back-off, deadlines; `play --wait` runs it to its end",
    podman: "one pod, run once",
  },
  { kind: "CronJob", kplay: "validated; run on its schedule by `kplay up`", podman: "not played" },
  {
    kind: "ConfigMap",
    kplay:
      "env, envFrom and volumes (items, modes, subPath); a change reaches running pods' volumes in place",
    podman: "env, envFrom and volumes; a missing ConfigMap is not an error",
  },
  {
    kind: "Secret",
    kplay:
      "kept in Podman's secret store, never printed: env, envFrom and volumes with their modes",
    podman: "kept in Podman's secret store",
  },
  {
    kind: "PersistentVolumeClaim",
    kplay:
      "the Podman volume of its name, with the `volume.podman.io/*` annotations; size and access modes recorded, not enforced",
    podman: "the Podman volume of its name",
  },
  {
    kind: "Service",
    kplay:
      "a network per namespace; the selected pods answer to the Service's names; port → targetPort mapped; NodePort and LoadBalancer published on 127.0.0.1; env vars (see docs/networking.md)",
    podman: "ignored",
  },
  {
    kind: "Namespace, ServiceAccount, RBAC, PodDisruptionBudget, HorizontalPodAutoscaler, NetworkPolicy, Ingress, LimitRange, ResourceQuota, PriorityClass, StorageClass, CRDs, custom resources",
    kplay:
      "validated as far as their schema is known, then ignored with a warning (an error with `--strict`)",
    podman: "ignored",
  },
];

/** Every Volume source other than the ones listed above is valid Kubernetes kplay cannot mount. */
export const UNSUPPORTED_VOLUME: SupportEntry = U(VOLUME, "unsupported");
