// Discounts at the counter till (/pos/): a line discount within the
// outlet's limit goes through; an order discount above it needs a manager,
// who picks their name and types their PIN on the spot (a wrong PIN is
// refused and changes nothing); the totals come from the server; the
// discounts are on the printed receipt.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Server, seedBrand } from "../support/harness.mjs";
import { addBySearch, cashier, openShift, pairTill, signIn, sql, tenantOf } from "../support/till.mjs";

let server;
let brand;
let till;
let manager;
let tenant;

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base, { pictures: false });
  tenant = tenantOf(brand.owner.token);
  await brand.owner.patch(`/api/v1/outlets/${brand.outlet.id}`, { discount_limit_bp: 1000 });
  await cashier(brand.owner, brand.outlet.id, "Ani Kasir", "482105");
  manager = await brand.owner.post("/api/v1/users", {
    email: `maya-${Date.now()}@kiosk-tests.example`,
    name: "Maya Manajer",
    password: "manager-password-1",
    role: "manager",
    outlet_ids: [brand.outlet.id],
  });
  await brand.owner.patch(`/api/v1/users/${manager.id}`, { pin: "2468" });
  till = await pairTill(server.base, brand.owner, brand.outlet.id, "till-discount");
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(till.consoleLog.join("\n"));
  await till?.close();
  await server?.stop();
});

test("a line discount within the limit, then an order discount that needs a manager's PIN, on the receipt", async () => {
  const page = till.page;
  await signIn(page, "Ani Kasir", "482105");
  await openShift(page, 100000);
  await addBySearch(page, "Kopi Susu");
  await addBySearch(page, "Mie Ayam");
  await page.locator(".checkout-button").click();
  await page.locator(".payment-panel").waitFor();

  // The order goes to the server, then the discount form opens.
  await page.locator(".discount-button").click();
  await page.locator(".discount-panel").waitFor({ timeout: 15000 });
  const [placed] = (await brand.owner.get(`/api/v1/orders?outlet_id=${brand.outlet.id}`)).items;
  const kopi = placed.items.find((l) => l.name === "Kopi Susu");

  // Rp 1.000 off the coffee: within 10 % of the order, no manager needed.
  await page.locator(`.discount-line[data-line-id="${kopi.line_id}"]`).click();
  await page.locator(".discount-amount").click();
  await page.locator("#discount-value").fill("1000");
  await page.locator("#discount-reason").fill("Gelas penyok");
  await page.locator(".apply-discount").click();
  await page.locator(".discount-total[data-minor='1000']").waitFor({ timeout: 15000 });
  let order = await brand.owner.get(`/api/v1/orders/${placed.id}`);
  assert.equal(order.discount_minor, 1000);
  assert.equal(Number(await page.locator(".left-to-pay").getAttribute("data-minor")), order.total_minor, "the server's total");

  // 20 % off the order: above the limit, so a manager approves on the spot.
  await page.locator(".discount-button").click();
  await page.locator(".discount-percent").click();
  await page.locator("#discount-value").fill("20");
  await page.locator("#discount-reason").fill("Pelanggan tetap");
  await page.locator(".apply-discount").click();
  await page.locator(".approval .approver", { hasText: "Maya Manajer" }).click();
  await page.locator("#approval-pin").fill("1111");
  await page.locator(".apply-discount").click();
  await page.locator(".discount-panel .field-error", { hasText: /salah|wrong/ }).waitFor({ timeout: 15000 });
  order = await brand.owner.get(`/api/v1/orders/${placed.id}`);
  assert.equal(order.discounts.length, 1, "a wrong PIN applies nothing");
  await till.screenshot("till-discount-approval");

  await page.locator("#approval-pin").fill("2468");
  await page.locator(".apply-discount").click();
  await page.locator(".discount-panel").waitFor({ state: "detached", timeout: 15000 });
  order = await brand.owner.get(`/api/v1/orders/${placed.id}`);
  assert.equal(order.discounts.length, 2);
  const approved = order.discounts.find((d) => d.reason === "Pelanggan tetap");
  assert.equal(approved.approved_by, manager.id);
  assert.equal(approved.kind, "percent");
  assert.equal(approved.value, 2000);
  assert.equal(Number(await page.locator(".discount-total").getAttribute("data-minor")), order.discount_minor);
  assert.equal(Number(await page.locator(".left-to-pay").getAttribute("data-minor")), order.total_minor);
  const ids = order.discounts.map((d) => `'${d.id}'`).join(",");
  const [audited] = sql(tenant, `SELECT count(*) FROM audit_log WHERE action = 'discount.create' AND entity_id IN (${ids})`);
  assert.equal(Number(audited), 2, "the discounts are in the audit log");

  // Paid exactly; the receipt shows both discounts.
  await page.locator(".tender-button").first().click();
  await page.locator('.left-to-pay[data-minor="0"]').waitFor();
  await page.locator(".complete-sale").click();
  await page.locator(".sale-done").waitFor({ timeout: 15000 });
  order = await brand.owner.get(`/api/v1/orders/${placed.id}`);
  assert.equal(order.payment_status, "paid");
  const popup = page.waitForEvent("popup");
  await page.locator(".print-receipt").click();
  const receipt = await popup;
  await receipt.waitForLoadState();
  const html = await receipt.content();
  assert.match(html, /Gelas penyok/);
  assert.match(html, /Pelanggan tetap/);
  await receipt.close();
});
