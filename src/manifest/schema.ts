/**
 * The valibot schema of the typed Pod model (model.ts): shapes, required fields and enums of
 * the fields kplay translates. `v.object` drops every other key, so the output carries only
 * what the planner reads; unknown, ignored and unsupported fields are reported by fields.ts
 * and support.ts, and the rules that span fields by rules.ts.
 */
import * as v from "valibot";
import { ownMapOf } from "./own.ts";

const str = v.string();
const int = v.pipe(v.number(), v.integer());
const bool = v.boolean();
const opt = v.exactOptional;
const strings = v.array(str);
/**
 * A map whose keys are the user's (labels, annotations, resource names). valibot's `record`
 * silently drops `__proto__`, `constructor` and `prototype` keys, which are valid label keys
 * (and a `constructor` resource is an error Kubernetes reports): such maps are checked here
 * and kept as they are, in a prototype-free copy. Their values' types are reported with exact
 * paths by fields.ts.
 */
function ownRecord<T>(isValue: (v: unknown) => v is T) {
  return v.pipe(
    v.custom<Record<string, T>>(
      (input) =>
        typeof input === "object" &&
        input !== null &&
        !Array.isArray(input) &&
        Object.values(input).every(isValue),
    ),
    v.transform((input) => ownMapOf(Object.entries(input))),
  );
}
const isString = (x: unknown): x is string => typeof x === "string";
const isQuantity = (x: unknown): x is string | number =>
  typeof x === "string" || typeof x === "number";
const stringMap = ownRecord(isString);
const intOrString = v.union([int, str]);
const quantity = v.union([v.string(), v.number()]);

/** The signal names Kubernetes accepts for `lifecycle.stopSignal` on Linux. */
const STOP_SIGNALS = [
  ...[
    "ABRT",
    "ALRM",
    "BUS",
    "CHLD",
    "CLD",
    "CONT",
    "FPE",
    "HUP",
    "ILL",
    "INT",
    "IO",
    "IOT",
    "KILL",
  ],
  ...[
    "PIPE",
    "POLL",
    "PROF",
    "PWR",
    "QUIT",
    "SEGV",
    "STKFLT",
    "STOP",
    "SYS",
    "TERM",
    "TRAP",
    "TSTP",
  ],
  ...["TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX"],
  ...Array.from({ length: 15 }, (_, i) => `RTMIN+${i + 1}`),
  ...Array.from({ length: 14 }, (_, i) => `RTMAX-${14 - i}`),
].map((s) => `SIG${s}`);

const selinux = v.object({ user: opt(str), role: opt(str), type: opt(str), level: opt(str) });
const seccomp = v.object({
  type: v.picklist(["RuntimeDefault", "Unconfined", "Localhost"]),
  localhostProfile: opt(str),
});

const env = v.object({
  name: str,
  value: opt(str),
  valueFrom: opt(
    v.object({
      fieldRef: opt(v.object({ fieldPath: str, apiVersion: opt(str) })),
      resourceFieldRef: opt(
        v.object({ resource: str, containerName: opt(str), divisor: opt(quantity) }),
      ),
      configMapKeyRef: opt(v.object({ name: str, key: str, optional: opt(bool) })),
      secretKeyRef: opt(v.object({ name: str, key: str, optional: opt(bool) })),
    }),
  ),
});

const envFrom = v.object({
  prefix: opt(str),
  configMapRef: opt(v.object({ name: str, optional: opt(bool) })),
  secretRef: opt(v.object({ name: str, optional: opt(bool) })),
});

const port = v.object({
  name: opt(str),
  containerPort: int,
  hostPort: opt(int),
  hostIP: opt(str),
  protocol: opt(v.picklist(["TCP", "UDP", "SCTP"])),
});

const mount = v.object({
  name: str,
  mountPath: str,
  readOnly: opt(bool),
  subPath: opt(str),
  subPathExpr: opt(str),
  mountPropagation: opt(v.picklist(["None", "HostToContainer", "Bidirectional"])),
});

const securityContext = v.object({
  runAsUser: opt(int),
  runAsGroup: opt(int),
  runAsNonRoot: opt(bool),
  privileged: opt(bool),
  readOnlyRootFilesystem: opt(bool),
  allowPrivilegeEscalation: opt(bool),
  capabilities: opt(v.object({ add: opt(strings), drop: opt(strings) })),
  seLinuxOptions: opt(selinux),
  seccompProfile: opt(seccomp),
  procMount: opt(v.picklist(["Default", "Unmasked"])),
});

const probe = v.object({
  exec: opt(v.object({ command: strings })),
  httpGet: opt(
    v.object({
      path: opt(str),
      port: intOrString,
      host: opt(str),
      scheme: opt(v.picklist(["HTTP", "HTTPS"])),
      httpHeaders: opt(v.array(v.object({ name: str, value: str }))),
    }),
  ),
  tcpSocket: opt(v.object({ port: intOrString, host: opt(str) })),
  grpc: opt(v.object({ port: int, service: opt(str) })),
  initialDelaySeconds: opt(int),
  periodSeconds: opt(int),
  timeoutSeconds: opt(int),
  successThreshold: opt(int),
  failureThreshold: opt(int),
  terminationGracePeriodSeconds: opt(int),
});

