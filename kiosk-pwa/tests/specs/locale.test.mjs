// Amounts are written the way the language shown writes them: in US
// dollars, Indonesian says US$300,00 and English US$300.00. A language
// switch rewrites every amount already on the screen (the menu, the open
// item sheet, the cart, the checkout totals, the confirmation), not only
// those drawn afterwards.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Device, Server, eventually, pairingCode, seedBrand } from "../support/harness.mjs";
import { addItem, pairKiosk, startOrder } from "../support/screens.mjs";

let server;
let brand;
let kiosk;

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base, { pictures: false });
  // Before the kiosk pairs: its first menu pull brings the currency.
  await brand.owner.patch("/api/v1/brand", { currency: "USD" });
  kiosk = new Device("kiosk-locale");
  await kiosk.launch();
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(kiosk?.consoleLog.join("\n"));
  await kiosk?.close();
  await server?.stop();
});

/** Switches the language (also under an open sheet, which covers the switch). */
async function switchTo(page, code) {
  await page.locator(".language-switch button", { hasText: code }).first().dispatchEvent("click");
  await page.locator(`html[lang="${code.toLowerCase()}"]`).waitFor();
}

/** Waits until `locator`'s text is `expected` (amounts change without any other step). */
async function textBecomes(locator, expected) {
  let seen;
  try {
    await eventually(async () => (seen = (await locator.textContent()).trim()) === expected, { timeout: 3000 });
  } catch {
    assert.equal(seen, expected);
  }
}

test("a language switch rewrites every amount on the kiosk", async () => {
  const kp = kiosk.page;
  await pairKiosk(kp, server.base, await pairingCode(brand.owner, brand.outlet.id, "kiosk", "Kiosk USD"));
  await startOrder(kp);
  await kp.locator(".category-tab", { hasText: "Makanan" }).click();

  // The menu, in the default Indonesian, then English.
  const satePrice = kp.locator(".item-card", { hasText: "Sate Ayam" }).locator(".item-price");
  await textBecomes(satePrice, "US$300,00");
  await switchTo(kp, "EN");
  await textBecomes(satePrice, "US$300.00");

  // The open item sheet: an option's price and the line total.
  await kp.locator(".item-card", { hasText: "Nasi Goreng" }).click();
  const sheet = kp.locator(".item-sheet");
  const extra = sheet.locator(".option", { hasText: "Extra pedas" });
  await textBecomes(extra.locator(".option-price"), "+US$20.00");
  await extra.click();
  await textBecomes(sheet.locator(".add-to-order"), "Add to order · US$370.00");
  await switchTo(kp, "ID");
  await textBecomes(extra.locator(".option-price"), "+US$20,00");
  await textBecomes(sheet.locator(".add-to-order"), "Tambah ke pesanan · US$370,00");
  await sheet.locator(".add-to-order").click();
  await sheet.waitFor({ state: "detached" });
  await addItem(kp, "Sate Ayam");

  // The cart.
  const subtotal = kp.locator(".cart-subtotal");
  const sateLine = kp.locator(".cart-line", { hasText: "Sate Ayam" }).locator(".line-total");
  await textBecomes(subtotal, "US$670,00");
  await switchTo(kp, "EN");
  await textBecomes(subtotal, "US$670.00");
  await textBecomes(sateLine, "US$300.00");

  // The checkout: 670.00 + 5% service (33.50) + 10% tax on both (70.35).
  await kp.locator(".checkout-button").click();
  const total = kp.locator(".grand-total span").last();
  await textBecomes(total, "US$773.85");
  await switchTo(kp, "ID");
  await textBecomes(total, "US$773,85");

  // The confirmation.
  await kp.locator("#pickup-name").fill("Ana");
  await kp.locator(".place-order").click();
  const reminder = kp.locator(".pay-reminder > strong");
  await textBecomes(reminder, "US$773,85");
  await switchTo(kp, "EN");
  await textBecomes(reminder, "US$773.85");
  await kiosk.screenshot("kiosk-usd-english");
});
