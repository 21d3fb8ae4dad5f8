/**
 * `kplay completion bash|zsh|fish`: a shell completion script, generated from the command
 * table itself so it never drifts from `kplay --help`. Commands, their flags, the values of
 * the flags that have a fixed set, and file names for the rest.
 */
import { type CliIo, EXIT_OK, UsageError } from "../io.ts";

export interface CompletionOption {
  /** Every spelling: `-o`, `--output`. */
  readonly names: readonly string[];
  readonly takesValue: boolean;
  readonly description: string;
}

export interface CompletionCommand {
  readonly name: string;
  readonly description: string;
  readonly options: readonly CompletionOption[];
}

export interface CompletionSpec {
  readonly commands: readonly CompletionCommand[];
  readonly global: readonly CompletionOption[];
}

/** Flag values with a fixed set, and the words some commands take. */
const VALUES: Record<string, readonly string[]> = {
  "--output": ["table", "json", "yaml"],
  "-o": ["table", "json", "yaml"],
  "--start": ["true", "false"],
};
const WORDS: Record<string, readonly string[]> = {
  completion: ["bash", "zsh", "fish"],
  ps: ["workloads", "deployments", "statefulsets", "daemonsets", "replicasets", "jobs", "cronjobs"],
};

const SHELLS = ["bash", "zsh", "fish"] as const;

const words = (list: readonly string[]) => [...new Set(list)].join(" ");

function bash(spec: CompletionSpec): string {
  const valued = [...spec.global, ...spec.commands.flatMap((c) => c.options)]
    .filter((o) => o.takesValue)
    .flatMap((o) => o.names);
  const perCommand = spec.commands
    .map((c) => {
      const opts = words(c.options.flatMap((o) => o.names));
      const extra = WORDS[c.name] ? `; words="${words(WORDS[c.name] ?? [])}"` : "";
      return `    ${c.name}) opts="${opts}"${extra} ;;`;
    })
    .join("\n");
  const values = Object.entries(VALUES)
    .map(([flag, v]) => `    ${flag}) COMPREPLY=($(compgen -W "${words(v)}" -- "$cur")); return ;;`)
    .join("\n");
  return `# kplay completion for bash. Load it with:  source <(kplay completion bash)
_kplay() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local cmd="" opts="" words="" i skip=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    local w="\${COMP_WORDS[i]}"
    if [[ -n "$skip" ]]; then skip=""; continue; fi
    case " ${words(valued)} " in *" $w "*) skip=1; continue ;; esac
    case "$w" in -*) ;; *) cmd="$w"; break ;; esac
  done
  case "$prev" in
${values}
  esac
  case " ${words(valued)} " in *" $prev "*) COMPREPLY=($(compgen -f -- "$cur")); return ;; esac
  if [[ -z "$cmd" ]]; then
    if [[ "$cur" == -* ]]; then
      COMPREPLY=($(compgen -W "${words(spec.global.flatMap((o) => o.names))}" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "${words(spec.commands.map((c) => c.name))}" -- "$cur"))
    fi
    return
  fi
  case "$cmd" in
${perCommand}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts ${words(spec.global.flatMap((o) => o.names))}" -- "$cur"))
  elif [[ -n "$words" ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o default -o bashdefault -F _kplay kplay
`;
}

function zsh(spec: CompletionSpec): string {
  // zsh runs bash completion functions through bashcompinit: one script to keep right.
  return `#compdef kplay
# kplay completion for zsh. Load it with:  source <(kplay completion zsh)
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
${bash(spec).split("\n").slice(1).join("\n")}`;
}

const fishQuote = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

function fishOption(o: CompletionOption, condition: string): string {
  const parts = o.names.map((n) => (n.startsWith("--") ? `-l ${n.slice(2)}` : `-s ${n.slice(1)}`));
  const values = VALUES[o.names.find((n) => n.startsWith("--")) ?? ""] ?? [];
  const value = o.takesValue ? (values.length ? ` -x -a ${fishQuote(words(values))}` : " -r") : "";
  return `complete -c kplay${condition} ${parts.join(" ")}${value} -d ${fishQuote(o.description)}`;
}

function fish(spec: CompletionSpec): string {
  const names = words(spec.commands.map((c) => c.name));
  const lines = [
    "# kplay completion for fish. Load it with:  kplay completion fish | source",
    "complete -c kplay -f",
    ...spec.commands.map(
      (c) =>
        `complete -c kplay -n "not __fish_seen_subcommand_from ${names}" -a ${c.name} -d ${fishQuote(c.description)}`,
    ),
    ...spec.global.map((o) => fishOption(o, "")),
    ...spec.commands.flatMap((c) => {
      const cond = ` -n "__fish_seen_subcommand_from ${c.name}"`;
      const extra = WORDS[c.name];
      return [
        ...c.options.map((o) => fishOption(o, cond)),
        extra
          ? `complete -c kplay${cond} -a ${fishQuote(words(extra))}`
          : `complete -c kplay${cond} -F`,
      ];
    }),
  ];
  return `${lines.join("\n")}\n`;
}

/** `kplay completion SHELL`. */
export function runCompletion(io: CliIo, shell: string, spec: CompletionSpec): number {
  if (!(SHELLS as readonly string[]).includes(shell))
    throw new UsageError(`kplay completion takes bash, zsh or fish, not "${shell}"`);
  const text = shell === "bash" ? bash(spec) : shell === "zsh" ? zsh(spec) : fish(spec);
  io.stdout(text);
  return EXIT_OK;
}
