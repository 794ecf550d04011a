import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { failures, forkCheck } from "../../src/issuers/forkCheck";
import { FORK, MODE, mainnet } from "../helpers/mainnet";
import { runScript } from "../helpers/node";

const NO_CODE = "0x00000000000000000000000000000000DeaDBeef";

describe(`fork check: the live facts the adapters and the driver depend on (${MODE})`, function () {
  it("every fact holds: code at every book address, Centrifuge V3's wiring, USTB's selectors, the AllowList, the oracle", async function () {
    const { book } = await loadFixture(mainnet);
    const rows = await forkCheck(ethers.provider, book, await ethers.provider.getBlockNumber());
    expect(failures(rows), "every row as expected").to.deep.equal([]);
    for (const entry of Object.keys(book)) {
      expect(
        rows.some((r) => r.entry === entry && r.check.startsWith("code at")),
        `a code row for ${entry}`,
      ).to.equal(true);
    }
    // The facts the adapters depend on are there, not only code.
    const checks = rows.map((r) => `${r.entry} ${r.check}`);
    for (const fact of [
      "JTRSY_VAULT manager()",
      "JTRSY hook()",
      "JAAA_VAULT poolId()",
      "USTB subscribe(uint256,address)",
      "USTB_ALLOWLIST setEntityAllowedForPrivateInstrument(uint256,string,bool) as the owner",
      "USTB_ORACLE latest checkpoint's age",
      "USTB_REDEMPTION_IDLE USDC on hand",
    ]) {
      expect(checks, fact).to.include(fact);
    }
  });

  it("an address without code, or a vault wired to another manager, is a failed row naming its entry", async function () {
    const { book } = await loadFixture(mainnet);
    const block = await ethers.provider.getBlockNumber();
    const moved = await forkCheck(ethers.provider, { ...book, JTRSY_VAULT: NO_CODE }, block);
    expect(failures(moved)[0]).to.equal(`JTRSY_VAULT: code at ${NO_CODE}: expected code, found no code`);
    const rewired = await forkCheck(ethers.provider, { ...book, CENTRIFUGE_ASYNC_REQUEST_MANAGER: book.USDC }, block);
    expect(failures(rewired)).to.include(
      `JTRSY_VAULT: manager(): expected CENTRIFUGE_ASYNC_REQUEST_MANAGER ${book.USDC}, found ${book.CENTRIFUGE_ASYNC_REQUEST_MANAGER}`,
    );
  });

  if (!FORK) {
    it("npm run fork:check exits 1 naming the entry when a book address has no code, and 2 on a bad --set", async function () {
      const moved = await runScript("fork-check", ["--set", `JTRSY_VAULT=${NO_CODE}`]);
      expect(moved.code, moved.stderr).to.equal(1);
      const [, held, all] = /(\d+) of (\d+) as expected/.exec(moved.stdout) ?? [];
      expect(Number(held), "the other rows still hold").to.be.lessThan(Number(all)).and.greaterThan(0);
      expect(moved.stderr).to.contain(`JTRSY_VAULT: code at ${NO_CODE}: expected code, found no code`);
      const bad = await runScript("fork-check", ["--set", "JTRSY_VAULT"]);
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.contain('--set: "JTRSY_VAULT" must read ENTRY=0xADDRESS');
    });
  }
});
