/**
 * An error about one input: what was wrong with which field, and how to fix it — printed as one line,
 * `<field>: <fix>`. Each kind of input (command line, parameters, environment, keeper config, chain
 * state before a deployment) has its subclass, so a caller can tell them apart.
 */
export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly fix: string,
  ) {
    super(`${field}: ${fix}`);
    this.name = new.target.name;
  }
}

/** The problem zod found in a file, as the field it is in (`adapters[1].navGuard`) and the fix. */
export function firstIssue(
  error: {
    issues: ReadonlyArray<{ code: string; path: ReadonlyArray<string | number>; message: string; keys?: string[] }>;
  },
  whole: string,
): { field: string; fix: string } {
  // A misspelt key shows twice: the key zod does not know, and (when the field is required) the field
  // it meant, missing. The unknown key is the cause and the one to name.
  const issue = error.issues.find((i) => i.code === "unrecognized_keys") ?? error.issues[0]!;
  const field = issue.path.reduce<string>(
    (path, part) => (typeof part === "number" ? `${path}[${part}]` : path ? `${path}.${String(part)}` : String(part)),
    "",
  );
  const keys = issue.code === "unrecognized_keys" ? (issue.keys ?? []) : [];
  const fix =
    keys.length > 0
      ? `unknown key${keys.length > 1 ? "s" : ""} ${keys.map((k) => `"${k}"`).join(", ")}: fix the spelling or remove ${keys.length > 1 ? "them" : "it"} (nothing here is ignored)`
      : issue.message;
  return { field: field || whole, fix };
}
