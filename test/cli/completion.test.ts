/**
 * `kplay completion`: the scripts are generated from the command table, and the bash one
 * completes what a user types (driven through bash's own completion variables).
 */
import { describe, expect, test } from "bun:test";
import { runKplay } from "../support/kplay.ts";
import { runCommand } from "../support/process.ts";

async function complete(line: string[]): Promise<string[]> {
  const script = (await runKplay(["completion", "bash"])).stdout;
  const words = line.map((w) => `'${w}'`).join(" ");
  const run = await runCommand(
    [
      "bash",
      "-c",
      `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; _kplay; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { cwd: "/" },
  );
  expect(run.stderr).toBe("");
  return run.stdout
    .split("\n")
    .filter((l) => l !== "")
    .sort();
}

describe("bash", () => {
  test("commands, and a command's flags with the global ones", async () => {
    expect(await complete(["kplay", "p"])).toEqual(["plan", "play", "port-forward", "ps"]);
    expect(await complete(["kplay", "play", "--st"])).toEqual(["--start", "--strict"]);
    expect(await complete(["kplay", "doctor", "--"])).toContain("--no-registries");
    expect(await complete(["kplay", "doctor", "--"])).toContain("--connection");
  });

  test("a flag's value is not taken for the command; fixed values are offered", async () => {
    expect(await complete(["kplay", "--connection", "prod", "d"])).toEqual(["doctor", "down"]);
    expect(await complete(["kplay", "ps", "-o", ""])).toEqual(["json", "table", "yaml"]);
    expect(await complete(["kplay", "completion", ""])).toEqual(["bash", "fish", "zsh"]);
    expect(await complete(["kplay", "ps", "dep"])).toEqual(["deployments"]);
  });
});

for (const shell of ["zsh", "fish"] as const) {
  const has = Bun.which(shell) !== null;
  (has ? test : test.skip)(
    `${shell}: the script parses${has ? "" : ` (${shell} is not installed here)`}`,
    async () => {
      const script = (await runKplay(["completion", shell])).stdout;
      const run = await runCommand([shell, "-n", "-c", script], {});
      expect(run.stderr).toBe("");
      expect(run.exitCode).toBe(0);
    },
  );
}

test("fish names every command with its description", async () => {
  const run = await runKplay(["completion", "fish"]);
  expect(run.exitCode).toBe(0);
  expect(run.stdout).toContain(`-a doctor -d 'Say what kplay found`);
  expect(run.stdout).toContain("-l connection -r");
  expect(run.stdout).toContain("-s o -l output -x -a 'table json yaml'");
});

test("another shell is a usage error", async () => {
  expect(await runKplay(["completion", "powershell"])).toEqual({
    stdout: "",
    stderr: 'kplay: kplay completion takes bash, zsh or fish, not "powershell"\n',
    exitCode: 2,
  });
});
