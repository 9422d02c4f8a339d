// A shift at the counter till (/pos/): no selling before a shift is open
// (the screen asks for it, and the server refuses the cashier's sale);
// opened with a float; a cash sale; a paid-out; a sale and a cash-in made
// offline that reach the server once, in order, after the network returns;
// the drawer counted note by note with expected, counted and variance shown
// before confirming; the Z report's figures checked against the orders.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Api, Server, allOrders, eventually, seedBrand, sleep } from "../support/harness.mjs";
import { addBySearch, cashier, cashierToken, openShift, pairTill, payCash, signIn, sql, tenantOf } from "../support/till.mjs";

let server;
let brand;
let till;
let tenant;
let shiftId;

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base, { pictures: false });
  tenant = tenantOf(brand.owner.token);
  await cashier(brand.owner, brand.outlet.id, "Ani Kasir", "482105");
  till = await pairTill(server.base, brand.owner, brand.outlet.id, "till-shift");
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(till.consoleLog.join("\n"));
  await till?.close();
  await server?.stop();
});

const counterOrders = async () =>
  (await allOrders(brand.owner, brand.outlet.id)).filter((o) => o.channel === "counter");
const report = () => brand.owner.get(`/api/v1/shifts/${shiftId}/report`);

test("without an open shift the till does not sell, and the server refuses the cashier's sale", async () => {
  const page = till.page;
  await signIn(page, "Ani Kasir", "482105");
  await page.locator(".open-shift").waitFor();
  assert.equal(await page.locator(".till-order").count(), 0, "no order entry before the shift is open");
  await till.screenshot("till-open-shift");

  const asCashier = new Api(server.base, await cashierToken(page));
  const item = brand.items.kopi;
  const body = {
    client_order_id: crypto.randomUUID(),
    outlet_id: brand.outlet.id,
    channel: "counter",
    created_at_client: new Date().toISOString(),
    items: [{ menu_item_id: item.id, qty: 1, modifier_option_ids: [] }],
  };
  const refused = await asCashier.post("/api/v1/orders", body).catch((e) => e);
  assert.equal(refused.status, 409, String(refused));
  assert.equal(refused.body.code, "shift_not_open");
  assert.equal((await counterOrders()).length, 0);

  // Opening needs the network: offline, the till says so and does not try.
  await till.goOffline();
  await page.locator(".offline-open").waitFor();
  assert.equal(await page.locator(".open-shift-button").isDisabled(), true);
  await till.goOnline();
  await page.locator(".offline-open").waitFor({ state: "detached", timeout: 15000 });
});

test("a shift opened with a float shows who opened it and the expected cash", async () => {
  const page = till.page;
  await openShift(page, 200000);
  await page.locator(".till-order").waitFor();
  await page.locator(".shift-bar .shift-who", { hasText: "Ani Kasir" }).waitFor();
  shiftId = await page.locator(".shift-bar").getAttribute("data-shift-id");
  const shift = await brand.owner.get(`/api/v1/shifts/${shiftId}`);
  assert.equal(shift.status, "open");
  assert.equal(shift.opening_float_minor, 200000);
  assert.equal(shift.opened_by_name, "Ani Kasir");
  assert.equal(Number(await page.locator(".shift-expected").getAttribute("data-minor")), 200000);
});

test("a cash sale and a paid-out count into the drawer", async () => {
  const page = till.page;
  await addBySearch(page, "Kopi Susu");
  await payCash(page, 50000);
  await page.locator(".new-sale").click();
  const [sale] = await counterOrders();
  assert.equal(sale.payments[0].shift_id, shiftId, "the sale's cash went into the shift");

  await page.locator(".cash-movement-button").click();
  await page.locator(".movement-out").click();
  await page.locator("#movement-amount").fill("15000");
  await page.locator(".save-movement").click();
  await page.locator(".cash-movement .field-error", { hasText: /reason|alasan/i }).waitFor();
  await page.locator("#movement-reason").fill("Beli es batu");
  await page.locator(".save-movement").click();
  await page.locator(".till-order").waitFor();
  await eventually(async () => (await report()).cash.cash_out_minor === 15000, { what: "the paid-out on the server" });
  const cashIn = sale.payments[0].amount_minor + sale.payments[0].rounding_minor;
  await eventually(
    async () => Number(await page.locator(".shift-expected").getAttribute("data-minor")) === 200000 + cashIn - 15000,
    { what: "the bar's expected cash" },
  );

  // The X report, printable at any time.
  const popup = page.waitForEvent("popup");
  await page.locator(".x-report").click();
  const printed = await popup;
  await printed.waitForLoadState();
  assert.match(await printed.content(), /Beli es batu/);
  await printed.close();
});

