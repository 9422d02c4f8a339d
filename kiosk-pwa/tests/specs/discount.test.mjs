// Discounts at the counter till (/pos/): a line discount within the
// outlet's limit goes through; an order discount above it needs a manager,
// who picks their name and types their PIN on the spot (a wrong PIN is
// refused and changes nothing); the totals come from the server; the
// discounts are on the printed receipt.
//
// Offline (issue 12, item 7) the till cannot check a manager's PIN: it
// seals it to the server's key (the PIN is stored readable nowhere on the
// device), shows the discounted total (the server's own pricing function)
// and takes cash for it; back online, the server has exactly one order, one
// discount approved by that manager, and one payment of that total.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Server, eventually, idbRows, seedBrand, sleep } from "../support/harness.mjs";
import { addBySearch, cashier, counterOrders as counterOrdersOf, openShift, pairTill, signIn, sql, tenantOf } from "../support/till.mjs";

let server;
let brand;
let till;
let manager;
let tenant;
const tills = [];

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base, { pictures: false });
  tenant = tenantOf(brand.owner.token);
  await brand.owner.patch(`/api/v1/outlets/${brand.outlet.id}`, { discount_limit_bp: 1000 });
  await cashier(brand.owner, brand.outlet.id, "Ani Kasir", "482105");
  manager = await cashier(brand.owner, brand.outlet.id, "Maya Manajer", "2468", "manager");
  till = await pairTill(server.base, brand.owner, brand.outlet.id, "till-discount");
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(till.consoleLog.join("\n"));
  await till?.close();
  for (const t of tills) await t.close();
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

const counterOrders = () => counterOrdersOf(brand.owner, brand.outlet.id);

test("an offline cash sale with a manager-approved discount reaches the server once, approved and paid at its total", async () => {
  // A till of its own, so its offline queue holds only this sale.
  const offlineTill = await pairTill(server.base, brand.owner, brand.outlet.id, "till-offline-discount");
  tills.push(offlineTill);
  const page = offlineTill.page;
  await signIn(page, "Ani Kasir", "482105");
  await openShift(page, 100000);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  // Online, the till keeps the server's approval key and who may approve.
  await page.waitForFunction(
    () => localStorage.getItem("pos.till.approval-key") && (localStorage.getItem("pos.till.approvers") || "").includes("Maya"),
    null,
    { timeout: 15000 },
  );

  await offlineTill.goOffline();
  await page.locator(".connection.offline").waitFor();
  await addBySearch(page, "Kopi Susu");
  await addBySearch(page, "Mie Ayam");
  await page.locator(".customer-name").fill("Diskon Offline");
  await page.locator(".checkout-button").click();
  await page.locator(".payment-panel").waitFor();
  const full = Number(await page.locator(".left-to-pay").getAttribute("data-minor"));

  // 20 % off the order: above the 10 % limit, so the manager types their PIN.
  await page.locator(".discount-button").click();
  await page.locator(".discount-panel").waitFor();
  await page.locator(".discount-percent").click();
  await page.locator("#discount-value").fill("20");
  await page.locator("#discount-reason").fill("Pelanggan tetap");
  await page.locator(".apply-discount").click();
  await page.locator(".discount-panel .field-error", { hasText: /manajer|manager/i }).waitFor();
  await page.locator(".approval .approver", { hasText: "Maya Manajer" }).click();
  await page.locator("#approval-pin").fill("2468");
  await page.locator(".apply-discount").click();
  await page.locator(".discount-panel").waitFor({ state: "detached", timeout: 15000 });
  await page.locator(".discount-total.offline").waitFor();
  const shown = Number(await page.locator(".left-to-pay").getAttribute("data-minor"));
  assert.ok(shown < full, `the discounted total ${shown} is below ${full}`);
  await offlineTill.screenshot("till-offline-discount");

  // Cash for the discounted total: the till checks the tender against it.
  await page.locator(".tender-button").first().click();
  await page.locator('.left-to-pay[data-minor="0"]').waitFor();
  await page.locator(".complete-sale").click();
  await page.locator(".sale-done").waitFor({ timeout: 15000 });
  assert.equal(await page.locator(".sale-done").getAttribute("data-offline"), "true");

  // The PIN is nowhere readable on the device: only its seal is queued.
  const queued = (await idbRows(page, "orders")).find((o) => o.body.customer_name === "Diskon Offline");
  assert.equal(queued.discounts.length, 1);
  assert.ok(queued.discounts[0].sealed_approval?.ciphertext, "sealed");
  assert.ok(!JSON.stringify(queued).includes("2468"), "no PIN in the queue");
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes(`"${"2468"}"`), "no PIN in localStorage");
  assert.equal((await counterOrders()).filter((o) => o.customer_name === "Diskon Offline").length, 0);
  await page.locator(".new-sale").click();

  await offlineTill.goOnline();
  await eventually(async () => (await counterOrders()).some((o) => o.customer_name === "Diskon Offline"), {
    timeout: 30000,
    what: "the offline sale",
  });
  await sleep(2000); // a second push would have landed by now
  const orders = (await counterOrders()).filter((o) => o.customer_name === "Diskon Offline");
  assert.equal(orders.length, 1, "exactly one order");
  const [order] = orders;
  assert.equal(order.discounts.length, 1, "exactly one discount");
  const [discount] = order.discounts;
  assert.equal(discount.approved_by, manager.id, "approved by the manager whose PIN was sealed");
  assert.equal(discount.approval_unverified, false);
  assert.equal(discount.kind, "percent");
  assert.equal(discount.value, 2000);
  assert.equal(order.total_minor, shown, "the server's total is the one the till showed");
  assert.equal(order.payments.length, 1, "exactly one payment");
  assert.equal(order.payments[0].method, "cash");
  assert.equal(order.payment_status, "paid");
  const [applied] = sql(
    tenant,
    `SELECT count(*) FROM order_discounts WHERE order_id = '${order.id}' AND offline AND approved_by = '${manager.id}'`,
  );
  assert.equal(Number(applied), 1);
});
