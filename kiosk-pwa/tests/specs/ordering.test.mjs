// A customer orders on the kiosk; the kitchen sees the ticket at once,
// bumps it, and the kiosk (and the pickup board) say it is ready.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";

import {
  Device,
  Server,
  allOrders,
  eventually,
  holdNextAnswer,
  idbRows,
  pairingCode,
  seedBrand,
  sleep,
} from "../support/harness.mjs";
import { addItem, newOrder, pairKds, pairKiosk, placeOrder, startOrder } from "../support/screens.mjs";

let server;
let brand;
let kiosk;
let kds;

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base);
  // Cash at the counter is rounded to Rp 500.
  await brand.owner.patch(`/api/v1/outlets/${brand.outlet.id}`, { cash_rounding_step: 500 });
  kiosk = new Device("kiosk");
  kds = new Device("kds");
  await kiosk.launch();
  await kds.launch();
});

after(async () => {
  for (const d of [kiosk, kds]) {
    if (process.env.DEBUG_TESTS) console.log(d.name, d.consoleLog.join("\n"));
    await d?.close();
  }
  await server?.stop();
});

test("a kiosk and a kitchen display pair with their codes", async () => {
  await pairKiosk(kiosk.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kiosk", "Kiosk 1"));
  await pairKds(kds.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kds", "Dapur"));
  // The pairing code left the address bar once used.
  assert.ok(!kiosk.page.url().includes("pair="));
  await kiosk.screenshot("kiosk-welcome");
});

test("an order with modifiers reaches the KDS within a second; bumping makes the kiosk say ready", async () => {
  const kp = kiosk.page;
  const dp = kds.page;
  await startOrder(kp);
  // Pictures are lazy: let them load for the screenshot.
  await kp.waitForFunction(() => [...document.querySelectorAll(".item-card img")].every((i) => i.complete));
  await kiosk.screenshot("kiosk-menu");

  // A required group blocks "add" until chosen; a max-2 group refuses a third option.
  await kp.locator(".item-card", { hasText: "Nasi Goreng" }).click();
  const sheet = kp.locator(".item-sheet");
  assert.equal(await sheet.locator(".add-to-order").isDisabled(), true, "required choice missing");
  await sheet.locator(".option", { hasText: "Extra pedas" }).click();
  await sheet.locator(".option", { hasText: "Telur mata sapi" }).click();
  await sheet.locator(".option", { hasText: "Kerupuk" }).click();
  assert.equal(await sheet.locator(".option", { hasText: "Sate ayam" }).isDisabled(), true, "max 2 reached");
  await sheet.locator(".stepper button").nth(1).click();
  assert.match(await sheet.locator(".add-to-order").textContent(), /Rp 90\.000/); // (35.000 + 2.000 + 5.000 + 3.000) × 2
  await sheet.locator(".add-to-order").click();
  await addItem(kp, "Es Teh Manis", { options: ["Sedikit"], category: "Minuman" });
  await addItem(kp, "Kopi Susu");
  // Change the cart: one more coffee, then remove the coffee line.
  const coffee = kp.locator(".cart-line", { hasText: "Kopi Susu" });
  await coffee.locator(".stepper button").nth(1).click();
  assert.equal((await coffee.locator(".qty").textContent()).trim(), "2");
  await coffee.locator(".remove").click();
  await coffee.waitFor({ state: "detached" });
  assert.match(await kp.locator(".cart-subtotal").textContent(), /Rp 98\.000/);
  await kiosk.screenshot("kiosk-cart");

  await kp.locator(".checkout-button").click();
  // Service 5% then tax 10% on top: 98.000 + 4.900 + 10.290 = 113.190.
  assert.match(await kp.locator(".grand-total").textContent(), /Rp 113\.190/);
  await kiosk.screenshot("kiosk-checkout");
  await kp.locator("#pickup-name").fill("Siti");
  const tapped = Date.now();
  await kp.locator(".place-order").click();
  await kp.locator(".confirmation .pickup-number").waitFor();
  const number = (await kp.locator(".pickup-number").textContent()).trim();
  assert.match(number, /^K\d+-1$/);
  // To pay at the counter: the total, and what the drawer takes in cash.
  assert.match(await kp.locator(".pay-reminder > strong").textContent(), /Rp 113\.190/);
  assert.match(await kp.locator(".pay-reminder .cash-total").textContent(), /tunai Rp 113\.000/);

  // The ticket(s) on the KDS: one per station.
  await dp.locator(`.ticket[data-number="${number}"]`).first().waitFor({ timeout: 5000 });
  const latency = Date.now() - tapped;
  console.log(`# tap "place order" -> ticket on the KDS: ${latency} ms`);
  assert.ok(latency < 1000, `ticket took ${latency} ms`);
  await eventually(async () => (await dp.locator(`.ticket[data-number="${number}"]`).count()) === 2, {
    what: "kitchen and bar tickets",
  });
  await kp.locator('.confirmation[data-state="sent"]').waitFor();
  await kiosk.screenshot("kiosk-confirmation");

  // All-day counts add up the open tickets.
  const allDay = await dp.locator(".all-day li").allTextContents();
  assert.ok(allDay.some((row) => /Nasi Goreng\s*2/.test(row)), allDay.join("|"));
  await kds.screenshot("kds-tickets");

  // The server has the order as shown, with the kiosk's number.
  const [order] = await allOrders(brand.owner, brand.outlet.id);
  assert.equal(order.number, number);
  assert.equal(order.total_minor, 113190);
  assert.equal(order.customer_name, "Siti");
  assert.deepEqual(order.flags, []);

  // Bump both tickets: the order becomes ready and the kiosk shows it.
  while ((await dp.locator(`.ticket[data-number="${number}"] .bump-button`).count()) > 0) {
    await dp.locator(`.ticket[data-number="${number}"] .bump-button`).first().click();
  }
  await kp.locator('.confirmation[data-state="ready"]').waitFor({ timeout: 5000 });
  await kiosk.screenshot("kiosk-ready");
  const queued = await idbRows(kp, "orders");
  assert.equal(queued.length, 1);
  assert.equal(queued[0].state, "confirmed");
});

test("the pickup board shows ready numbers and a recalled ticket goes back to preparing", async () => {
  // The board is a device of its own (read-only), paired with a board code.
  const board = await kds.context.newPage();
  await pairKds(board, server.base, await pairingCode(brand.owner, brand.outlet.id, "board", "Papan"), "/kds/board");
  const [order] = await allOrders(brand.owner, brand.outlet.id);
  await board.locator(".board-column.ready li", { hasText: order.number }).waitFor();

  // Recall from the KDS: the ticket is back, the order preparing, the board follows.
  const dp = kds.page;
  await dp.locator(".recall-list .recall-button").first().click();
  await dp.locator(`.ticket[data-number="${order.number}"]`).waitFor();
  await board.locator(".board-column.preparing li", { hasText: order.number }).waitFor({ timeout: 5000 });
  await eventually(async () => (await brand.owner.get(`/api/v1/orders/${order.id}`)).status === "preparing", {
    what: "order back to preparing",
  });
  await dp.locator(`.ticket[data-number="${order.number}"] .bump-button`).click();
  await board.locator(".board-column.ready li.just-ready", { hasText: order.number }).waitFor({ timeout: 5000 });
  await board.screenshot({ path: `${process.env.POS_ARTIFACTS || "/tmp/pos-artifacts"}/board.png` });
  await board.close();
});

test("the pickup board keeps a number that turned ready while its list was reloading", async () => {
  const boardDevice = new Device("board", { viewport: { width: 1280, height: 800 } });
  try {
    const board = await boardDevice.launch();
    await pairKds(board, server.base, await pairingCode(brand.owner, brand.outlet.id, "board", "Papan"), "/kds/board");
    const order = await brand.owner.post("/api/v1/orders", {
      client_order_id: randomUUID(),
      outlet_id: brand.outlet.id,
      channel: "counter",
      customer_name: "Rudi",
      created_at_client: new Date().toISOString(),
      items: [{ menu_item_id: brand.items.kopi.id, qty: 1, modifier_option_ids: [] }],
    });
    await board.locator(`.board-column.preparing li[data-order-id="${order.id}"]`).waitFor({ timeout: 5000 });
    // The next reload reads the list before the order is ready, and that
    // answer lands only after the live events said it is.
    const hold = await holdNextAnswer(board, /\/api\/v1\/outlets\/[^/]+\/pickup/);
    try {
      await boardDevice.goOffline();
      hold.arm();
      await boardDevice.goOnline();
      await hold.fetched;
      for (const status of ["accepted", "preparing", "ready"]) {
        await brand.owner.post(`/api/v1/orders/${order.id}/status`, { status });
      }
      const ready = board.locator(`.board-column.ready li[data-order-id="${order.id}"]`);
      await ready.waitFor({ timeout: 5000 });
      hold.release();
      await sleep(1000);
      assert.equal(await ready.count(), 1, "still ready after the older answer landed");
      assert.equal(await board.locator(`.board-column.preparing li[data-order-id="${order.id}"]`).count(), 0);
    } finally {
      await hold.done();
    }
  } finally {
    await boardDevice.close();
  }
});

test("a cancelled order is struck through on the KDS at once", async () => {
  const kp = kiosk.page;
  await newOrder(kp);
  await startOrder(kp);
  await addItem(kp, "Mie Ayam");
  const number = await placeOrder(kp, "Andi");
  const ticket = kds.page.locator(`.ticket[data-number="${number}"]`);
  await ticket.waitFor();
  const order = (await allOrders(brand.owner, brand.outlet.id)).find((o) => o.number === number);
  await brand.owner.post(`/api/v1/orders/${order.id}/status`, { status: "cancelled", reason: "customer left" });
  await kds.page.locator(`.ticket.cancelled[data-number="${number}"]`).waitFor({ timeout: 2000 });
  await kp.locator('.confirmation[data-state="problem"]').waitFor({ timeout: 3000 });
  await kds.screenshot("kds-cancelled");
  await kds.page.locator(`.ticket.cancelled[data-number="${number}"] .bump-button`).click();
  await ticket.waitFor({ state: "detached" });
});

test("online, a price changed since the kiosk's menu is refused at once; the cart follows and the order goes through", async () => {
  const kp = kiosk.page;
  await newOrder(kp);
  await startOrder(kp);
  await addItem(kp, "Kopi Susu", { category: "Minuman" });
  // The kiosk does not hear of the change before the customer taps: its
  // menu pulls fail until it has sent the order.
  const sent = [];
  await kp.route("**/api/v1/sync/pull?*", (route) => (sent.length === 0 ? route.abort() : route.continue()));
  const onRequest = (r) => {
    if (r.method() === "POST" && /\/api\/v1\/(orders|sync\/push)$/.test(new URL(r.url()).pathname)) sent.push(new URL(r.url()).pathname);
  };
  kiosk.context.on("request", onRequest);
  try {
    await brand.owner.patch(`/api/v1/menu-items/${brand.items.kopi.id}`, { price_minor: 20000 });
    await sleep(500); // the change's event reaches the kiosk, whose pull fails
    await kp.locator(".checkout-button").click();
    assert.match(await kp.locator(".grand-total").textContent(), /Rp 20\.790/, "18.000 + 5% + 10%");
    await kp.locator("#pickup-name").fill("Rina");
    const refusal = kp.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/api/v1/orders"));
    await kp.locator(".place-order").click();
    assert.equal((await refusal).status(), 422);
    const alert = kp.locator(".checkout .alert.refused");
    await alert.waitFor();
    assert.match(await alert.textContent(), /Kopi Susu: harganya sekarang 20000, bukan 18000/, "the reason in the screen's language");
    await kiosk.screenshot("kiosk-order-refused");
    // The kiosk pulls the menu again: the cart is at the new price.
    await eventually(async () => /Rp 23\.100/.test(await kp.locator(".grand-total").textContent()), {
      what: "the checkout at the new price",
    });
    await kp.locator(".place-order").click();
    await kp.locator('.confirmation[data-state="sent"]').waitFor();
    const number = (await kp.locator(".pickup-number").textContent()).trim();
    const order = (await allOrders(brand.owner, brand.outlet.id)).find((o) => o.number === number);
    assert.equal(order.total_minor, 23100);
    assert.deepEqual(order.flags, []);
    assert.deepEqual(sent, ["/api/v1/orders", "/api/v1/orders"], "placed online both times, never queued");
    assert.equal((await idbRows(kp, "orders")).filter((o) => o.body.customer_name === "Rina").length, 1, "the refused try left nothing");
  } finally {
    kiosk.context.off("request", onRequest);
    await kp.unrouteAll({ behavior: "ignoreErrors" });
    await brand.owner.patch(`/api/v1/menu-items/${brand.items.kopi.id}`, { price_minor: 18000 });
  }
});

test("the kiosk speaks English when asked, and goes back to welcome when left idle", async () => {
  const kp = kiosk.page;
  await newOrder(kp);
  await kp.locator(".language-switch button", { hasText: "EN" }).click();
  await kp.locator(".start-button", { hasText: "Tap to order" }).waitFor();
  await kp.locator(".language-switch button", { hasText: "ID" }).click();
  await startOrder(kp);
  await addItem(kp, "Sate Ayam");
  // Pretend the customer left long ago (the idle clock reads Date.now()).
  await kp.evaluate(() => {
    const realNow = Date.now;
    Date.now = () => realNow() + 200_000;
  });
  await kp.locator(".start-button").waitFor({ timeout: 5000 });
  await kp.evaluate(() => location.reload());
  await kp.locator(".start-button").waitFor();
  await startOrder(kp);
  assert.equal(await kp.locator(".cart-line").count(), 0, "the cart was cleared");
  await sleep(100);
});
