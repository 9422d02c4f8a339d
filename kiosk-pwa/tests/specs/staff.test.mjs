// Orders the server refuses (rejected) or that clash with an earlier one
// (conflict) are never dropped: they go to the staff's "needs attention"
// list behind the PIN. A revoked kiosk goes back to pairing.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";

import {
  Device,
  Server,
  allOrders,
  idbPut,
  idbRows,
  pairingCode,
  queuedOrder,
  seedBrand,
  sleep,
} from "../support/harness.mjs";
import { STAFF_PIN, addItem, placeOrder, setStaffPin, startOrder } from "../support/screens.mjs";

let server;
let brand;
let kiosk;

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base, { pictures: false });
  kiosk = new Device("kiosk-staff");
  await kiosk.launch();
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(kiosk.consoleLog.join("\n"));
  await kiosk?.close();
  await server?.stop();
});

test("the first menu download shows a progress bar", async () => {
  const page = kiosk.page;
  // A slow network: each page of the menu takes a while.
  await page.route("**/api/v1/sync/pull?*", async (route) => {
    await sleep(1500);
    await route.continue().catch(() => {});
  });
  await page.goto(`${server.base}/kiosk/?pair=${await pairingCode(brand.owner, brand.outlet.id, "kiosk")}`);
  await page.locator(".sync-progress progress").waitFor({ timeout: 5000 });
  await kiosk.screenshot("kiosk-first-sync");
  await setStaffPin(page);
  await page.locator(".sync-progress").waitFor({ state: "detached", timeout: 10000 });
  await page.unrouteAll({ behavior: "ignoreErrors" });
  await page.locator(".start-button").waitFor();
});

test("rejected and conflicting orders wait for staff behind the PIN", async () => {
  const page = kiosk.page;
  await startOrder(page);
  await addItem(page, "Kopi Susu", { category: "Minuman" });
  const number = await placeOrder(page, "Ani");
  await page.locator('.confirmation[data-state="sent"]').waitFor();
  const [first] = await idbRows(page, "orders");
  const prefix = number.split("-")[0];

  // Queued orders the server must refuse (qty over its limit; a price the
  // item never had, as a tampered tablet would send), and one that reuses
  // the first order's id with other content.
  const rejected = queuedOrder({ id: randomUUID(), outletId: brand.outlet.id, item: brand.items.sate, number: `${prefix}-50`, qty: 500 });
  const free = queuedOrder({ id: randomUUID(), outletId: brand.outlet.id, item: brand.items.sate, number: `${prefix}-52`, qty: 5, shown: 0 });
  const conflict = queuedOrder({ id: first.client_order_id, outletId: brand.outlet.id, item: brand.items.sate, number: `${prefix}-51` });
  await idbPut(page, "orders", [rejected, free, conflict]);
  await page.reload();
  await page.locator(".staff-button .badge", { hasText: "3" }).waitFor({ timeout: 15000 });
  assert.equal((await allOrders(brand.owner, brand.outlet.id)).length, 1, "none reached the server as an order");

  await page.locator(".staff-button").click();
  await page.locator(".staff-panel #pin-input").fill("0000");
  await page.locator(".staff-panel .field-error", { hasText: /PIN salah|Wrong PIN/ }).waitFor();
  assert.equal(await page.locator(".attention-order").count(), 0, "nothing shown without the PIN");
  await page.locator(".staff-panel #pin-input").fill(STAFF_PIN);
  await page.locator(".attention-order").nth(2).waitFor();
  const outcomes = await page.locator(".attention-order .outcome").allTextContents();
  assert.deepEqual(outcomes.sort(), ["Ditolak", "Ditolak", "Konflik"]);
  assert.match(await page.locator(`.attention-order[data-client-order-id="${rejected.client_order_id}"]`).textContent(), /qty|99/i);
  // Staff read why, by item, in the screen's language (the server's code
  // translated): the server's price history never had Sate Ayam for free.
  assert.match(
    await page.locator(`.attention-order[data-client-order-id="${free.client_order_id}"] .hint`).textContent(),
    /Sate Ayam: .*tidak pernah berharga 0/,
  );
  // Nothing of them reached the kitchen.
  const tickets = await brand.owner.get(`/api/v1/outlets/${brand.outlet.id}/tickets?status=open`);
  assert.equal(tickets.length, 1, "only the real order's ticket");
  await kiosk.screenshot("kiosk-needs-attention");

  await page.locator(`.attention-order[data-client-order-id="${rejected.client_order_id}"] .primary`).click();
  await page.locator(`.attention-order[data-client-order-id="${rejected.client_order_id}"]`).waitFor({ state: "detached" });
  const rows = await idbRows(page, "orders");
  assert.equal(rows.find((r) => r.client_order_id === rejected.client_order_id).state, "handled", "kept, marked handled");
  assert.equal(await page.locator(".staff-button .badge").textContent(), "2");
  // Staff see whether the browser may evict the queue: what the browser says.
  const state = page.locator(".staff-panel .storage-state");
  await state.waitFor();
  const granted = await page.evaluate(() => navigator.storage.persisted());
  assert.equal(await state.getAttribute("data-persistent"), String(granted));
  await page.locator(".staff-panel .panel-head button").click();
});

