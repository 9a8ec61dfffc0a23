// Runs a command with its output relayed line by line, each line prefixed (several runners
// share one terminal in scripts/test.mjs and scripts/e2e.mjs). Resolves to the exit code.
import { spawn } from "node:child_process";

export function runPrefixed(prefix, command, args, { cwd, env = process.env } = {}) {
  const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const relay = (stream, to) => {
    let rest = "";
    stream.on("data", (d) => {
      const lines = (rest + d).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) to.write(`${prefix}${line}\n`);
    });
    stream.on("end", () => rest && to.write(`${prefix}${rest}\n`));
  };
  relay(child.stdout, process.stdout);
  relay(child.stderr, process.stderr);
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
}
