import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getAddress } from "ethers";
import { z } from "zod";
import { mainnetBook, type IssuerBook } from "./book";

/** A sandbox deployment on one network, as `deployments/sandbox-<network>.json` records it. */
export interface SandboxRecord {
  network: string;
  chainId: string;
  deployedAt: string;
  admin: string;
  book: IssuerBook;
}

const address = z.string().transform((value, ctx) => {
  try {
    return getAddress(value);
  } catch {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `${value} is not an address` });
    return z.NEVER;
  }
});

const recordSchema = z.object({
  network: z.string(),
  chainId: z.string().regex(/^\d+$/),
  deployedAt: z.string(),
  admin: address,
  book: z.record(z.string(), address),
});

export class RecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RecordError";
  }
}

export function recordPath(directory: string, network: string): string {
  return path.join(directory, `sandbox-${network}.json`);
}

export function writeRecord(directory: string, record: SandboxRecord): string {
  mkdirSync(directory, { recursive: true });
  const file = recordPath(directory, record.network);
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

export function readRecord(
  directory: string,
  network: string,
  file: string = recordPath(directory, network),
): SandboxRecord {
  if (!existsSync(file)) {
    throw new RecordError(`no sandbox deployment recorded for ${network} (${file}); run the deploy command first`);
  }
  const parsed = recordSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RecordError(`${file}: ${issue.path.join(".")}: ${issue.message}; redeploy or fix the file`);
  }
  const required = Object.keys(mainnetBook());
  const missing = required.filter((key) => !(key in parsed.data.book));
  if (missing.length > 0) throw new RecordError(`${file}: book lacks ${missing.join(", ")}; redeploy the sandbox`);
  return { ...parsed.data, book: parsed.data.book as IssuerBook };
}
