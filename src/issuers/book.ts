import { MAINNET, type MainnetName } from "../addresses";

/** Where each issuer contract lives on one network: the mainnet book, or a testnet's sandbox record. */
export type IssuerBook = Record<MainnetName, string>;

export function mainnetBook(): IssuerBook {
  const { chainId: _chainId, ...addresses } = MAINNET;
  return { ...addresses };
}
