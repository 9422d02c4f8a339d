// A discount at the counter till while the network is down (issue 12, item
// 7): above the outlet's limit a manager picks their name and types their
// PIN on the till, which cannot check it: it seals it to the server's key
// (the PIN is stored readable nowhere on the device). The till shows the
// discounted total (the server's own pricing function) and takes cash for
// it; back online, the server has exactly one order, one discount approved
// by that manager, and one payment of the discounted total.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Server, allOrders, eventually, idbRows, seedBrand, sleep } from "../support/harness.mjs";
import { addBySearch, cashier, openShift, pairTill, signIn, sql, tenantOf } from "../support/till.mjs";

const MANAGER_PIN = "2468";

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
  await brand.owner.patch(`/api/v1/users/${manager.id}`, { pin: MANAGER_PIN });
  till = await pairTill(server.base, brand.owner, brand.outlet.id, "till-offline-discount");
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(till.consoleLog.join("\n"));
  await till?.close();
  await server?.stop();
});

const counterOrders = async () =>
  (await allOrders(brand.owner, brand.outlet.id)).filter((o) => o.channel === "counter");

test("an offline cash sale with a manager-approved discount reaches the server once, approved and paid at its total", async () => {
  const page = till.page;
  await signIn(page, "Ani Kasir", "482105");
  await openShift(page, 100000);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  // Online, the till keeps the server's approval key and who may approve.
  await page.waitForFunction(
    () => localStorage.getItem("pos.till.approval-key") && (localStorage.getItem("pos.till.approvers") || "").includes("Maya"),
    null,
    { timeout: 15000 },
  );

  await till.goOffline();
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
  await page.locator("#approval-pin").fill(MANAGER_PIN);
  await page.locator(".apply-discount").click();
  await page.locator(".discount-panel").waitFor({ state: "detached", timeout: 15000 });
  await page.locator(".discount-total.offline").waitFor();
  const shown = Number(await page.locator(".left-to-pay").getAttribute("data-minor"));
  assert.ok(shown < full, `the discounted total ${shown} is below ${full}`);
  await till.screenshot("till-offline-discount");

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
  assert.ok(!JSON.stringify(queued).includes(MANAGER_PIN), "no PIN in the queue");
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes(`"${MANAGER_PIN}"`), "no PIN in localStorage");
  assert.equal((await counterOrders()).filter((o) => o.customer_name === "Diskon Offline").length, 0);
  await page.locator(".new-sale").click();

  await till.goOnline();
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
