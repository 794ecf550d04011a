import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT, childEnv, startNode, type LocalNode } from "../helpers/node";

/** The shell lines of the README's "Deploying" section, in order. */
function readmeCommands(): string[] {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Deploying\n"), readme.indexOf("## Keeper\n"));
  const lines: string[] = [];
  for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split("\n")) if (line.trim()) lines.push(line);
  }
  return lines;
}

/** The sample output the README shows for `npm run status`: the text block after the command's block. */
function readmeStatusSample(): string {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const at = readme.indexOf("npm run status -- --network localhost\n```\n\n```text\n");
  expect(at, "the README shows status output after its command").to.be.greaterThan(0);
  const start = readme.indexOf("```text\n", at) + "```text\n".length;
  return readme.slice(start, readme.indexOf("```", start));
}

/**
 * What may differ between two runs of the same commands: the wall-clock time a local node starts at
 * (every date), the seconds the commands take (an age or a wait in its smaller units), and so the
 * table's column widths. Ages and waits keep their largest unit — a NAV two days old must still read
 * "2 d", a wait of a day "23 h" — and everything else (amounts, addresses, names, the plan, reasons,
 * roles) must be equal.
 */
export function comparableStatus(text: string): string[] {
  return text
    .split("\n")
    .map((line) =>
      line
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, "<date>")
        .replace(/\b(\d+ (?:d|h|min|s))(?: \d+ (?:h|min|s))+\b/g, "$1")
        .replace(/[─┌┐└┘├┤┬┴┼]+/g, "-")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .filter(Boolean);
}

/**
 * Every command of the README's deployment and role-action examples, run as written (with `npm run`)
 * against a local node, in a directory of its own so the records and payloads land there.
 */
describe("the README's deployment commands run as written", function () {
  this.timeout(600_000);
  let node: LocalNode;
  let cwd: string;

  before(async function () {
    node = await startNode();
    cwd = mkdtempSync(path.join(tmpdir(), "rr-readme-"));
    for (const entry of [
      "node_modules",
      "scripts",
      "src",
      "contracts",
      "artifacts",
      "cache",
      "typechain-types",
      "deploy",
      "hardhat.config.ts",
      "tsconfig.json",
      "package.json",
    ]) {
      symlinkSync(path.join(ROOT, entry), path.join(cwd, entry));
    }
  });

  after(function () {
    node?.stop();
  });

  it("each line exits 0, in order", async function () {
    const lines = readmeCommands();
    expect(lines.length, "the README shows the commands").to.be.greaterThan(10);
    const vars: Record<string, string> = {};
    const ran: string[] = [];
    let statusOutput: string | undefined;
    for (const raw of lines) {
      const line = raw.replace(/\s+#.*$/, "").trim();
      if (line === "npx hardhat node") continue; // the test's own node stands for it
      if (/^([A-Z_]+=\S+\s*)+$/.test(line)) {
        for (const [, name, value] of line.matchAll(/([A-Z_]+)=(\S+)/g)) vars[name!] = value!;
        continue;
      }
      const words = line.replace(/\$([A-Z_]+)/g, (_, name: string) => vars[name] ?? `$${name}`).split(/\s+/);
      expect(words.slice(0, 2), line).to.deep.equal(["npm", "run"]);
      const result = await new Promise<{ code: number; output: string }>((resolve) => {
        const child = spawn("npm", ["run", "-s", ...words.slice(2)], {
          cwd,
          env: childEnv({ LOCALHOST_RPC_URL: node.url }),
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.on("close", (code) => resolve({ code: code ?? -1, output }));
      });
      expect(result.code, `${line}\n${result.output}`).to.equal(0);
      if (words[2] === "status") statusOutput = result.output;
      ran.push(line);
    }
    expect(ran.length, "all but the node and the variables ran").to.equal(lines.length - 4);
    expect(existsSync(path.join(cwd, "deployments", "localhost.json"))).to.equal(true);
    expect(existsSync(path.join(cwd, "payloads", "accept.safe.json"))).to.equal(true);
    expect(existsSync(path.join(cwd, "payloads", "cap.timelock.json"))).to.equal(true);
    expect(statusOutput, "the README runs status").to.not.equal(undefined);
    // To refresh the README's sample after changing status: STATUS_SAMPLE_OUT=<file> writes what it printed.
    if (process.env.STATUS_SAMPLE_OUT) writeFileSync(process.env.STATUS_SAMPLE_OUT, statusOutput!);
    expect(comparableStatus(statusOutput!), "the README's status sample is what status prints").to.deep.equal(
      comparableStatus(readmeStatusSample()),
    );
  });
});
