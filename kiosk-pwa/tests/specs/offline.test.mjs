// Offline: orders taken with no network are kept (across reloads) and
// delivered exactly once; a sold-out item leaves the open kiosk at once; a
// kitchen display that was offline shows every ticket it missed, and a bump
// made offline reaches the server later.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";

import { Device, Server, allOrders, eventually, idbRows, pairingCode, seedBrand, sleep } from "../support/harness.mjs";
import { addItem, newOrder, pairKds, pairKiosk, placeOrder, startOrder } from "../support/screens.mjs";

let server;
let brand;
let kiosk;
let kds;

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base);
  kiosk = new Device("kiosk-offline");
  kds = new Device("kds-offline");
  await kiosk.launch();
  await kds.launch();
  await pairKiosk(kiosk.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kiosk"));
  await pairKds(kds.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kds"));
  // The service worker must control the page before it can start it offline.
  await kiosk.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
});

after(async () => {
  for (const d of [kiosk, kds]) {
    if (process.env.DEBUG_TESTS) console.log(d.name, d.consoleLog.join("\n"));
    await d?.close();
  }
  await server?.stop();
});

const pendingCount = async (page) => Number((await page.locator(".connection .pending").getAttribute("data-pending")) || 0);

test("five orders placed offline, a reload while offline, then online: exactly five orders on the server", async () => {
  const kp = kiosk.page;
  await kiosk.goOffline();
  await kp.locator(".connection.offline").waitFor();
  const numbers = [];
  const tapToConfirmation = [];
  for (let i = 0; i < 5; i++) {
    await startOrder(kp);
    await addItem(kp, "Nasi Goreng", { options: ["Pedas"] });
    await addItem(kp, "Es Teh Manis", { options: ["Normal"], category: "Minuman" });
    await kp.locator(".checkout-button").click();
    await kp.locator("#pickup-name").fill(`Tamu ${i + 1}`);
    const t0 = Date.now();
    await kp.locator(".place-order").click();
    await kp.locator('.confirmation[data-state="saved"]').waitFor();
    tapToConfirmation.push(Date.now() - t0);
    numbers.push((await kp.locator(".pickup-number").textContent()).trim());
    if (i === 0) await kiosk.screenshot("kiosk-offline-confirmation");
    await newOrder(kp);
  }
  console.log(`# offline: tap "place order" -> confirmation: ${tapToConfirmation.join(", ")} ms`);
  assert.equal(new Set(numbers).size, 5, `distinct numbers: ${numbers}`);
  assert.equal(await pendingCount(kp), 5);
  const saved = await idbRows(kp, "orders");
  assert.equal(saved.filter((o) => o.state === "pending").length, 5);

  // Reload with no network: the service worker starts the app, the queue is still there.
  await kp.reload();
  await kp.locator(".start-button").waitFor({ timeout: 15000 });
  await eventually(async () => (await pendingCount(kp)) === 5, { what: "5 pending after reload" });
  await kiosk.screenshot("kiosk-offline-pending");
  assert.equal((await allOrders(brand.owner, brand.outlet.id)).length, 0, "nothing reached the server yet");

  await kiosk.goOnline();
  await eventually(async () => (await allOrders(brand.owner, brand.outlet.id)).length === 5, {
    timeout: 20000,
    what: "5 orders on the server",
  });
  await kp.locator(".connection .pending").waitFor({ state: "detached", timeout: 10000 });
  await sleep(1500); // any duplicate push would have landed by now
  const orders = await allOrders(brand.owner, brand.outlet.id);
  assert.equal(orders.length, 5);
  assert.deepEqual(orders.map((o) => o.number).sort(), [...numbers].sort(), "the kiosk's own numbers kept");
  const rows = await idbRows(kp, "orders");
  assert.ok(rows.every((o) => o.state === "confirmed"), JSON.stringify(rows.map((o) => o.state)));
});

