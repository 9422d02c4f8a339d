// The counter till (/pos/): a till paired from the admin; cashiers sign in
// with their PIN; a cash sale with change; a kiosk order paid at the till;
// a cashier switch records the next sale under the other name; a cash sale
// made offline reaches the server exactly once with its payment.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Device, Server, allOrders, eventually, pairingCode, seedBrand, sleep } from "../support/harness.mjs";
import { addItem, pairKiosk, placeOrder, startOrder } from "../support/screens.mjs";
import { addBySearch, cashier, openShift, pairTill, payCash, signIn, sql, tenantOf } from "../support/till.mjs";

let server;
let brand;
let till;
let ani;
let budi;
let tenant;

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base, { pictures: false });
  tenant = tenantOf(brand.owner.token);
  ani = await cashier(brand.owner, brand.outlet.id, "Ani Kasir", "482105");
  budi = await cashier(brand.owner, brand.outlet.id, "Budi Kasir", "7391");
  till = await pairTill(server.base, brand.owner, brand.outlet.id, "till");
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(till.consoleLog.join("\n"));
  await till?.close();
  await server?.stop();
});

const counterOrders = async () =>
  (await allOrders(brand.owner, brand.outlet.id)).filter((o) => o.channel === "counter");

test("a cashier signs in by PIN; a wrong PIN is refused", async () => {
  const page = till.page;
  await page.locator(".staff-choice", { hasText: "Ani Kasir" }).click();
  await page.locator("#till-pin").fill("000000");
  await page.locator(".sign-in-button").click();
  await page.locator(".till-pin .field-error", { hasText: /PIN/ }).waitFor();
  await page.locator("#till-pin").fill("482105");
  await page.locator(".sign-in-button").click();
  await openShift(page, 200000); // a sale needs an open shift (see shift.test.mjs)
  await page.locator(".till-order").waitFor({ timeout: 15000 });
  await page.locator(".cashier-name", { hasText: "Ani Kasir" }).waitFor();
  await page.locator(".item-card").first().waitFor({ timeout: 15000 });
  await till.screenshot("till-signed-in");
});

test("a cash sale with change: the order and its payment on the server", async () => {
  const page = till.page;
  await addBySearch(page, "Kopi Susu");
  await addBySearch(page, "Mie Ayam");
  await page.locator(".customer-name").fill("Sari");
  await page.locator(".checkout-button").click();
  await page.locator(".payment-panel").waitFor();
  const due = Number(await page.locator(".left-to-pay").getAttribute("data-minor"));
  await till.screenshot("till-payment");
  await page.locator(".checkout-button").waitFor({ state: "detached" });
  await page.locator('.tender-button[data-amount="100000"]').click();
  await page.locator('.left-to-pay[data-minor="0"]').waitFor();
  const shown = Number(await page.locator(".payment-panel .change-due").getAttribute("data-minor"));
  await page.locator(".complete-sale").click();
  await page.locator(".sale-done").waitFor({ timeout: 15000 });
  await till.screenshot("till-sale-done");
  const change = Number(await page.locator(".sale-done .change-due").getAttribute("data-minor"));

  const [order] = await counterOrders();
  assert.ok(order, "a counter order on the server");
  assert.equal(order.customer_name, "Sari");
  assert.equal(order.total_minor, due, "the till showed the server's total");
  assert.equal(order.payment_status, "paid");
  assert.equal(order.payments.length, 1);
  const [payment] = order.payments;
  assert.equal(payment.method, "cash");
  assert.equal(payment.tendered_minor, 100000);
  assert.equal(payment.change_minor, change, "the change shown is the server's");
  assert.equal(change, shown);
  assert.equal(change, 100000 - (order.total_minor + order.rounding_minor));
  const [who] = sql(tenant, `SELECT u.name FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = '${order.id}'`);
  assert.equal(who, "Ani Kasir");

  // The receipt opens in a print window.
  const popup = page.waitForEvent("popup");
  await page.locator(".print-receipt").click();
  const receipt = await popup;
  await receipt.waitForLoadState();
  assert.match(await receipt.content(), /Kopi Susu/);
  await receipt.close();
  await page.locator(".new-sale").click();
});

