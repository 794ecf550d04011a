/**
 * Ethereum mainnet's hardforks and the block each activated at, for a Hardhat network that forks mainnet:
 * new blocks run under the hardfork of the fork block, and calls at older blocks under theirs. From
 * Prague on, activations are by timestamp; the block is the first one at or after it (Prague 2025-05-07
 * 10:05:11 UTC, Osaka ("Fusaka") 2025-12-03 21:49:11 UTC). Hardhat takes the history from Byzantium on,
 * and so does this table: no fork of an earlier block is of use here.
 */
export const MAINNET_HARDFORKS = [
  ["byzantium", 4_370_000],
  ["constantinople", 7_280_000],
  ["petersburg", 7_280_000],
  ["istanbul", 9_069_000],
  ["muirGlacier", 9_200_000],
  ["berlin", 12_244_000],
  ["london", 12_965_000],
  ["arrowGlacier", 13_773_000],
  ["grayGlacier", 15_050_000],
  ["merge", 15_537_394],
  ["shanghai", 17_034_870],
  ["cancun", 19_426_589],
  ["prague", 22_431_084],
  ["osaka", 23_935_694],
] as const;

export type MainnetHardfork = (typeof MAINNET_HARDFORKS)[number][0];

/** The hardfork mainnet runs at `block`. */
export function hardforkAt(block: number): MainnetHardfork {
  let current: MainnetHardfork = "byzantium";
  for (const [name, from] of MAINNET_HARDFORKS) if (block >= from) current = name;
  return current;
}

/** The activation history in the shape Hardhat's `chains` setting takes. */
export function mainnetHardforkHistory(): Record<string, number> {
  return Object.fromEntries(MAINNET_HARDFORKS);
}