test("the staff PIN is stored salted with PBKDF2; a PIN stored by an earlier build opens once and is stored again", async () => {
  const page = kiosk.page;
  const pinRecord = () => page.evaluate(() => JSON.parse(localStorage.getItem("pos.kiosk.pin")));
  const stored = await pinRecord();
  assert.equal(stored.kdf, "pbkdf2-sha256");
  assert.ok(stored.iterations >= 100000, `${stored.iterations} rounds`);
  assert.match(stored.salt, /^[0-9a-f]{32}$/);
  assert.match(stored.hash, /^[0-9a-f]{64}$/);
  assert.ok(!JSON.stringify(stored).includes(STAFF_PIN), "the PIN itself is not stored");

  // What earlier builds stored for PIN 4821 with salt 1234567890123 (std's
  // DefaultHasher; src/staff_pin.rs keeps a frozen copy to open it once).
  await page.evaluate(() => localStorage.setItem("pos.kiosk.pin", '{"salt":1234567890123,"hash":9435496587122423225}'));
  await page.reload();
  await page.locator(".staff-button").click();
  await page.locator(".staff-panel #pin-input").fill("4822");
  await page.locator(".staff-panel .field-error", { hasText: /PIN salah|Wrong PIN/ }).waitFor();
  assert.equal((await pinRecord()).hash, 9435496587122423225, "a wrong PIN changes nothing");
  const started = Date.now();
  await page.locator(".staff-panel #pin-input").fill("4821");
  await page.locator(".staff-panel .queue-facts").waitFor();
  console.log(`staff PIN check (legacy check + PBKDF2 re-hash): ${Date.now() - started} ms`);
  const migrated = await pinRecord();
  assert.equal(migrated.kdf, "pbkdf2-sha256", "stored again in the current form");
  assert.equal(migrated.hash.length, 64);
  await page.locator(".staff-panel .panel-head button").click();

  // The re-hashed PIN opens the panel; the old record is gone.
  await page.reload();
  await page.locator(".staff-button").click();
  const again = Date.now();
  await page.locator(".staff-panel #pin-input").fill("4821");
  await page.locator(".staff-panel .queue-facts").waitFor();
  console.log(`staff PIN check (PBKDF2, ${migrated.iterations} rounds): ${Date.now() - again} ms`);
  await page.locator(".staff-panel .panel-head button").click();
});

test("a revoked kiosk goes back to the pairing screen", async () => {
  const page = kiosk.page;
  const device = await page.evaluate(() => JSON.parse(localStorage.getItem("pos.device.kiosk")));
  await brand.owner.call("DELETE", `/api/v1/devices/${device.device_id}`);
  await page.locator("#pairing-code").waitFor({ timeout: 10000 });
  assert.equal(await page.evaluate(() => localStorage.getItem("pos.device.kiosk")), null);
  // Its orders stay on the device.
  assert.equal((await idbRows(page, "orders")).length, 3);
});