test("a sale and a cash-in made offline reach the server once, the cash-in after the sale", async () => {
  const page = till.page;
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  const before = (await counterOrders()).length;
  await till.goOffline();
  await page.locator(".connection.offline").waitFor();
  await addBySearch(page, "Mie Ayam");
  await page.locator(".customer-name").fill("Offline");
  await payCash(page, 50000);
  assert.equal(await page.locator(".sale-done").getAttribute("data-offline"), "true");
  await page.locator(".new-sale").click();
  await page.locator(".cash-movement-button").click();
  await page.locator(".movement-in").click();
  await page.locator("#movement-amount").fill("10000");
  await page.locator("#movement-reason").fill("Tambah uang kembalian");
  await page.locator(".save-movement").click();
  await sleep(1000);
  assert.equal((await counterOrders()).length, before, "nothing reached the server yet");
  assert.equal((await report()).cash.cash_in_minor, 0);

  await till.goOnline();
  await eventually(async () => (await report()).cash.cash_in_minor === 10000, { timeout: 30000, what: "the cash-in" });
  await sleep(2000); // a second push would have landed by now
  const offline = (await counterOrders()).filter((o) => o.customer_name === "Offline");
  assert.equal(offline.length, 1, "one order");
  assert.equal(offline[0].payments.length, 1, "one payment");
  assert.equal(offline[0].payments[0].shift_id, shiftId);
  const movements = (await report()).cash_movements;
  assert.equal(movements.length, 2, "the paid-out and the cash-in, once each");
  const [order] = sql(tenant, `SELECT created_at FROM orders WHERE id = '${offline[0].id}'`);
  const [cashIn] = sql(tenant, `SELECT created_at FROM shift_cash_movements WHERE shift_id = '${shiftId}' AND kind = 'in'`);
  assert.ok(new Date(cashIn) > new Date(order), "the cash-in reached the server after the sale queued before it");
});

test("closing counts the drawer by note and coin, shows the variance first, and the Z report matches the orders", async () => {
  const page = till.page;
  await page.locator(".close-shift-button").click();
  await page.locator(".close-shift").waitFor();
  const x = await report();
  await eventually(
    async () => Number(await page.locator(".close-shift .expected").getAttribute("data-minor")) === x.cash.expected_minor,
    { what: "the server's expected cash" },
  );
  // 2 × 100.000 + 1 × 50.000 + 3 × 2.000 + 1.000 coin + 2 × 500: Rp 258.000.
  await page.locator("#note-100000").fill("2");
  await page.locator('[data-denomination="note-50000"] .more').click();
  await page.locator("#note-2000").fill("3");
  await page.locator('[data-denomination="coin-1000"] .more').click();
  await page.locator("#coin-500").fill("2");
  const counted = 258000;
  await page.locator(`.close-shift .counted[data-minor="${counted}"]`).waitFor();
  const variance = counted - x.cash.expected_minor;
  assert.notEqual(variance, 0, "a count that does not match");
  assert.equal(Number(await page.locator(".close-shift .variance").getAttribute("data-minor")), variance);
  await page.locator(".confirm-close").click();
  await page.locator(".confirm-close", { hasText: /Ya|Yes/ }).waitFor();
  assert.equal((await brand.owner.get(`/api/v1/shifts/${shiftId}`)).status, "open", "nothing closed before confirming");
  await till.screenshot("till-close-count");
  await page.locator(".confirm-close").click();
  await page.locator(".shift-closed").waitFor({ timeout: 15000 });
  assert.equal(Number(await page.locator(".shift-closed .variance").getAttribute("data-minor")), variance);
  await till.screenshot("till-shift-closed");

  // The Z report against the orders and payments of the shift.
  const z = await report();
  assert.equal(z.kind, "z");
  const orders = await counterOrders();
  const payments = orders.flatMap((o) => o.payments).filter((p) => p.shift_id === shiftId && p.status === "paid");
  assert.equal(payments.length, 2);
  const byMethod = {};
  for (const p of payments) {
    byMethod[p.method] ??= { count: 0, amount_minor: 0 };
    byMethod[p.method].count += 1;
    byMethod[p.method].amount_minor += p.amount_minor;
  }
  assert.deepEqual(
    Object.fromEntries(z.sales.map((s) => [s.method, { count: s.count, amount_minor: s.amount_minor }])),
    byMethod,
  );
  const cashSales = payments.filter((p) => p.method === "cash").reduce((n, p) => n + p.amount_minor + p.rounding_minor, 0);
  assert.equal(z.cash.cash_sales_minor, cashSales);
  assert.deepEqual(
    z.cash_movements.map((m) => [m.kind, m.amount_minor, m.reason]).sort(),
    [["in", 10000, "Tambah uang kembalian"], ["out", 15000, "Beli es batu"]],
  );
  const expected = 200000 + cashSales + 10000 - 15000;
  assert.equal(z.cash.expected_minor, expected);
  assert.equal(z.cash.counted_minor, counted);
  assert.equal(z.cash.variance_minor, counted - expected);
  assert.equal(variance, counted - expected, "the till showed the same variance before confirming");
  assert.deepEqual(
    z.denominations.map((d) => [d.value_minor, d.count]),
    [[100000, 2], [50000, 1], [2000, 3], [1000, 1], [500, 2]],
  );

  // Printable, 80 mm.
  const popup = page.waitForEvent("popup");
  await page.locator(".z-report").click();
  const printed = await popup;
  await printed.waitForLoadState();
  assert.match(await printed.content(), /Z/);
  await printed.close();

  // The next shift: selling waits for it again.
  await page.locator(".next-shift").click();
  await page.locator(".open-shift").waitFor();
  assert.equal(await page.locator(".till-order").count(), 0);
});

