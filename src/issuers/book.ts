import { EMULATED_ONLY, MAINNET, type EmulatedOnlyName, type MainnetName } from "../addresses";

/**
 * Where each issuer contract lives on one network: the mainnet book, or a testnet's sandbox record. The
 * contracts mainnet does not publish (`EMULATED_ONLY`) are there only where a sandbox placed them.
 */
export type IssuerBook = Record<MainnetName, string> & Partial<Record<EmulatedOnlyName, string>>;

/** The real mainnet's book: what a fork of it holds. */
export function mainnetBook(): IssuerBook {
  const { chainId: _chainId, ...addresses } = MAINNET;
  return { ...addresses };
}

/** The emulated mainnet's book: the real addresses, and the unpublished contracts where it places them. */
export function emulatedMainnetBook(): IssuerBook {
  return { ...mainnetBook(), ...EMULATED_ONLY };
}

/** The book's entry `name`, or an error saying the network has no such contract. */
export function bookEntry(book: IssuerBook, name: EmulatedOnlyName): string {
  const address = book[name];
  if (address === undefined) {
    throw new Error(
      `${name} is not on this network: mainnet publishes no address for it, only the emulated mainnet places one`,
    );
  }
  return address;
}
