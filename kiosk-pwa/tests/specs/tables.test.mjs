// Table service at the till (/pos/): a free table opens a check for a
// number of guests (shown on the check, changed there later, printed on the
// receipt) with a first round (a line's note reaches the kitchen ticket), a second round
// fires a second ticket, the check moves to another table, is split in two
// (by item), one part paid by cash with change and the other by QRIS
// (through the gateway stand-in's page), and the table is free afterwards;
// a round taken offline is shown queued on the check and reaches the
// server exactly once when the network returns.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Device, Server, Standin, eventually, freePort, pairingCode, seedBrand, sleep } from "../support/harness.mjs";
import { addBySearch, cashier, openShift, payCash, signIn, sql, tenantOf } from "../support/till.mjs";

let server;
let standin;
let brand;
let tenant;
let till;
let phone;
const tables = {};

before(async () => {
  const port = await freePort();
  standin = await new Standin().start(port);
  server = await new Server({ port, env: standin.serverEnv(port) }).start();
  brand = await seedBrand(server.base, { pictures: false });
  tenant = tenantOf(brand.owner.token);
  await cashier(brand.owner, brand.outlet.id, "Sari Kasir", "520814");
  const area = await brand.owner.post(`/api/v1/outlets/${brand.outlet.id}/areas`, { name: "Dalam" });
  for (const [i, label] of ["A1", "A2", "A3"].entries()) {
    tables[label] = await brand.owner.post(`/api/v1/outlets/${brand.outlet.id}/tables`, {
      area_id: area.id,
      label,
      position: i,
    });
  }
  till = new Device("till-tables");
  phone = new Device("phone-tables", { viewport: { width: 900, height: 700 } });
  await Promise.all([till.launch(), phone.launch()]);
  const code = await pairingCode(brand.owner, brand.outlet.id, "till");
  await till.page.goto(`${server.base}/pos/?pair=${encodeURIComponent(code)}`);
  await till.page.locator(".till-sign-in .staff-choice").first().waitFor({ timeout: 20000 });
  await signIn(till.page, "Sari Kasir", "520814");
  await openShift(till.page, 100000); // a sale, at a table too, needs an open shift
  await till.page.locator(".item-card").first().waitFor({ timeout: 15000 });
});

after(async () => {
  if (process.env.DEBUG_TESTS) {
    console.log(till?.consoleLog.join("\n"));
    console.log(server?.log.join(""));
  }
  await till?.close();
  await phone?.close();
  await server?.stop();
  await standin?.stop();
});

const order = (id) => brand.owner.get(`/api/v1/orders/${id}`);
const ticketCount = (orderId) => Number(sql(tenant, `SELECT count(*) FROM tickets WHERE order_id = '${orderId}'`)[0]);
const checkId = async (page) => page.locator(".check-panel").getAttribute("data-order-id");

/** From the floor, the table `label` (its state as the button shows it). */
async function openTable(page, label, free) {
  await page.locator(".tables-button").click();
  const button = page.locator(`.floor-table[data-label="${label}"][data-free="${free}"]`);
  await button.waitFor({ timeout: 10000 });
  await button.click();
}