const container = v.object({
  name: str,
  image: str,
  imagePullPolicy: opt(v.picklist(["Always", "IfNotPresent", "Never"])),
  command: opt(strings),
  args: opt(strings),
  workingDir: opt(str),
  env: opt(v.array(env)),
  envFrom: opt(v.array(envFrom)),
  ports: opt(v.array(port)),
  volumeMounts: opt(v.array(mount)),
  resources: opt(
    v.object({ limits: opt(ownRecord(isQuantity)), requests: opt(ownRecord(isQuantity)) }),
  ),
  securityContext: opt(securityContext),
  livenessProbe: opt(probe),
  readinessProbe: opt(probe),
  startupProbe: opt(probe),
  lifecycle: opt(
    v.object({
      stopSignal: opt(v.picklist(STOP_SIGNALS)),
      postStart: opt(v.unknown()),
      preStop: opt(v.unknown()),
    }),
  ),
  tty: opt(bool),
  stdin: opt(bool),
  stdinOnce: opt(bool),
  terminationMessagePath: opt(str),
  terminationMessagePolicy: opt(str),
  /** Only on init containers, only Always: a sidecar. */
  restartPolicy: opt(v.picklist(["Always"])),
});

const keyToPath = v.array(v.object({ key: str, path: str, mode: opt(int) }));
const downwardFile = v.object({
  path: str,
  fieldRef: opt(v.object({ fieldPath: str, apiVersion: opt(str) })),
  resourceFieldRef: opt(
    v.object({ resource: str, containerName: opt(str), divisor: opt(quantity) }),
  ),
  mode: opt(int),
});

const volume = v.object({
  name: str,
  hostPath: opt(
    v.object({
      path: str,
      type: opt(
        v.picklist([
          "",
          "DirectoryOrCreate",
          "Directory",
          "FileOrCreate",
          "File",
          "Socket",
          "CharDevice",
          "BlockDevice",
        ]),
      ),
    }),
  ),
  emptyDir: opt(v.object({ medium: opt(v.picklist(["", "Memory"])), sizeLimit: opt(quantity) })),
  configMap: opt(
    v.object({ name: str, items: opt(keyToPath), defaultMode: opt(int), optional: opt(bool) }),
  ),
  secret: opt(
    v.object({
      secretName: str,
      items: opt(keyToPath),
      defaultMode: opt(int),
      optional: opt(bool),
    }),
  ),
  persistentVolumeClaim: opt(v.object({ claimName: str, readOnly: opt(bool) })),
  downwardAPI: opt(v.object({ items: opt(v.array(downwardFile)), defaultMode: opt(int) })),
  projected: opt(
    v.object({
      sources: opt(
        v.array(
          v.object({
            configMap: opt(v.object({ name: str, items: opt(keyToPath), optional: opt(bool) })),
            secret: opt(v.object({ name: str, items: opt(keyToPath), optional: opt(bool) })),
            downwardAPI: opt(v.object({ items: opt(v.array(downwardFile)) })),
          }),
        ),
      ),
      defaultMode: opt(int),
    }),
  ),
});

const podSecurityContext = v.object({
  runAsUser: opt(int),
  runAsGroup: opt(int),
  runAsNonRoot: opt(bool),
  supplementalGroups: opt(v.array(int)),
  fsGroup: opt(int),
  seLinuxOptions: opt(selinux),
  seccompProfile: opt(seccomp),
  sysctls: opt(v.array(v.object({ name: str, value: str }))),
});

/** A map of the user's strings (labels, selectors), kept whole; see ownRecord. */
export const StringMapSchema = stringMap;

/**
 * The metadata fields kplay reads on objects other than Pods: a name, or a `generateName`
 * prefix for a fresh name each play (checked by checkObjectName), as `kubectl create` takes.
 */
export const ObjectMetaFields = {
  name: opt(str),
  generateName: opt(str),
  namespace: opt(str),
  labels: opt(stringMap),
  annotations: opt(stringMap),
};

/** The metadata kplay reads of a Pod (and of every other object, less `uid`). */
export const ObjectMetaSchema = v.object({
  name: str,
  namespace: opt(str),
  uid: opt(str),
  labels: opt(stringMap),
  annotations: opt(stringMap),
});

/** The labels and annotations of a pod template (its name comes from its workload). */
export const TemplateMetaSchema = v.object({
  labels: opt(stringMap),
  annotations: opt(stringMap),
});

/** A pod's spec, as a Pod has it and as every workload's template has it. */
export const PodSpecSchema = v.object({
  containers: v.array(container),
  initContainers: opt(v.array(container)),
  volumes: opt(v.array(volume)),
  restartPolicy: opt(v.picklist(["Always", "OnFailure", "Never"])),
  activeDeadlineSeconds: opt(int),
  imagePullSecrets: opt(v.array(v.object({ name: opt(str) }))),
  hostname: opt(str),
  subdomain: opt(str),
  enableServiceLinks: opt(bool),
  hostNetwork: opt(bool),
  hostPID: opt(bool),
  hostIPC: opt(bool),
  hostUsers: opt(bool),
  shareProcessNamespace: opt(bool),
  hostAliases: opt(v.array(v.object({ ip: str, hostnames: opt(strings) }))),
  dnsPolicy: opt(v.picklist(["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"])),
  dnsConfig: opt(
    v.object({
      nameservers: opt(strings),
      searches: opt(strings),
      options: opt(v.array(v.object({ name: str, value: opt(str) }))),
    }),
  ),
  securityContext: opt(podSecurityContext),
  terminationGracePeriodSeconds: opt(int),
});

/** The schema of a Pod kplay can play; its output type is model.ts's `Pod`. */
export const PodSchema = v.object({
  apiVersion: v.literal("v1"),
  kind: v.literal("Pod"),
  metadata: ObjectMetaSchema,
  spec: PodSpecSchema,
});
