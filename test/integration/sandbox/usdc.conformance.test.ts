import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { SandboxUSDC__factory } from "../../../typechain-types";
import { impersonate } from "../../../src/sandbox/rpc";
import { MODE, mainnet } from "../../helpers/mainnet";

async function usdcFixture() {
  const { driver, book } = await loadFixture(mainnet);
  const [, alice, bob] = await ethers.getSigners();
  const usdc = SandboxUSDC__factory.connect(book.USDC, alice!);
  await driver.fundUsdc(alice!.address, 1_000n * 10n ** 6n);
  return { driver, usdc, alice: alice!, bob: bob! };
}

describe(`USDC conformance (${MODE})`, function () {
  it("has 6 decimals and mints through the master minter's configured minters", async function () {
    const { usdc, alice } = await loadFixture(usdcFixture);
    expect(await usdc.decimals()).to.equal(6n);
    expect(await usdc.balanceOf(alice)).to.be.gte(1_000n * 10n ** 6n);
    await expect(usdc.mint(alice, 1n)).to.be.revertedWith("FiatToken: caller is not a minter");
  });
});

describe(`USDC pause and blacklist, set by their real roles (${MODE})`, function () {
  it("pause and blacklist stop transfers with FiatToken's messages", async function () {
    const { usdc, bob } = await loadFixture(usdcFixture);
    await impersonate(ethers.provider, await usdc.blacklister(), (signer) => usdc.connect(signer).blacklist(bob));
    await expect(usdc.transfer(bob, 1n)).to.be.revertedWith("Blacklistable: account is blacklisted");
    await impersonate(ethers.provider, await usdc.blacklister(), (signer) => usdc.connect(signer).unBlacklist(bob));
    await impersonate(ethers.provider, await usdc.pauser(), (signer) => usdc.connect(signer).pause());
    await expect(usdc.transfer(bob, 1n)).to.be.revertedWith("Pausable: paused");
  });
});