test("a table with two rounds is moved, split in two, paid by cash and QRIS, and is free again", async () => {
  const page = till.page;

  // A free table: the cart goes to it; a note for the line.
  await openTable(page, "A1", true);
  await page.locator(".round-bar").waitFor();
  assert.match(await page.locator(".round-seat").textContent(), /A1/);
  // How many guests: 1 unless told; the stepper and the field.
  assert.equal(await page.locator(".guest-count").inputValue(), "1");
  assert.ok(await page.locator(".guests-less").isDisabled(), "not fewer than one guest");
  await page.locator(".guests-more").click();
  await page.locator(".guests-more").click();
  await page.locator(".guests-more").click();
  await page.locator(".guests-less").click();
  await page.locator(".guest-count").fill("150");
  await page.locator(".guest-count").press("Tab");
  assert.equal(await page.locator(".guest-count").inputValue(), "3", "out of range: the count stays");
  await addBySearch(page, "Kopi Susu");
  await page.locator('.line-note[data-item="Kopi Susu"]').fill("tanpa es");
  await till.screenshot("till-table-first-round");
  await page.locator(".send-round").click();
  await page.locator(".check-panel").waitFor({ timeout: 15000 });
  const id = await checkId(page);
  await page.locator(".check-line").first().waitFor();
  assert.equal(await page.locator(".check-line").count(), 1);

  // A second round.
  await page.locator(".add-round").click();
  await addBySearch(page, "Mie Ayam");
  await page.locator(".send-round").click();
  await page.locator(".check-panel").waitFor({ timeout: 15000 });
  await eventually(async () => (await page.locator(".check-line").count()) === 2, { what: "two lines on the check" });
  // Lines by round.
  await page.locator('.check-round[data-round="2"] .check-line', { hasText: "Mie Ayam" }).waitFor({ timeout: 10000 });
  assert.match(await page.locator('.check-round[data-round="1"]').textContent(), /Kopi Susu.*tanpa es/);

  let check = await order(id);
  assert.equal(check.channel, "table");
  assert.equal(check.guest_count, 3, "seated for the guests picked");
  await page.locator('.check-guest-count[data-guests="3"]').waitFor();

  // Guests changed on the check: on the server, and on the printable receipt.
  await page.locator(".check-guest-count").fill("5");
  await page.locator(".save-guests").click();
  await page.locator('.check-guest-count[data-guests="5"]').waitFor({ timeout: 10000 });
  assert.equal((await order(id)).guest_count, 5);
  const bill = await fetch(`${server.base}/api/v1/orders/${id}/receipt?lang=en`, {
    headers: { Authorization: `Bearer ${brand.owner.token}` },
  }).then((r) => r.text());
  assert.match(bill, /<tr class="guests"><td>Guests<\/td><td class="amt">5<\/td><\/tr>/);
  assert.equal(check.table_id, tables.A1.id);
  assert.deepEqual(check.items.map((l) => l.name), ["Kopi Susu", "Mie Ayam"]);
  assert.equal(check.items[0].note, "tanpa es");
  assert.equal(ticketCount(id), 2, "each round fired a kitchen ticket");
  const [firstTicket] = sql(tenant, `SELECT lines::text FROM tickets WHERE order_id = '${id}' ORDER BY created_at LIMIT 1`);
  assert.match(firstTicket, /tanpa es/, "the note is on the kitchen ticket");
  // The till shows the server's total.
  assert.equal(Number(await page.locator(".check-total").getAttribute("data-minor")), check.total_minor);

  // Moved to A2: A1 is free again.
  await page.locator(".move-check").click();
  await page.locator('.pick-table[data-label="A2"]').click();
  await page.locator(".check-table", { hasText: "A2" }).waitFor({ timeout: 10000 });
  check = await order(id);
  assert.equal(check.table_id, tables.A2.id);
  assert.equal((await brand.owner.get(`/api/v1/tables/${tables.A1.id}`)).open_check_id, null);
  assert.equal((await brand.owner.get(`/api/v1/tables/${tables.A2.id}`)).open_check_id, id);

  // Split by item: the coffee goes to an order of its own, paid by cash.
  await page.locator(".split-items").click();
  await page.locator(".split-line", { hasText: "Kopi Susu" }).locator("input").check();
  await page.locator(".split-off").click();
  await page.locator(".payment-panel").waitFor({ timeout: 10000 });
  const due = Number(await page.locator(".left-to-pay").getAttribute("data-minor"));
  await page.locator('.tender-button[data-amount="100000"]').click();
  await page.locator('.left-to-pay[data-minor="0"]').waitFor();
  await page.locator(".complete-sale").click();
  await page.locator(".sale-done").waitFor({ timeout: 15000 });
  const change = Number(await page.locator(".sale-done .change-due").getAttribute("data-minor"));
  assert.ok(change > 0, "change shown");
  await till.screenshot("till-table-split-cash");

  const all = (await brand.owner.get(`/api/v1/orders?outlet_id=${brand.outlet.id}&limit=100`)).items;
  const others = await Promise.all(all.filter((o) => o.id !== id).map((o) => order(o.id)));
  const paidPart = others.find((o) => o.items.some((l) => l.name === "Kopi Susu"));
  assert.ok(paidPart, "the split-off order");
  assert.equal(paidPart.total_minor, due);
  assert.equal(paidPart.payment_status, "paid");
  assert.equal(paidPart.payments[0].method, "cash");
  assert.equal(paidPart.payments[0].change_minor, change, "the change shown is the server's");
  check = await order(id);
  assert.deepEqual(check.items.map((l) => l.name), ["Mie Ayam"]);
  assert.equal(check.payment_status, "unpaid");
  await page.locator(".new-sale").click();

  // The rest by QRIS, paid at the gateway stand-in's page.
  await openTable(page, "A2", false);
  await page.locator(".check-panel").waitFor();
  await page.locator(".pay-check").first().click();
  await page.locator(".payment-panel").waitFor();
  await page.locator(".qris-button").click();
  await page.locator('.qris-payment[data-state="showing"]').waitFor({ timeout: 15000 });
  await till.screenshot("till-table-qris");
  const charge = await standin.pendingCharge(check.total_minor);
  await phone.page.goto(`${standin.base}/`);
  await phone.page.locator("tr", { hasText: charge.order_id }).locator("button.pay").click();
  await page.locator(".sale-done").waitFor({ timeout: 15000 });
  check = await order(id);
  assert.equal(check.payment_status, "paid");
  assert.equal(check.payments.filter((p) => p.status === "paid")[0].method, "qris");
  await page.locator(".new-sale").click();

  // The table is free again, on the server and on the floor.
  assert.equal((await brand.owner.get(`/api/v1/tables/${tables.A2.id}`)).open_check_id, null);
  await page.locator(".tables-button").click();
  await page.locator('.floor-table[data-label="A2"][data-free="true"]').waitFor({ timeout: 10000 });
  await till.screenshot("till-table-free");
});

