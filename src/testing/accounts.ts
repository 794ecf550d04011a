import { HDNodeWallet, Wallet, type Provider } from "ethers";

/** The mnemonic behind Hardhat's default accounts (the in-process network and `hardhat node`). */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/** Hardhat's default account `index` as a wallet that signs locally, as a real keeper's key does. */
export function hardhatWallet(index: number, provider?: Provider): Wallet {
  const node = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
  return new Wallet(node.privateKey, provider);
}