test("a shift closed offline reaches the server after the sale made before it, and its Z report counts that sale", async () => {
  const page = till.page;
  await openShift(page, 100000);
  const second = await page.locator(".shift-bar").getAttribute("data-shift-id");
  assert.notEqual(second, shiftId, "a new shift");
  await till.goOffline();
  await page.locator(".connection.offline").waitFor();
  await addBySearch(page, "Kopi Susu");
  await page.locator(".customer-name").fill("Last");
  await payCash(page, 50000);
  await page.locator(".new-sale").click();
  await page.locator(".close-shift-button").click();
  await page.locator("#note-100000").fill("1");
  await page.locator("#coin-100").fill("3");
  await page.locator(".confirm-close").click();
  await page.locator(".confirm-close").click();
  await page.locator(".close-queued").waitFor();
  assert.equal((await brand.owner.get(`/api/v1/shifts/${second}`)).status, "open", "nothing sent yet");

  await till.goOnline();
  await page.locator(".shift-closed").waitFor({ timeout: 30000 });
  const z = await brand.owner.get(`/api/v1/shifts/${second}/report`);
  assert.equal(z.kind, "z");
  const [last] = (await counterOrders()).filter((o) => o.customer_name === "Last");
  const [paid] = last.payments;
  assert.equal(paid.shift_id, second);
  assert.equal(z.sales_total_minor, paid.amount_minor, "the Z report counts the sale queued before the close");
  const expected = 100000 + paid.amount_minor + paid.rounding_minor;
  assert.equal(z.cash.expected_minor, expected);
  assert.equal(z.cash.counted_minor, 100300);
  assert.equal(z.cash.variance_minor, 100300 - expected);
  assert.equal(Number(await page.locator(".shift-closed .variance").getAttribute("data-minor")), 100300 - expected);
  const closes = sql(tenant, `SELECT count(*) FROM audit_log WHERE entity_id = '${second}' AND action = 'shift.close'`);
  assert.deepEqual(closes, ["1"], "closed once");
});

test("a shift closed from the back office: the till's next sale is refused with a message and it asks for a shift", async () => {
  const page = till.page;
  await page.locator(".next-shift").click();
  await openShift(page, 100000);
  const third = await page.locator(".shift-bar").getAttribute("data-shift-id");
  await brand.owner.post(`/api/v1/shifts/${third}/close`, { counted_minor: 100000 });
  await addBySearch(page, "Kopi Susu");
  await page.locator(".customer-name").fill("Too late");
  await page.locator(".checkout-button").click();
  await page.locator('.tender-button[data-amount="50000"]').click();
  await page.locator(".complete-sale").click();
  await page.locator(".payment-panel .field-error", { hasText: /shift/i }).waitFor({ timeout: 15000 });
  await page.locator(".payment-actions button", { hasText: /Kembali|Back/ }).click();
  await page.locator(".open-shift").waitFor({ timeout: 15000 });
  await sleep(2000);
  assert.equal((await counterOrders()).filter((o) => o.customer_name === "Too late").length, 0, "no sale without a shift");
});