test("offline, a round and a new check are queued and reach the server exactly once, in order", async () => {
  const page = till.page;
  await openTable(page, "A3", true);
  await addBySearch(page, "Kopi Susu");
  await page.locator(".send-round").click();
  await page.locator(".check-panel").waitFor({ timeout: 15000 });
  const id = await checkId(page);
  await page.locator(".check-line").first().waitFor();

  await till.goOffline();
  await page.locator(".connection.offline").waitFor();
  // A round for A3.
  await page.locator(".add-round").click();
  await addBySearch(page, "Sate Ayam");
  await page.locator('.line-note[data-item="Sate Ayam"]').fill("pedas");
  await page.locator(".send-round").click();
  await page.locator(".check-panel .queued-round").waitFor({ timeout: 15000 });
  // The check as last loaded stays on screen, with the round waiting under it.
  await page.locator(".check-line", { hasText: "Kopi Susu" }).waitFor({ timeout: 5000 });
  await till.screenshot("till-table-round-queued");
  // A new check at A1, then a second round on it.
  await openTable(page, "A1", true);
  await addBySearch(page, "Mie Ayam");
  await page.locator(".send-round").click();
  await page.locator(".check-panel .queued-round").waitFor({ timeout: 15000 });
  assert.equal((await page.locator(".check-table").textContent()).trim(), "A1");
  await page.locator(".add-round").click();
  await addBySearch(page, "Kopi Susu");
  await page.locator(".send-round").click();
  await eventually(async () => (await page.locator(".check-panel .queued-round").count()) === 2, {
    what: "two rounds queued on the new check",
  });
  await page.locator(".tables-button").click();
  await page.locator('.floor-table[data-label="A1"][data-free="false"]').waitFor();
  await page.locator('.floor-table[data-label="A3"][data-free="false"] .table-balance').waitFor();
  await till.screenshot("till-table-opened-offline");
  assert.equal((await order(id)).items.length, 1, "nothing reached the server yet");
  assert.equal((await brand.owner.get(`/api/v1/tables/${tables.A1.id}`)).open_check_id, null);

  await till.goOnline();
  await eventually(async () => (await order(id)).items.length === 2, { timeout: 30000, what: "the queued round" });
  let opened;
  await eventually(
    async () => {
      opened = (await brand.owner.get(`/api/v1/tables/${tables.A1.id}`)).open_check_id;
      return opened && (await order(opened)).items.length === 2;
    },
    { timeout: 30000, what: "the check opened offline, with its second round" },
  );
  await sleep(4000); // a second send would have landed by now
  const check = await order(id);
  assert.deepEqual(check.items.map((l) => l.name), ["Kopi Susu", "Sate Ayam"]);
  assert.equal(check.items[1].note, "pedas");
  assert.equal(ticketCount(id), 2, "one ticket per round");
  const [rounds] = sql(tenant, `SELECT count(*) FROM check_rounds WHERE order_id = '${id}'`);
  assert.equal(Number(rounds), 1, "the queued round once");

  const seated = await order(opened);
  assert.deepEqual(seated.items.map((l) => l.name), ["Mie Ayam", "Kopi Susu"], "opened first, then its round");
  const [atA1] = sql(tenant, `SELECT count(*) FROM orders WHERE table_id = '${tables.A1.id}' AND status <> 'cancelled'`);
  assert.equal(Number(atA1), 1, "one check at A1");
  assert.equal(ticketCount(opened), 2);

  // The floor and the check follow the server.
  await page.locator('.floor-table[data-label="A1"][data-free="false"]').click();
  await page.locator(`.check-panel[data-order-id="${opened}"]`).waitFor({ timeout: 10000 });
  await page.locator(".check-line", { hasText: "Mie Ayam" }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator(".check-panel .queued-round").count(), 0);
});