test("an order at the price shown before a price change, sent later, is kept at that price and flagged", async () => {
  const kp = kiosk.page;
  await kiosk.goOffline();
  await kp.locator(".connection.offline").waitFor();
  await startOrder(kp);
  await addItem(kp, "Mie Ayam");
  await kp.locator(".checkout-button").click();
  await kp.locator("#pickup-name").fill("Lama");
  await kp.locator(".place-order").click();
  await kp.locator('.confirmation[data-state="saved"]').waitFor();
  const number = (await kp.locator(".pickup-number").textContent()).trim();
  // While the kiosk is offline the price goes up.
  await brand.owner.patch(`/api/v1/menu-items/${brand.items.mieAyam.id}`, { price_minor: 30000 });
  await kiosk.goOnline();
  const order = await eventually(
    async () => (await allOrders(brand.owner, brand.outlet.id)).find((o) => o.number === number),
    { timeout: 20000, what: "the offline order on the server" },
  );
  assert.equal(order.items[0].unit_price_minor, 28000, "the price the customer was shown");
  assert.equal(order.items[0].name, "Mie Ayam");
  assert.deepEqual(order.flags, ["price_changed"]);
  const [queued] = (await idbRows(kp, "orders")).filter((o) => o.client_order_id === order.client_order_id);
  assert.match(queued.body.priced_from, /^v\d+$/, "the order names the menu it was priced from");
  await kp.locator('.confirmation[data-state="sent"]').waitFor();
  await newOrder(kp);
  // The kiosk's menu follows: new orders are at the new price, online.
  await startOrder(kp);
  await addItem(kp, "Mie Ayam");
  assert.match(await kp.locator(".cart-subtotal").textContent(), /Rp 30\.000/);
  await kp.locator(".cart-drawer .secondary").click();
  await brand.owner.patch(`/api/v1/menu-items/${brand.items.mieAyam.id}`, { price_minor: 28000 });
});

test("an item 86ed in the admin disappears from the open kiosk", async () => {
  const kp = kiosk.page;
  await startOrder(kp);
  const card = kp.locator(".item-card", { hasText: "Sate Ayam" });
  await card.waitFor();
  // The owner, in the web admin on another machine, 86es it with one click.
  const admin = await kds.context.newPage();
  try {
    await admin.goto(`${server.base}/admin/login`);
    await admin.fill("#f-email", brand.credentials.email);
    await admin.fill("#f-password", brand.credentials.password);
    await Promise.all([admin.waitForURL((u) => u.pathname.replace(/\/$/, "") === "/admin"), admin.click("button[type=submit]")]);
    await admin.goto(`${server.base}/admin/outlets/${brand.outlet.id}/availability`);
    const toggle = admin.locator(`#avail-${brand.items.sate.id} button.toggle`);
    const t0 = Date.now();
    await toggle.click();
    await card.waitFor({ state: "detached", timeout: 1000 });
    console.log(`# 86 in the admin -> gone from the kiosk: ${Date.now() - t0} ms`);
    await admin.locator(`#avail-${brand.items.sate.id} button.toggle.off`).waitFor();
    // Back on: it returns.
    await admin.locator(`#avail-${brand.items.sate.id} button.toggle`).click();
    await card.waitFor({ timeout: 5000 });
  } finally {
    await admin.close();
  }
  // In the cart when 86ed: removed, and the customer is told.
  await addItem(kp, "Mie Ayam");
  await brand.owner.patch(`/api/v1/outlets/${brand.outlet.id}/menu-items/${brand.items.mieAyam.id}`, { available: false });
  await kp.locator(".cart-drawer .notice", { hasText: "Mie Ayam" }).waitFor({ timeout: 5000 });
  assert.equal(await kp.locator(".cart-line").count(), 0);
  await kiosk.screenshot("kiosk-sold-out");
  await brand.owner.patch(`/api/v1/outlets/${brand.outlet.id}/menu-items/${brand.items.mieAyam.id}`, { available: true });
  await kp.locator(".cart-drawer .secondary").click();
});

async function counterOrder(name) {
  return brand.owner.post("/api/v1/orders", {
    client_order_id: randomUUID(),
    outlet_id: brand.outlet.id,
    channel: "counter",
    customer_name: name,
    created_at_client: new Date().toISOString(),
    items: [{ menu_item_id: brand.items.kopi.id, qty: 1, modifier_option_ids: [] }],
  });
}

// The issue asks for a minute offline (POS_KDS_OFFLINE_MS shortens it by hand).
const KDS_OFFLINE_MS = Number(process.env.POS_KDS_OFFLINE_MS || 60_000);

