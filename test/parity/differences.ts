/**
 * THE table of intentional differences between `kplay play` and Podman 4.3.1's
 * `podman kube play`: each row says why kplay differs, and either turns Podman's view of a
 * pod into the one kplay must show (asserting kplay's Kubernetes form on the way), or
 * explains why exactly one side refused a manifest. Anything not explained here must be equal.
 */
import { expect } from "bun:test";
import {
  annotations,
  arr,
  containersOf,
  ENV_REST_DEFAULTS,
  eachContainer,
  expandLikeKubernetes,
  type Json,
  milliCPU,
  obj,
  type PodContext,
  REST_PIDS_LIMIT,
  spec,
} from "./manifest.ts";
import type { PodView } from "./normalize.ts";

export type { PodContext };

/** A case only one side played: the manifest's pods and both outcomes. */
export interface RefusalContext {
  readonly pods: readonly Json[];
  readonly podmanError?: string;
  readonly kplayError?: string;
  /** kplay's views when kplay played it. */
  readonly kplay?: Readonly<Record<string, PodView>>;
}

export interface Difference {
  readonly id: string;
  readonly reason: string;
  /** Rewrites `podman` to kplay's expected view; returns whether the row applied to this pod. */
  readonly apply?: (pod: PodContext) => boolean;
  /** Whether the row explains this one-sided refusal (after asserting kplay's side). */
  readonly explains?: (c: RefusalContext) => boolean;
}

// ---- the table ---------------------------------------------------------------------------