test("an unpaid kiosk order is paid at the till", async () => {
  const kiosk = new Device("till-kiosk");
  try {
    await kiosk.launch();
    await pairKiosk(kiosk.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kiosk"));
    await startOrder(kiosk.page);
    await addItem(kiosk.page, "Sate Ayam");
    await placeOrder(kiosk.page, "Dewi");
  } finally {
    await kiosk.close();
  }
  const kioskOrder = (await allOrders(brand.owner, brand.outlet.id)).find((o) => o.channel === "kiosk");
  assert.equal(kioskOrder.payment_status, "unpaid");

  const page = till.page;
  await page.locator(".unpaid-button").click();
  const row = page.locator(`.unpaid-order[data-order-id="${kioskOrder.id}"]`);
  await row.waitFor({ timeout: 10000 });
  await row.locator("button").click();
  await page.locator(".payment-panel").waitFor();
  const due = Number(await page.locator(".left-to-pay").getAttribute("data-minor"));
  assert.equal(due, kioskOrder.total_minor);
  await page.locator(".tender-button").first().click(); // exact
  await page.locator(".complete-sale").click();
  await page.locator(".sale-done").waitFor({ timeout: 15000 });
  await eventually(
    async () => (await brand.owner.get(`/api/v1/orders/${kioskOrder.id}`)).payment_status === "paid",
    { what: "the kiosk order paid" },
  );
  await page.locator(".new-sale").click();
});

test("a cashier switch records the next sale under the other name", async () => {
  const page = till.page;
  await page.locator(".switch-cashier").click();
  await signIn(page, "Budi Kasir", "7391");
  await page.locator(".cashier-name", { hasText: "Budi Kasir" }).waitFor();
  const before = (await counterOrders()).length;
  await addBySearch(page, "Kopi Susu");
  await payCash(page, 50000);
  const orders = await counterOrders();
  assert.equal(orders.length, before + 1);
  const newest = orders.sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
  const [who] = sql(tenant, `SELECT u.name FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = '${newest.id}'`);
  assert.equal(who, "Budi Kasir");
  const [paidBy] = sql(tenant, `SELECT u.name FROM payments p JOIN users u ON u.id = p.user_id WHERE p.order_id = '${newest.id}'`);
  assert.equal(paidBy, "Budi Kasir");
  await page.locator(".new-sale").click();
});

test("a cash sale made offline reaches the server once, with its payment, when the network returns", async () => {
  const page = till.page;
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  const before = (await counterOrders()).length;
  await till.goOffline();
  await page.locator(".connection.offline").waitFor();
  await addBySearch(page, "Mie Ayam");
  await page.locator(".customer-name").fill("Offline");
  const change = await payCash(page, 50000);
  assert.equal(await page.locator(".sale-done").getAttribute("data-offline"), "true");
  assert.equal((await counterOrders()).length, before, "nothing reached the server yet");
  await page.locator(".new-sale").click();

  await till.goOnline();
  await eventually(async () => (await counterOrders()).length === before + 1, { timeout: 30000, what: "the offline sale" });
  await sleep(2000); // a second push would have landed by now
  const orders = (await counterOrders()).filter((o) => o.customer_name === "Offline");
  assert.equal(orders.length, 1);
  const [order] = orders;
  assert.equal(order.payments.length, 1, "exactly one payment");
  assert.equal(order.payments[0].tendered_minor, 50000);
  assert.equal(order.payments[0].change_minor, change);
  assert.equal(order.payment_status, "paid");
  const [who] = sql(tenant, `SELECT u.name FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = '${order.id}'`);
  assert.equal(who, "Budi Kasir");
});