test("a counter sale's line note reaches the order and the kitchen ticket", async () => {
  const page = till.page;
  await page.locator(".counter-button").click();
  await page.locator(".till-order").waitFor();
  await addBySearch(page, "Mie Ayam");
  await page.locator(".sale-notes summary").click();
  await page.locator('.line-note[data-item="Mie Ayam"]').fill("tanpa sayur");
  await payCash(page, 50000);
  const orders = (await brand.owner.get(`/api/v1/orders?outlet_id=${brand.outlet.id}&limit=100`)).items;
  const sale = await order(orders.filter((o) => o.channel === "counter").sort((a, b) => b.created_at.localeCompare(a.created_at))[0].id);
  assert.equal(sale.items[0].note, "tanpa sayur");
  const [ticket] = sql(tenant, `SELECT lines::text FROM tickets WHERE order_id = '${sale.id}'`);
  assert.match(ticket, /tanpa sayur/);
  await page.locator(".new-sale").click();
});

test("a check split evenly is paid part by part: cash, then card; the table is free", async () => {
  const page = till.page;
  await openTable(page, "A2", true);
  await addBySearch(page, "Kopi Susu");
  await addBySearch(page, "Sate Ayam");
  await page.locator(".send-round").click();
  await page.locator(".check-panel").waitFor({ timeout: 15000 });
  const id = await checkId(page);
  await page.locator(".split-even").click();
  await page.locator(".split-ways").fill("2");
  await page.locator(".split-even-form button[type=submit]").click();
  await page.locator(".even-part").nth(1).waitFor({ timeout: 10000 });
  const parts = await page.locator(".even-part").evaluateAll((ps) => ps.map((p) => Number(p.dataset.minor)));
  const check = await order(id);
  assert.equal(parts.length, 2);
  assert.equal(parts[0] + parts[1], check.total_minor, "the parts sum to the bill");

  // The first part in cash (exact).
  await page.locator(".even-part").first().locator(".pay-part").click();
  await page.locator(".payment-panel").waitFor();
  assert.equal(Number(await page.locator(".left-to-pay").getAttribute("data-minor")), parts[0]);
  await page.locator(".tender-button").first().click();
  await page.locator(".complete-sale").click();
  await page.locator(".sale-done").waitFor({ timeout: 15000 });
  const half = await order(id);
  assert.equal(half.payment_status, "partially_paid");
  assert.equal(half.paid_minor, parts[0]);
  await page.locator(".new-sale").click();

  // The second part by card; the check is paid and A2 is free.
  await openTable(page, "A2", false);
  await page.locator(".check-panel .pay-check").click();
  await page.locator(".payment-panel").waitFor();
  assert.equal(Number(await page.locator(".left-to-pay").getAttribute("data-minor")), parts[1]);
  await page.locator(".approval-code").fill("APP123");
  await page.locator("form.card button[type=submit]").click();
  await page.locator('.left-to-pay[data-minor="0"]').waitFor();
  await page.locator(".complete-sale").click();
  await page.locator(".sale-done").waitFor({ timeout: 15000 });
  const paid = await order(id);
  assert.equal(paid.payment_status, "paid");
  assert.deepEqual(paid.payments.map((p) => [p.method, p.amount_minor]), [["cash", parts[0]], ["card", parts[1]]]);
  assert.equal((await brand.owner.get(`/api/v1/tables/${tables.A2.id}`)).open_check_id, null);
  await page.locator(".new-sale").click();
});