export const DIFFERENCES: readonly Difference[] = [
  {
    id: "rest-pids-limit",
    reason:
      "kplay creates containers through libpod's REST API, which completes every spec with containers.conf's pids limit (2048) as `podman run` does; Podman 4.3's kube play skips that step. (The REST API's default env, TERM=xterm and container=podman, is unset by kplay: neither Kubernetes nor kube play has it.)",
    apply: (p) =>
      eachContainer(p, (_m, podman, kplay) => {
        for (const k of Object.keys(ENV_REST_DEFAULTS)) expect(kplay.env[k]).toBe(podman.env[k]);
        if (podman.resources.PidsLimit === undefined) podman.resources.PidsLimit = REST_PIDS_LIMIT;
        return true;
      }),
  },
  {
    id: "published-ports",
    reason:
      "Kubernetes publishes only ports with a hostPort, and none of a hostNetwork pod (its ports are the host's); kplay also publishes each httpGet/tcpSocket/grpc-probed port on a free 127.0.0.1 port for its own prober; Podman 4.3 publishes every containerPort on the same host port",
    apply: (p) => {
      const declared = new Set<string>();
      const probed = new Set<number>();
      for (const { c } of containersOf(p.manifest)) {
        const ports = arr(c.ports).map(obj);
        for (const port of ports) {
          if (!port.hostPort) continue;
          declared.add(
            `${port.hostPort}->${port.containerPort}/${String(port.protocol ?? "TCP").toLowerCase()}`,
          );
        }
        for (const probe of [c.startupProbe, c.readinessProbe, c.livenessProbe].map(obj)) {
          const raw = obj(probe.httpGet).port ?? obj(probe.tcpSocket).port ?? obj(probe.grpc).port;
          const named =
            typeof raw === "string" ? ports.find((x) => x.name === raw)?.containerPort : undefined;
          const port = typeof raw === "number" ? raw : named;
          if (typeof port === "number") probed.add(port);
        }
      }
      for (const d of declared)
        if (d.endsWith("/tcp")) probed.delete(Number(d.slice(d.indexOf(">") + 1, -4)));
      const unprefixed = (x: string) => x.slice(x.indexOf(":") + 1);
      const hostNetwork = spec(p.manifest).hostNetwork === true;
      const keep = hostNetwork ? [] : p.podman.ports.filter((x) => declared.has(unprefixed(x)));
      // The free port Podman picked for a probed port differs per play: compare it as `*`.
      const random = (x: string) =>
        /^127\.0\.0\.1:[0-9]+->/.test(x) && probed.has(Number(x.slice(x.indexOf(">") + 1, -4)));
      p.kplay.ports = p.kplay.ports
        .map((x) => (random(x) ? `127.0.0.1:*${x.slice(x.indexOf("->"))}` : x))
        .sort();
      const expected = [
        ...keep,
        ...(hostNetwork ? [] : [...probed].map((port) => `127.0.0.1:*->${port}/tcp`)),
      ].sort();
      const changed = JSON.stringify(expected) !== JSON.stringify(p.podman.ports);
      p.podman.ports = expected;
      return changed;
    },
  },
  {
    id: "variable-expansion",
    reason:
      "$(VAR) in env values, command and args is expanded as the kubelet does ($$ escapes, unknown names stay, env sees earlier entries only); Podman passes the text through",
    apply: (p) =>
      eachContainer(p, (m, podman) => {
        const env = arr(m.c.env).map(obj);
        if (
          ![
            ...env.map((e) => String(e.value ?? "")),
            ...arr(m.c.command).map(String),
            ...arr(m.c.args).map(String),
          ].some((s) => s.includes("$"))
        )
          return false;
        const defined: Record<string, string> = {};
        for (const e of env) {
          if (typeof e.value === "string" && e.value !== "")
            podman.env[String(e.name)] = defined[String(e.name)] = expandLikeKubernetes(
              e.value,
              defined,
            );
          else defined[String(e.name)] = podman.env[String(e.name)] ?? "";
        }
        podman.argv = podman.argv.map((a) => expandLikeKubernetes(a, defined));
        return true;
      }),
  },
  {
    id: "pod-uid",
    reason:
      "metadata.uid is the manifest's uid or a stable UUID derived from namespace and name, as Kubernetes gives every pod a UUID; Podman uses its pod ID",
    apply: (p) =>
      eachContainer(p, (m, podman, kplay) => {
        let applied = false;
        for (const e of arr(m.c.env).map(obj)) {
          if (obj(obj(obj(e).valueFrom).fieldRef).fieldPath !== "metadata.uid") continue;
          const name = String(e.name);
          expect(podman.env[name]).toMatch(/^[0-9a-f]{64}$/);
          expect(kplay.env[name]).toMatch(
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
          );
          podman.env[name] = kplay.env[name] as string;
          applied = true;
        }
        return applied;
      }),
  },
  {
    id: "field-paths",
    reason:
      "metadata.namespace, spec.nodeName, status.hostIP and a hostNetwork pod's status.podIP are downward API fields kplay supports; Podman 4.3 refuses them",
    explains: (c) => {
      const m = /fieldPath (\S+) is either not valid or not supported/.exec(c.podmanError ?? "");
      if (!m || !c.kplay) return false;
      for (const [podName, view] of Object.entries(c.kplay)) {
        const manifest = c.pods.find((p) => obj(p.metadata).name === podName) ?? {};
        for (const { c: container, name } of containersOf(manifest)) {
          for (const e of arr(container.env).map(obj)) {
            const path = obj(obj(e.valueFrom).fieldRef).fieldPath;
            const value = view.containers[name]?.env[String(e.name)];
            if (path === "metadata.namespace")
              expect(value).toBe(String(obj(manifest.metadata).namespace ?? "default"));
            if (path === "spec.nodeName") expect(value).toMatch(/^\S+$/);
            if (path === "status.hostIP" || path === "status.podIP")
              expect(value).toMatch(/^[0-9a-f.:]+$/);
          }
        }
      }
      return ["metadata.namespace", "spec.nodeName", "status.hostIP", "status.podIP"].includes(
        m[1] as string,
      );
    },
  },
  {
    id: "cpu-shares",
    reason:
      "requests.cpu (the limit when only a limit is set) sets cpu.shares = milliCPU x 1024 / 1000, at least 2, as the kubelet does; Podman 4.3 ignores CPU requests",
    apply: (p) =>
      eachContainer(p, (m, podman) => {
        const r = obj(m.c.resources);
        const milli = milliCPU(obj(r.requests).cpu ?? obj(r.limits).cpu);
        if (milli === undefined) return false;
        podman.resources.CpuShares = Math.max(2, Math.floor((milli * 1024) / 1000));
        return true;
      }),
  },
  {
    id: "cpu-quota-floor",
    reason:
      "A CPU limit below 10m gets the kubelet's smallest CFS quota, 1000 us per 100 ms; Podman 4.3 writes milliCPU x 100",
    apply: (p) =>
      eachContainer(p, (m, podman) => {
        const milli = milliCPU(obj(obj(m.c.resources).limits).cpu);
        if (milli === undefined || milli >= 10) return false;
        podman.resources.CpuQuota = 1000;
        return true;
      }),
  },
  {
    id: "fs-group",
    reason:
      "fsGroup is added to every container's supplementary groups, as the kubelet does; Podman 4.3 ignores fsGroup",
    apply: (p) => {
      const fsGroup = obj(spec(p.manifest).securityContext).fsGroup;
      if (fsGroup === undefined) return false;
      return eachContainer(p, (_m, podman) => {
        if (!podman.groups.includes(String(fsGroup))) podman.groups.push(String(fsGroup));
        return true;
      });
    },
  },
  {
    id: "exec-probe",
    reason:
      "An exec liveness probe's command runs as given (CMD), as in Kubernetes; Podman 4.3 joins it with spaces into a shell line (CMD-SHELL ... || exit 1), which breaks arguments with spaces",
    apply: (p) =>
      eachContainer(p, (m, podman) => {
        const exec = obj(obj(m.c.livenessProbe).exec);
        if (!Array.isArray(exec.command)) return false;
        obj(podman.healthcheck).Test = ["CMD", ...exec.command.map(String)];
        return true;
      }),
  },
  {
    id: "probe-failure-action",
    reason:
      "A failed liveness probe kills the container and the restart policy decides: restart for Always and OnFailure, kill for Never; Podman 4.3 acts only for Always",
    apply: (p) => {
      const policy = String(spec(p.manifest).restartPolicy ?? "Always");
      if (policy === "Always") return false;
      return eachContainer(p, (m, podman) => {
        if (!obj(obj(m.c.livenessProbe).exec).command) return false;
        podman.healthcheckOnFailure = policy === "Never" ? "kill" : "restart";
        return true;
      });
    },
  },
  {
    id: "startup-probe",
    reason:
      "A startup probe holds back liveness failures for its longest run (initialDelay + period x failureThreshold) as the healthcheck's start period, since Podman 4.3 has no startup healthcheck; Podman 4.3 ignores startup probes",
    apply: (p) =>
      eachContainer(p, (m, podman) => {
        const s = obj(m.c.startupProbe);
        const live = obj(m.c.livenessProbe);
        if (Object.keys(s).length === 0 || !obj(live.exec).command) return false;
        const window =
          Number(s.initialDelaySeconds ?? 0) +
          Number(s.periodSeconds ?? 10) * Number(s.failureThreshold ?? 3);
        obj(podman.healthcheck).StartPeriod =
          Math.max(Number(live.initialDelaySeconds ?? 0), window) * 1e9;
        return true;
      }),
  },
  {
    id: "network-probes",
    reason:
      "httpGet, tcpSocket and grpc probes are not Podman healthchecks: kplay records them in the plan for its own prober (images rarely carry curl or nc); Podman 4.3 turns them into curl/nc healthchecks",
    apply: (p) =>
      eachContainer(p, (m, podman) => {
        const live = obj(m.c.livenessProbe);
        if (Object.keys(live).length === 0 || live.exec) return false;
        podman.healthcheck = null;
        podman.healthcheckOnFailure = "none";
        return true;
      }),
  },
  {
    id: "host-network-uts",
    reason:
      "A hostNetwork pod also has the host's UTS namespace, hence the host's name (Kubernetes, and Podman >= 4.4); Podman 4.3 gives it a name of its own",
    apply: (p) => {
      if (spec(p.manifest).hostNetwork !== true) return false;
      expect(p.kplay.infra.uts).toBe("host");
      p.podman.hostname = "";
      p.podman.infra.uts = "host";
      eachContainer(p, (_m, podman, kplay) => {
        expect(kplay.namespaces.uts).toBe("host");
        podman.namespaces.uts = "host";
        // Inspect shows the container ID there; what runs has the host's name.
        podman.hostname = kplay.hostname;
        return true;
      });
      return true;
    },
  },
  {
    id: "host-pid",
    reason:
      "hostPID puts every container (and the infra) in the host's PID namespace; Podman 4.3 ignores hostPID (and does not pass a pod's PID namespace on to its containers)",
    apply: (p) => {
      if (spec(p.manifest).hostPID !== true) return false;
      p.podman.infra.pid = "host";
      eachContainer(p, (_m, podman) => {
        podman.namespaces.pid = "host";
        return true;
      });
      return true;
    },
  },
  {
    id: "host-ipc",
    reason:
      "hostIPC puts every container in the host's IPC namespace instead of the pod's; Podman 4.3 ignores hostIPC (its inspect shows a host IPC namespace as \"shareable\")",
    apply: (p) => {
      if (spec(p.manifest).hostIPC !== true) return false;
      p.podman.sharedNamespaces = p.podman.sharedNamespaces.filter((n) => n !== "ipc");
      eachContainer(p, (_m, podman) => {
        podman.namespaces.ipc = "shareable";
        return true;
      });
      return true;
    },
  },
  {
    id: "dns-none",
    reason:
      'dnsPolicy None inherits no search domains (Podman spells that "."); Podman 4.3 ignores dnsPolicy',
    apply: (p) => {
      const s = spec(p.manifest);
      if (s.dnsPolicy !== "None" || arr(obj(s.dnsConfig).searches).length > 0) return false;
      p.podman.dns.search = ["."];
      return true;
    },
  },
  {
    id: "grace-period",
    reason:
      "terminationGracePeriodSeconds is every container's stop timeout; Podman 4.3 ignores it (Podman >= 4.8 reads it)",
    apply: (p) => {
      const grace = spec(p.manifest).terminationGracePeriodSeconds;
      if (grace === undefined) return false;
      return eachContainer(p, (_m, podman) => {
        podman.stopTimeout = Number(grace);
        return true;
      });
    },
  },
  {
    id: "stop-signal",
    reason:
      "lifecycle.stopSignal is the container's stop signal; Podman 4.3 ignores it (later Podman reads it)",
    apply: (p) =>
      eachContainer(p, (m, podman, kplay) => {
        const signal = obj(m.c.lifecycle).stopSignal;
        if (signal === undefined) return false;
        if (signal === "SIGUSR1") expect(kplay.stopSignal).toBe(10);
        podman.stopSignal = kplay.stopSignal;
        return true;
      }),
  },
  {
    id: "stdin",
    reason: "stdin: true keeps the container's stdin open; Podman 4.3 ignores it",
    apply: (p) =>
      eachContainer(p, (m, podman) => {
        if (m.c.stdin !== true) return false;
        podman.stdin = true;
        return true;
      }),
  },
  {
    id: "init-restart-policy",
    reason:
      "Init containers run once per pod start (libpod's init_container_type) and have no restart policy; Podman 4.3 also gives them the pod's restart policy",
    apply: (p) =>
      eachContainer(p, (m, podman) => {
        if (!m.init) return false;
        podman.restartPolicy = "";
        return true;
      }),
  },
  {
    id: "native-sidecar",
    reason:
      "An init container with restartPolicy Always is a sidecar: a container that restarts always, beside the app containers; Podman 4.3 runs it as one more init container",
    apply: (p) =>
      eachContainer(p, (m, podman) => {
        if (!m.init || m.c.restartPolicy !== "Always") return false;
        podman.restartPolicy = "always";
        return true;
      }),
  },
  {
    id: "empty-dir-names",
    reason:
      "An emptyDir is a Podman volume named <pod>_<volume>, so two pods never share one and `down` finds it; Podman 4.3 names it after the volume alone",
    apply: (p) => {
      const emptyDirs = new Set(
        arr(spec(p.manifest).volumes)
          .map(obj)
          .filter((v) => v.emptyDir !== undefined)
          .map((v) => String(v.name)),
      );
      const pod = String(obj(p.manifest.metadata).name);
      return eachContainer(p, (_m, podman) => {
        let applied = false;
        for (const mount of podman.mounts) {
          if (mount.type !== "volume" || !emptyDirs.has(mount.source)) continue;
          mount.source = `${pod}_${mount.source}`;
          applied = true;
        }
        return applied;
      });
    },
  },
  {
    id: "relative-host-path",
    reason:
      "A relative hostPath resolves against the manifest's folder; Podman resolves it against its own working directory",
    apply: (p) => {
      const relative = arr(spec(p.manifest).volumes)
        .map(obj)
        .some(
          (v) =>
            typeof obj(v.hostPath).path === "string" &&
            !String(obj(v.hostPath).path).startsWith("/"),
        );
      if (!relative) return false;
      return eachContainer(p, (_m, podman, kplay) => {
        for (const mount of podman.mounts) {
          const theirs = kplay.mounts.find((k) => k.destination === mount.destination);
          if (mount.type === "bind" && theirs && theirs.source !== mount.source)
            mount.source = theirs.source;
        }
        return true;
      });
    },
  },
  {
    id: "device-host-path",
    reason:
      "A CharDevice or BlockDevice hostPath is bind-mounted as Kubernetes does (using it still needs the device cgroup's permission); Podman 4.3 adds it as a device",
    apply: (p) => {
      const devices = arr(spec(p.manifest).volumes)
        .map(obj)
        .filter((v) => ["CharDevice", "BlockDevice"].includes(String(obj(v.hostPath).type)));
      if (devices.length === 0) return false;
      return eachContainer(p, (m, podman) => {
        for (const vm of arr(m.c.volumeMounts).map(obj)) {
          const volume = devices.find((d) => d.name === vm.name);
          if (!volume) continue;
          const path = String(obj(volume.hostPath).path);
          podman.devices = podman.devices.filter((d) => d !== `${path}:${String(vm.mountPath)}`);
          podman.mounts.push({
            destination: String(vm.mountPath),
            type: "bind",
            rw: vm.readOnly !== true,
            source: path,
          });
          podman.mounts.sort((a, b) => (a.destination < b.destination ? -1 : 1));
        }
        return true;
      });
    },
  },
  {
    id: "claim-read-only",
    reason:
      "A persistentVolumeClaim with readOnly: true makes every mount of it read-only, as the kubelet does; Podman 4.3 mounts it read-write unless the volumeMount says readOnly",
    apply: (p) => {
      const readOnly = new Set(
        arr(spec(p.manifest).volumes)
          .map(obj)
          .filter((v) => obj(v.persistentVolumeClaim).readOnly === true)
          .map((v) => String(obj(v.persistentVolumeClaim).claimName)),
      );
      if (readOnly.size === 0) return false;
      return eachContainer(p, (_m, podman, kplay) => {
        let applied = false;
        for (const mount of podman.mounts) {
          if (mount.type !== "volume" || !readOnly.has(mount.source)) continue;
          const mine = kplay.mounts.find((k) => k.destination === mount.destination);
          expect(mine?.rw).toBe(false);
          if (mount.rw) applied = true;
          mount.rw = false;
        }
        return applied;
      });
    },
  },
  {
    id: "sub-path",
    reason:
      "subPath mounts that folder of the volume (created when missing, as the kubelet does); Podman 4.3 ignores subPath and mounts the whole volume. In a Podman volume (emptyDir, claim) only libpod >= 4.4 can mount a subPath, so on 4.3 kplay refuses the pod before creating anything instead of mounting the whole volume",
    explains: (c) =>
      c.podmanError === undefined &&
      /subPath in an emptyDir or claim volume needs Podman 4\.4\.0 or newer/.test(
        c.kplayError ?? "",
      ) &&
      /nothing had been created/.test(c.kplayError ?? ""),
    apply: (p) =>
      eachContainer(p, (m, podman) => {
        let applied = false;
        for (const vm of arr(m.c.volumeMounts).map(obj)) {
          if (!vm.subPath) continue;
          const mount = podman.mounts.find((x) => x.destination === vm.mountPath);
          if (mount?.type === "bind") mount.source = `${mount.source}/${String(vm.subPath)}`;
          applied = true;
        }
        return applied;
      }),
  },
  {
    id: "podman-annotations",
    reason:
      "Podman's annotations ulimit, infra.name and per-container pids-limit, autoremove, init and volumes-from are read as Podman >= 4.4 reads them; Podman 4.3 ignores them",
    apply: (p) => {
      const a = annotations(p.manifest);
      const pod = String(obj(p.manifest.metadata).name);
      const P = "io.podman.annotations.";
      let applied = false;
      if (a[`${P}infra.name`]) {
        p.podman.infra.name = a[`${P}infra.name`] as string;
        applied = true;
      }
      eachContainer(p, (m, podman, kplay) => {
        const own = (key: string) => a[`${P}${key}/${m.name}`];
        if (a[`${P}ulimit`]) {
          podman.ulimits = kplay.ulimits;
          expect(kplay.ulimits.join(",")).toContain("RLIMIT_NOFILE=1024:2048");
          applied = true;
        }
        if (own("pids-limit")) podman.resources.PidsLimit = Number(own("pids-limit"));
        if (own("autoremove") === "true") podman.autoRemove = true;
        if (own("init") === "true") {
          podman.init = true;
          expect(kplay.argv[0]).toBe("/run/podman-init");
          podman.argv = kplay.argv;
          podman.annotations[`${P}init`] = "TRUE";
        }
        if (own("autoremove") === "true") podman.annotations[`${P}autoremove`] = "TRUE";
        const from = own("volumes-from");
        if (from) {
          // The fixture names containers of the same pod, which Podman prefixes with the pod name.
          const names = from.split(";").map((s) => `${pod}-${s}`);
          podman.volumesFrom = names;
          podman.annotations[`${P}volumes-from`] = names.join(";");
          // The volumes of the source container, mounted read-only as the annotation asks.
          for (const mount of kplay.mounts)
            if (!podman.mounts.some((x) => x.destination === mount.destination))
              podman.mounts.push(mount);
        }
        if (own("pids-limit") || own("autoremove") || own("init") || from) applied = true;
        return true;
      });
      return applied;
    },
  },
  {
    id: "user-namespace",
    reason:
      'hostUsers: false and io.podman.annotations.userns (read as Podman >= 4.4 reads it) give the pod an automatic user namespace, which needs subordinate IDs for user "containers"; these machines have none, so Podman refuses where it honours the setting',
    explains: (c) => {
      const env = /could not find enough available IDs|no subuid ranges/;
      const userns = c.pods.some(
        (p) =>
          spec(p).hostUsers === false ||
          Object.keys(annotations(p)).some((k) => k.startsWith("io.podman.annotations.userns")),
      );
      return (
        userns &&
        env.test(c.kplayError ?? "") &&
        (c.podmanError === undefined || env.test(c.podmanError))
      );
    },
  },
  {
    id: "validation",
    reason:
      "kplay refuses what the Kubernetes API server refuses (missing fields, invalid names and enums, unknown fields, out-of-range numbers, fields that exclude each other such as procMount Unmasked without hostUsers: false, sysctls that would change the host); Podman 4.3 accepts such manifests",
    explains: (c) =>
      c.podmanError === undefined &&
      /error\[(missing-field|bad-name|bad-enum|unknown-field|type-mismatch|conflicting-fields|forbidden-field|number-range|probe-handler|env-source|bad-resource|request-limit-mismatch|bad-ip|dns-config|bad-image|bad-selector|bad-label|bad-path|host-network-port)\]|Sysctl "[^"]+" cannot be set in a host/.test(
        c.kplayError ?? "",
      ),
  },
  {
    id: "not-yet-supported",
    reason:
      "Fields kplay does not translate yet (pod-level resources, ephemeral containers, restartPolicyRules, ...) are refused with unsupported-field rather than silently dropped",
    explains: (c) =>
      c.podmanError === undefined && /error\[unsupported-field\]/.test(c.kplayError ?? ""),
  },
  {
    id: "seccomp-profile",
    reason:
      "kplay applies seccompProfile (Podman 4.3 ignores the field), so a Localhost profile must exist under /var/lib/kubelet/seccomp, as the kubelet requires",
    explains: (c) =>
      c.podmanError === undefined &&
      /opening seccomp profile failed: open \/var\/lib\/kubelet\/seccomp\//.test(
        c.kplayError ?? "",
      ),
  },
];
