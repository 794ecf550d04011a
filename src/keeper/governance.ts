import { ZeroAddress, type Provider } from "ethers";
import { formatRemaining } from "../cli/units";
import { roleHolders, roleName } from "../deploy/system";
import { pendingChanges, targetOf, type DeploymentRef } from "../ops/actions";
import { ReserveVault__factory } from "../../typechain-types";

/** Who holds each role and which setting changes wait in the timelock, as status shows them. */
export interface GovernanceView {
  /** Each role that has holders, with them. */
  roles: Array<{ role: string; holders: string[] }>;
  /** Submitted changes not yet executed or revoked, soonest first: in words, and exactly (the change's
   * id, its calldata, and when it can run in unix seconds). */
  pendingChanges: Array<{
    change: string;
    executableAt: string;
    state: string;
    id: string;
    data: string;
    executableAtSeconds: string;
  }>;
  /** The two-step admin transfer under way, when there is one. */
  adminTransfer?: { to: string; acceptableAt: string; state: string };
}

const ROLE_ORDER = ["DEFAULT_ADMIN_ROLE", "CURATOR_ROLE", "GUARDIAN_ROLE", "KEEPER_ROLE"];

/**
 * Role holders (from the vault's role events since the block the deployment record gives, or since
 * genesis) and pending timelocked changes (with the ETA the vault itself reports).
 */
export async function readGovernance(provider: Provider, deployment: DeploymentRef): Promise<GovernanceView> {
  const vault = ReserveVault__factory.connect(deployment.vault, provider);
  const target = await targetOf(deployment, provider);
  const holders = await roleHolders(vault, deployment.blockNumber ?? 0);
  const roles = [...holders]
    .map(([role, set]) => ({ role: roleName(role), holders: [...set] }))
    .filter((entry) => entry.holders.length > 0)
    .sort((a, b) => rank(a.role) - rank(b.role) || a.role.localeCompare(b.role));
  const now = BigInt((await provider.getBlock("latest"))!.timestamp);
  const pending = (await pendingChanges(target, provider, holders)).map((change) => ({
    change: change.description,
    executableAt: new Date(Number(change.executableAt) * 1_000).toISOString(),
    state: change.state,
    id: change.id,
    data: change.data,
    executableAtSeconds: change.executableAt.toString(),
  }));
  const [to, schedule] = await vault.pendingDefaultAdmin();
  return {
    roles,
    pendingChanges: pending,
    ...(to === ZeroAddress
      ? {}
      : {
          adminTransfer: {
            to,
            acceptableAt: new Date(Number(schedule) * 1_000).toISOString(),
            state: now < schedule ? `in ${formatRemaining(schedule - now)}` : "ready",
          },
        }),
  };
}

function rank(role: string): number {
  const index = ROLE_ORDER.indexOf(role);
  return index === -1 ? ROLE_ORDER.length : index;
}