test("a KDS offline for a minute while three orders arrive shows all three after reconnecting", async () => {
  const dp = kds.page;
  // Clear what earlier tests left on the screen.
  while ((await dp.locator(".ticket .bump-button").count()) > 0) await dp.locator(".ticket .bump-button").first().click();
  await kds.goOffline();
  await dp.locator(".behind-banner").waitFor({ timeout: 5000 });
  const offlineAt = Date.now();
  const missed = [];
  for (const name of ["Rina", "Joko", "Dewi"]) {
    missed.push((await counterOrder(name)).number);
    await sleep(KDS_OFFLINE_MS / 4);
  }
  await sleep(Math.max(0, KDS_OFFLINE_MS - (Date.now() - offlineAt)));
  for (const number of missed) assert.equal(await dp.locator(`.ticket[data-number="${number}"]`).count(), 0);
  assert.match(await dp.locator(".behind-banner").textContent(), /\d:\d\d/);
  await kds.screenshot("kds-offline-behind");
  const t0 = Date.now();
  await kds.goOnline();
  for (const number of missed) await dp.locator(`.ticket[data-number="${number}"]`).waitFor({ timeout: 10000 });
  console.log(`# KDS back online -> 3 missed tickets shown: ${Date.now() - t0} ms`);
  await dp.locator(".behind-banner").waitFor({ state: "detached", timeout: 5000 });
});

test("a KDS whose resume point is no longer kept gets a reset and shows every open ticket", async () => {
  const dp = kds.page;
  await kds.goOffline();
  await dp.locator(".behind-banner").waitFor({ timeout: 5000 });
  const missed = [];
  for (const name of ["Sari", "Budi"]) missed.push((await counterOrder(name)).number);
  // The display resumes from a point the server's log does not have (as after
  // the log was trimmed): the server answers `reset`, not a replay.
  const resumes = [];
  await kds.context.route(/\/api\/v1\/outlets\/[^/]+\/events\?/, (route) => {
    const url = new URL(route.request().url());
    if (url.searchParams.has("last_event_id")) {
      resumes.push(url.searchParams.get("last_event_id"));
      url.searchParams.set("last_event_id", "999999999");
    }
    return route.continue({ url: url.toString() });
  });
  const reloads = [];
  const onRequest = (r) => {
    if (/\/tickets(\?|$)/.test(r.url()) && r.method() === "GET") reloads.push(r.url());
  };
  kds.context.on("request", onRequest);
  try {
    await kds.goOnline();
    for (const number of missed) await dp.locator(`.ticket[data-number="${number}"]`).waitFor({ timeout: 10000 });
    assert.ok(resumes.length > 0, "the display asked to resume from where it was");
    assert.ok(reloads.length > 0, "it reloaded the open tickets");
    await dp.locator(".behind-banner").waitFor({ state: "detached", timeout: 5000 });
  } finally {
    kds.context.off("request", onRequest);
    await kds.context.unrouteAll({ behavior: "ignoreErrors" });
  }
  // Live again: the next order arrives as an event.
  const next = await counterOrder("Wati");
  await dp.locator(`.ticket[data-number="${next.number}"]`).waitFor({ timeout: 5000 });
});

test("a bump made offline is queued and reaches the server once back online", async () => {
  const dp = kds.page;
  // Bumps queued by the previous test's clean-up are through.
  await dp.locator(".connection .pending").waitFor({ state: "detached", timeout: 15000 });
  const order = await counterOrder("Tono");
  const ticket = dp.locator(`.ticket[data-number="${order.number}"]`);
  await ticket.waitFor();
  await kds.goOffline();
  await dp.locator(".connection.offline").waitFor();
  await ticket.locator(".bump-button").click();
  await ticket.waitFor({ state: "detached" });
  assert.equal(await pendingCount(dp), 1);
  assert.equal((await idbRows(dp, "kitchen_moves")).length, 1);
  // A reload keeps the queued bump (and the ticket bumped on screen). The
  // reload happens with the server stopped rather than offline: right after
  // a reload Chromium's offline emulation has let a request through, which
  // would test the emulation, not the app.
  await server.stop();
  await kds.goOnline();
  await dp.reload();
  await dp.locator(".kds-main").waitFor({ timeout: 15000 });
  await eventually(async () => (await pendingCount(dp)) === 1, { what: "bump still queued" });
  assert.equal(await ticket.count(), 0);
  await server.start();
  await eventually(async () => (await brand.owner.get(`/api/v1/orders/${order.id}`)).status === "ready", {
    timeout: 70000,
    interval: 250,
    what: "order ready on the server",
  });
  await dp.locator(".connection .pending").waitFor({ state: "detached" });
  assert.equal(await ticket.count(), 0);
});
