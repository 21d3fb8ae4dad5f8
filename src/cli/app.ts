import { cac } from "cac";
import { isIp } from "../manifest/ip.ts";
import { checkDns1123Label } from "../manifest/names.ts";
import { own } from "../manifest/own.ts";
import { DEFAULT_WAIT_MS, parseDuration } from "./duration.ts";
import { describeFailure } from "./failure.ts";
import { type CliIo, EXIT_OK, EXIT_USAGE, UsageError } from "./io.ts";
import { loadYamlPrinter, parseFormat } from "./render.ts";

type Options = Record<string, unknown>;

const NAMESPACE = 'The namespace of objects that name none (default "default")';

const RECURSIVE =
  "Also read the sub-folders of folder arguments (a folder gives its *.yaml, *.yml and *.json files)";

/** Reads a boolean flag that may arrive as `--x`, `--no-x`, `--x=false` or `--x=true`. */
function bool(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  throw new UsageError(`Expected true or false, got "${String(value)}"`);
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === true || value === false) return undefined;
  return String(value);
}

/**
 * cac 7 declares a boolean flag to mri under its camelCase name only, so a dashed one
 * (`--keep-on-error FILE`) is not known as boolean and takes the next word as its value.
 */
const DASHED_BOOLEANS = new Set(["--keep-on-error"]);

/**
 * mri (inside cac) reads a lone `-` as an option with an empty name: it is dropped, and the
 * word after it is taken as that option's value. It stands for stdin, so it travels under a
 * name mri leaves alone and is turned back into `-` by `files()`.
 */
const STDIN_ARG = "\u0000stdin";

/**
 * Flags with an optional value (`--wait[=DURATION]`, `--start[=BOOL]`): mri gives them the
 * next word whatever it is, so `play --wait pod.yaml` would wait for "pod.yaml". The next
 * word is theirs only when it is a value of theirs.
 */
const OPTIONAL_VALUES: Record<string, (word: string) => boolean> = {
  "--wait": (w) => /^(\d+(\.\d+)?(ms|s|m|h))+$|^\d+$/.test(w),
  "--start": (w) => w === "true" || w === "false",
};

/**
 * Rewrites the words mri would misread, up to a `--`: dashed boolean flags and optional-value
 * flags not followed by a value get an explicit one, and a lone `-` is hidden from mri.
 */
function forMri(args: readonly string[]): string[] {
  const end = args.indexOf("--");
  return args.map((a, i) => {
    if (end >= 0 && i >= end) return a;
    if (DASHED_BOOLEANS.has(a)) return `${a}=true`;
    const accepts = own(OPTIONAL_VALUES, a);
    const next = args[i + 1];
    if (accepts && (next === undefined || next === "--" || !accepts(next))) return `${a}=true`;
    return a === "-" ? STDIN_ARG : a;
  });
}

/** `-n NAMESPACE`, checked as the API server checks namespace names. */
function namespaceOf(o: Options): { namespace?: string } {
  const ns = str(o.namespace);
  if (ns === undefined) return {};
  const problem = checkDns1123Label(ns);
  if (problem) throw new UsageError(`-n "${ns}" is not a valid namespace: ${problem}`);
  return { namespace: ns };
}

/** `--address`: where NodePort and LoadBalancer Services are published on the host. */
function addressOf(o: Options): { serviceAddress?: string } {
  const address = str(o.address);
  if (address === undefined) return {};
  if (!isIp(address))
    throw new UsageError(`--address "${address}" is not an IP address (e.g. 127.0.0.1 or 0.0.0.0)`);
  return { serviceAddress: address };
}

/** The file arguments as the user wrote them (`-` for stdin). */
function files(list: readonly string[]): string[] {
  return list.map((f) => (f === STDIN_ARG ? "-" : f));
}

/**
 * Runs one kplay command line and returns its exit code. Prints only through `io`; never
 * exits the process and never lets an error escape as a stack trace.
 */
