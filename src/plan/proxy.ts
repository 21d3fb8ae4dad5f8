/**
 * The proxy container of a pod whose Service ports differ from its target ports: kplay's own
 * static relay (src/proxy) in the pod's network namespace, listening on each Service port and
 * relaying to the pod's target port on localhost, for TCP and UDP. It lives with the pod, restarts on its own,
 * and is no part of the pod's outcome (a Job's pod ends without it), like a sidecar.
 */
import type { PortMap } from "../graph/types.ts";
import type { Pod } from "../manifest/model.ts";
import { PROXY_IMAGE } from "../proxy/image.ts";
import type { PlannedContainer } from "./container.ts";
import {
  hashJson,
  LABEL_CONTAINER,
  LABEL_CONTAINER_HASH,
  LABEL_MANAGED,
  LABEL_POD,
  LABEL_PROXY,
  LABEL_SIDECAR,
} from "./labels.ts";
import { containerName } from "./names.ts";
import { containerNamespaceFields } from "./namespaces.ts";

/** The Kubernetes-style name of the proxy container in its pod. */
export const PROXY_CONTAINER = "kplay-proxy";

export function proxyContainer(
  pod: Pod,
  podName: string,
  proxies: readonly PortMap[],
): PlannedContainer {
  const name = containerName(podName, PROXY_CONTAINER);
  const body: Record<string, unknown> = {
    name,
    pod: podName,
    image: PROXY_IMAGE,
    command: proxies.map((p) => `${p.port}:${p.target}${p.protocol === "udp" ? "/udp" : ""}`),
    unsetenvall: true,
    user: "0:0",
    read_only_filesystem: true,
    no_new_privileges: true,
    cap_drop: ["ALL"],
    cap_add: ["NET_BIND_SERVICE"],
    ...containerNamespaceFields(pod),
    // It holds no state: SIGKILL stops it at once (as PID 1 it has no SIGTERM handler).
    stop_signal: 9,
    restart_policy: "always",
  };
  const hash = hashJson({ body });
  body.labels = {
    [LABEL_MANAGED]: "true",
    [LABEL_POD]: podName,
    [LABEL_CONTAINER]: PROXY_CONTAINER,
    [LABEL_PROXY]: "true",
    [LABEL_SIDECAR]: "true",
    [LABEL_CONTAINER_HASH]: hash,
  };
  return {
    step: {
      action: "create-container",
      container: PROXY_CONTAINER,
      name,
      init: false,
      hash,
      request: { method: "POST", path: "/containers/create", body },
      withImageEnv: true,
    },
    hostPaths: [],
    namedSubPaths: [],
  };
}