export async function runCli(
  args: readonly string[],
  io: CliIo,
  now: () => number = Date.now,
): Promise<number> {
  const cli = cac("kplay");
  let result: Promise<number> | number | undefined;
  const common = (o: Options) => ({
    url: str(o.url),
    connection: str(o.connection),
    output: parseFormat(o.output),
    debug: bool(o.debug, false),
    quiet: bool(o.quiet, false),
    strict: bool(o.strict, false),
  });
  const withUrl = <T extends { url: string | undefined; connection: string | undefined }>(o: T) => {
    const { url, connection, ...rest } = o;
    return {
      ...rest,
      ...(url === undefined ? {} : { url }),
      ...(connection === undefined ? {} : { connection }),
    };
  };

  cli
    .option(
      "--url <url>",
      "Podman API address: unix:///path or tcp://host:port (default: CONTAINER_HOST, then the usual sockets)",
    )
    .option(
      "--connection <name>",
      "A Podman connection by name (podman system connection list; default: CONTAINER_CONNECTION, then Podman's default)",
    )
    .option("-o, --output <format>", "Output format where the output is data: table, json or yaml")
    .option("--debug", "Show internal details of unexpected errors");

  cli
    .command("play [...files]", "Create and start the pods the files describe (- reads stdin)")
    .option("--start [bool]", "Start the pods after creating them (--start=false: create only)", {
      default: true,
    })
    .option("--replace", "Remove an existing pod of the same name first")
    .option("--keep-on-error", "Keep what was created when a step fails (for debugging)")
    .option(
      "--infra-image <image>",
      "Image for the infra (pause) container (default: Podman's own)",
    )
    .option(
      "--address <ip>",
      "Host address for NodePort and LoadBalancer Services (default 127.0.0.1)",
    )
    .option(
      "--wait [duration]",
      "Wait until every container runs and is ready (default 2m; e.g. 90s)",
    )
    .option("--strict", "Treat warnings (ignored fields) as errors")
    .option("-R, --recursive", RECURSIVE)
    .option("-n, --namespace <namespace>", NAMESPACE)
    .option("-q, --quiet", "Print nothing on success")
    .action(async (args: string[], o: Options) => {
      const c = common(o);
      const infra = str(o.infraImage);
      const wait =
        o.wait === undefined || o.wait === false
          ? undefined
          : o.wait === true || o.wait === "true"
            ? DEFAULT_WAIT_MS
            : parseDuration(String(o.wait));
      const start = bool(o.start, true);
      if (wait !== undefined && !start) {
        throw new UsageError("--wait needs the pods started; drop --start=false or --wait");
      }
      result = (await import("./commands/play.ts")).runPlay(io, files(args), {
        ...withUrl(c),
        start,
        replace: bool(o.replace, false),
        keepOnError: bool(o.keepOnError, false),
        recursive: bool(o.recursive, false),
        ...namespaceOf(o),
        ...(infra ? { infraImage: infra } : {}),
        ...addressOf(o),
        ...(wait === undefined ? {} : { waitMs: wait }),
      });
    });

  cli
    .command(
      "up [...files]",
      "Play the files and stay as their controller until Ctrl-C: logs, recreated pods, liveness probes, CronJobs, converge on save",
    )
    .option(
      "--keep",
      "Leave everything running on Ctrl-C (default: remove what the files describe)",
    )
    .option("--no-log-prefix", "Print container log lines without the pod/container prefix")
    .option("--quiet-logs", "Show no container logs, only what kplay does")
    .option(
      "--infra-image <image>",
      "Image for the infra (pause) container (default: Podman's own)",
    )
    .option(
      "--address <ip>",
      "Host address for NodePort and LoadBalancer Services (default 127.0.0.1)",
    )
    .option("--wait <duration>", "How long the first play may take to get ready (default 2m)")
    .option("--strict", "Treat warnings (ignored fields) as errors")
    .option("-R, --recursive", RECURSIVE)
    .option("-n, --namespace <namespace>", NAMESPACE)
    .option("-q, --quiet", "Print no table for the first play")
    .action(async (args: string[], o: Options) => {
      const infra = str(o.infraImage);
      const wait = str(o.wait);
      const list = files(args);
      if (list.length === 0) throw new UsageError("kplay up needs at least one file");
      if (list.includes("-"))
        throw new UsageError(
          "kplay up watches its files, so it cannot read stdin (-): give a file",
        );
      result = (await import("./commands/up.ts")).runUp(io, list, {
        ...withUrl(common(o)),
        start: true,
        replace: false,
        keepOnError: false,
        recursive: bool(o.recursive, false),
        ...namespaceOf(o),
        ...(infra ? { infraImage: infra } : {}),
        ...addressOf(o),
        ...(wait === undefined ? {} : { waitMs: parseDuration(wait) }),
        keep: bool(o.keep, false),
        logPrefix: bool(o.logPrefix, true),
        quietLogs: bool(o.quietLogs, false),
      });
    });

  cli
    .command("down [...files]", "Stop and remove the pods the files describe")
    .option("--volumes", "Also remove the volumes kplay created for persistentVolumeClaims")
    .option("--strict", "Treat warnings as errors")
    .option("-R, --recursive", RECURSIVE)
    .option("-n, --namespace <namespace>", NAMESPACE)
    .option("-q, --quiet", "Print nothing on success")
    .action(async (args: string[], o: Options) => {
      result = (await import("./commands/down.ts")).runDown(io, files(args), {
        ...withUrl(common(o)),
        volumes: bool(o.volumes, false),
        recursive: bool(o.recursive, false),
        ...namespaceOf(o),
      });
    });

  cli
    .command(
      "plan [...files]",
      "Print the libpod requests play would send, as JSON, without contacting Podman",
    )
    .option("--start [bool]", "Include the start step", { default: true })
    .option("--infra-image <image>", "Image for the infra (pause) container")
    .option(
      "--address <ip>",
      "Host address for NodePort and LoadBalancer Services (default 127.0.0.1)",
    )
    .option("--strict", "Treat warnings as errors")
    .option("-R, --recursive", RECURSIVE)
    .option("-n, --namespace <namespace>", NAMESPACE)
    .action(async (args: string[], o: Options) => {
      const infra = str(o.infraImage);
      result = (await import("./commands/plan.ts")).runPlan(io, files(args), {
        strict: bool(o.strict, false),
        recursive: bool(o.recursive, false),
        ...namespaceOf(o),
        start: bool(o.start, true),
        ...(infra ? { infraImage: infra } : {}),
        ...addressOf(o),
      });
    });

  cli
    .command("validate [...files]", "Check the files; print diagnostics, or nothing and exit 0")
    .option("--strict", "Treat warnings as errors")
    .option("-R, --recursive", RECURSIVE)
    .option("-n, --namespace <namespace>", NAMESPACE)
    .action(async (args: string[], o: Options) => {
      result = (await import("./commands/validate.ts")).runValidate(io, files(args), {
        strict: bool(o.strict, false),
        recursive: bool(o.recursive, false),
        ...namespaceOf(o),
        output: parseFormat(o.output),
      });
    });

  cli
    .command(
      "logs [pod]",
      "Print containers' logs: POD, KIND/NAME (deployment/web) for one of its pods, or -l SELECTOR",
    )
    .option("-c, --container <name>", "The container (its Kubernetes name)")
    .option("-n, --namespace <namespace>", 'The namespace of a KIND/NAME or -l (default "default")')
    .option("-l, --selector <selector>", "Every pod whose labels match (k=v,k!=v,k in (a,b),!k)")
    .option("--all-containers", "Every container of the pod, init containers first")
    .option("--prefix", "Start each line with [pod/NAME/CONTAINER] (default with -l)")
    .option("-f, --follow", "Keep printing new lines until interrupted")
    .option("--tail <n>", "Only the last N lines of each container (-l: 10 unless given; -1: all)")
    .option("--since <duration>", "Only lines newer than this (e.g. 30s, 5m, 1h)")
    .option("--timestamps", "Start each line with the time Podman logged it")
    .option("-p, --previous", "What the container wrote before its current run (its restarts)")
    .action(async (pod: string | undefined, o: Options) => {
      const container = str(o.container);
      const tail = str(o.tail);
      if (tail !== undefined && !/^(\d+|-1)$/.test(tail))
        throw new UsageError(`--tail takes a whole number, got "${tail}"`);
      const selectorText = str(o.selector);
      if (o.selector !== undefined && selectorText === undefined)
        throw new UsageError("-l takes a selector, e.g. -l app=web");
      if (selectorText !== undefined && pod !== undefined)
        throw new UsageError(
          `Give a pod or -l SELECTOR, not both ("${pod}" and -l ${selectorText})`,
        );
      if (selectorText === undefined && pod === undefined)
        throw new UsageError("logs needs a POD, a KIND/NAME or -l SELECTOR");
      const allContainers = bool(o.allContainers, false);
      if (allContainers && container !== undefined)
        throw new UsageError("Give -c CONTAINER or --all-containers, not both");
      const since = str(o.since);
      const { parseSelector } = await import("./selector.ts");
      const parsed = selectorText === undefined ? undefined : parseSelector(selectorText);
      if (parsed && "error" in parsed) throw new UsageError(parsed.error);
      const url = str(o.url);
      result = (await import("./commands/logs.ts")).runLogs(io, pod, {
        ...(url === undefined ? {} : { url }),
        ...namespaceOf(o),
        debug: bool(o.debug, false),
        follow: bool(o.follow, false),
        ...(container ? { container } : {}),
        ...(tail !== undefined ? { tail: Number(tail) } : {}),
        ...(parsed ? { selector: parsed.selector } : {}),
        allContainers,
        ...(o.prefix === undefined ? {} : { prefix: bool(o.prefix, false) }),
        ...(since === undefined ? {} : { sinceMs: parseDuration(since) }),
        timestamps: bool(o.timestamps, false),
        previous: bool(o.previous, false),
      });
    });

  cli
    .command(
      "exec <pod> [...words]",
      "Run a command in a container: kplay exec POD|KIND/NAME [-c C] [-i] [-t] -- CMD…",
    )
    .option("-c, --container <name>", "The container (its Kubernetes name)")
    .option("-n, --namespace <namespace>", 'The namespace of the pod (default "default")')
    .option("-i, --stdin", "Pass stdin to the command")
    .option("-t, --tty", "Give the command a TTY (with -i: an interactive shell)")
    .action(async (pod: string, words: string[], o: Options) => {
      const cmd = Array.isArray(o["--"]) ? (o["--"] as unknown[]).map(String) : [];
      if (words.length > 0)
        throw new UsageError(
          `exec takes the command after --: kplay exec ${pod} -- ${words.join(" ")}`,
        );
      if (cmd.length === 0)
        throw new UsageError(`exec needs a command after --: kplay exec ${pod} -- sh`);
      const container = str(o.container);
      result = (await import("./commands/exec.ts")).runExec(io, pod, cmd, {
        ...withUrl(common(o)),
        ...namespaceOf(o),
        ...(container ? { container } : {}),
        stdin: bool(o.stdin, false),
        tty: bool(o.tty, false),
      });
    });

  cli
    .command(
      "restart <target>",
      "Restart pod/NAME's containers in place, or a workload's pods one at a time (deployment/web)",
    )
    .option("-n, --namespace <namespace>", 'The namespace of the target (default "default")')
    .option("--timeout <duration>", "How long each pod may take to run and be ready (default 10m)")
    .action(async (target: string, o: Options) => {
      const timeout = str(o.timeout);
      result = (await import("./commands/restart.ts")).runRestart(io, target, {
        ...withUrl(common(o)),
        ...namespaceOf(o),
        timeoutMs: timeout === undefined ? 600_000 : parseDuration(timeout),
      });
    });

  cli
    .command(
      "port-forward <target> [...ports]",
      "Reach a pod's port from this host until Ctrl-C: svc/NAME, pod/NAME or KIND/NAME, then [LOCAL:]REMOTE",
    )
    .option("-n, --namespace <namespace>", 'The namespace of the target (default "default")')
    .option("--address <ip>", "The host address to listen on (default 127.0.0.1)")
    .action(async (target: string, ports: string[], o: Options) => {
      const url = str(o.url);
      const address = addressOf(o).serviceAddress;
      result = (await import("./commands/port-forward.ts")).runPortForward(io, target, ports, {
        ...(url === undefined ? {} : { url }),
        ...namespaceOf(o),
        ...(address ? { address } : {}),
        debug: bool(o.debug, false),
      });
    });

  cli
    .command(
      "ps [what]",
      "List the pods kplay created; `ps workloads` (or deployments, statefulsets, jobs…) lists their owners",
    )
    .action(async (what: string | undefined, o: Options) => {
      result = (await import("./commands/ps.ts")).runPs(
        io,
        { ...withUrl(common(o)), ...(what ? { what } : {}) },
        now(),
      );
    });

  cli
    .command("version", "Show kplay's version, commit and build, and Podman's")
    .option("--client", "Only kplay's own; do not contact Podman")
    .action(async (o: Options) => {
      result = (await import("./commands/version.ts")).runVersion(io, {
        ...withUrl(common(o)),
        client: bool(o.client, false),
      });
    });

  cli
    .command(
      "doctor",
      "Say what kplay found (Podman, its API, rootless, cgroups, network and DNS, ports, registries) and how to fix what is wrong",
    )
    .option("--no-registries", "Do not probe the registries Podman searches for short image names")
    .action(async (o: Options) => {
      result = (await import("./commands/doctor.ts")).runDoctor(io, {
        ...withUrl(common(o)),
        registries: bool(o.registries, true),
      });
    });

  cli
    .command("completion <shell>", "Print a completion script for bash, zsh or fish")
    .example("source <(kplay completion bash)")
    .action(async (shell: string) => {
      const spelling = (raw: string) =>
        raw
          .split(",")
          .map((part) => part.trim().split(" ")[0] ?? "")
          .filter((n) => n.startsWith("-"));
      const option = (o: { rawName: string; description: string }) => ({
        names: spelling(o.rawName),
        takesValue: /[<[]/.test(o.rawName),
        description: o.description,
      });
      result = (await import("./commands/completion.ts")).runCompletion(io, shell, {
        commands: cli.commands.map((c) => ({
          name: c.name,
          description: c.description,
          options: c.options.map(option),
        })),
        global: cli.globalCommand.options.map(option),
      });
    });

  cli.help();
  // Not cac's cli.version(): it prints no commit, and under Bun names Node's version as Bun's.
  cli.option("--version", "Show kplay's version, commit and build (as version --client)");

  try {
    const parsed = cli.parse(["kplay", "kplay", ...forMri(args)], { run: false });
    if (parsed.options.help) return EXIT_OK;
    if (parsed.options.version)
      return await (await import("./commands/version.ts")).runVersion(io, {
        output: "table",
        client: true,
      });
    if (!cli.matchedCommand) {
      const what = args[0] === undefined ? "No command given" : `Unknown command "${args[0]}"`;
      throw new UsageError(`${what}; run kplay --help for the list`);
    }
    if (parsed.options.output === "yaml") await loadYamlPrinter();
    await cli.runMatchedCommand();
    return await (result ?? EXIT_OK);
  } catch (e) {
    const usage =
      (e as { name?: string }).name === "CACError" ? new UsageError((e as Error).message) : e;
    const failure = describeFailure(usage, args.includes("--debug"));
    io.stderr(failure.text);
    return usage instanceof UsageError ? EXIT_USAGE : failure.code;
  }
}
