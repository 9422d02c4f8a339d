// Paying at the kiosk by QRIS through the gateway stand-in: the QR code on
// screen, the customer paying (the stand-in's "Customer paid" button), the
// confirmation showing paid, and with the outlet releasing kiosk orders to
// the kitchen only once paid, the KDS showing the ticket only then; a QR
// code that expires (the counter offered, or a new code); offline, only
// the counter; and a server without a gateway (503), the counter.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Device, Server, Standin, freePort, pairingCode, seedBrand, sleep } from "../support/harness.mjs";
import { addItem, pairKds, pairKiosk, startOrder } from "../support/screens.mjs";

let server;
let standin;
let brand;
let kiosk;
let kds;
let phone;

before(async () => {
  const port = await freePort();
  standin = await new Standin().start(port);
  server = await new Server({ port, env: standin.serverEnv(port) }).start();
  brand = await seedBrand(server.base, { pictures: false });
  // Kiosk orders reach the kitchen only once paid.
  await brand.owner.patch(`/api/v1/outlets/${brand.outlet.id}`, { kiosk_kitchen_release: "on_paid" });
  kiosk = new Device("kiosk-qris", { viewport: { width: 1024, height: 900 } });
  kds = new Device("kds-qris", { viewport: { width: 1366, height: 768 } });
  // The customer's phone: the stand-in's page stands for their banking app.
  phone = new Device("phone-qris", { viewport: { width: 900, height: 700 } });
  await Promise.all([kiosk.launch(), kds.launch(), phone.launch()]);
  await pairKiosk(kiosk.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kiosk"));
  await pairKds(kds.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kds"));
});

after(async () => {
  if (process.env.DEBUG_TESTS) {
    console.log(kiosk?.consoleLog.join("\n"));
    console.log(server?.log.join(""));
    console.log(standin?.log.join(""));
  }
  await kiosk?.close();
  await kds?.close();
  await phone?.close();
  await server?.stop();
  await standin?.stop();
});

/** Orders `item` at the kiosk, chooses QRIS, places it; returns the QR screen's number and amount. */
async function orderWithQris(page, item, customer) {
  await startOrder(page);
  await addItem(page, item);
  await page.locator(".checkout-button").click();
  await page.locator("#pickup-name").fill(customer);
  await page.locator(".pay-qris").click();
  assert.equal(await page.locator(".pay-qris").getAttribute("aria-pressed"), "true");
  await page.locator(".place-order").click();
  await page.locator('.qris-payment[data-state="showing"]').waitFor({ timeout: 15000 });
  const number = (await page.locator(".qris-number").textContent()).trim();
  return number;
}

/** The server's order with pickup `number` (owner's view). */
async function orderByNumber(number) {
  const page = await brand.owner.get(`/api/v1/orders?outlet_id=${brand.outlet.id}&limit=100`);
  const order = page.items.find((o) => o.number === number);
  assert.ok(order, `order ${number} on the server`);
  return brand.owner.get(`/api/v1/orders/${order.id}`);
}

test("a customer pays by QRIS and the kitchen sees the order only then", async () => {
  const page = kiosk.page;
  const number = await orderWithQris(page, "Mie Ayam", "Rina");

  // The QR code is drawn, with its amount and a running countdown.
  assert.equal(await page.locator(".qr-code svg").count(), 1);
  const order = await orderByNumber(number);
  assert.equal(order.payment_status, "unpaid");
  const [payment] = order.payments;
  assert.equal(payment.method, "qris");
  assert.equal(payment.status, "pending");
  assert.equal(payment.amount_minor, order.total_minor);
  assert.match(await page.locator(".qris-amount strong").textContent(), /^Rp\s[\d.]+$/);
  const first = await page.locator(".countdown").textContent();
  assert.match(first, /^\d+:\d\d$/);
  await page.waitForFunction((shown) => document.querySelector(".countdown")?.textContent !== shown, first);
  await kiosk.screenshot("kiosk-qris-showing");

  // Not paid yet: the kitchen does not have it.
  await sleep(1500);
  assert.equal(await kds.page.locator(`.ticket[data-number="${number}"]`).count(), 0, "held until paid");

  // The customer pays: the stand-in's page, "Customer paid".
  const charge = await standin.pendingCharge(order.total_minor);
  await phone.page.goto(`${standin.base}/`);
  const row = phone.page.locator("tr", { hasText: charge.order_id });
  await row.locator("button.pay").click();
  await phone.page.waitForURL(`${standin.base}/`);

  // The kiosk says paid, with the receipt number; the kitchen now has it.
  await page.locator('.confirmation[data-paid="true"]').waitFor({ timeout: 15000 });
  assert.equal((await page.locator(".pickup-number").textContent()).trim(), number);
  assert.match(await page.locator(".paid-note").textContent(), /Sudah dibayar.*No\. struk \d+/);
  assert.equal(await page.locator(".pay-reminder").count(), 0, "nothing to pay at the counter");
  await kiosk.screenshot("kiosk-qris-paid");
  await kds.page.locator(`.ticket[data-number="${number}"]`).first().waitFor({ timeout: 15000 });
  const paid = await brand.owner.get(`/api/v1/orders/${order.id}`);
  assert.equal(paid.payment_status, "paid");
  assert.equal(paid.paid_minor, paid.total_minor);
  assert.ok(paid.receipt_number >= 1);
  assert.match(await page.locator(".receipt-number").textContent(), new RegExp(`${paid.receipt_number}$`));

  // In English too.
  await page.locator(".language-switch button", { hasText: "EN" }).click();
  assert.match(await page.locator(".paid-note").textContent(), /Paid\. Thank you!.*Receipt no\. \d+/);
  await page.locator(".language-switch button", { hasText: "ID" }).click();
  await page.locator(".new-order").click();
  await page.locator(".start-button").waitFor();
});

test("a QR code that expires offers a new code or the counter", async () => {
  const page = kiosk.page;
  const number = await orderWithQris(page, "Sate Ayam", "Dewi");
  const order = await orderByNumber(number);

  // The gateway expires it (as when its time runs out).
  let charge = await standin.pendingCharge(order.total_minor);
  await standin.act(charge.order_id, "expire");
  await page.locator('.qris-ended[data-why="expired"]').waitFor({ timeout: 15000 });
  assert.equal(await page.locator(".qr-code").count(), 0, "the dead code is gone");
  await page.locator(".try-again").waitFor();
  await kiosk.screenshot("kiosk-qris-expired");

  // A new code: a new charge at the gateway.
  await page.locator(".try-again").click();
  await page.locator('.qris-payment[data-state="showing"]').waitFor({ timeout: 15000 });
  const second = await standin.pendingCharge(order.total_minor);
  assert.notEqual(second.order_id, charge.order_id);
  charge = second;
  await standin.act(charge.order_id, "expire");
  await page.locator('.qris-ended[data-why="expired"]').waitFor({ timeout: 15000 });

  // The counter: the confirmation says what to pay there, and that the
  // kitchen waits for it.
  await page.locator(".qris-payment .pay-counter").click();
  await page.locator('.confirmation[data-paid="false"]').waitFor();
  assert.equal((await page.locator(".pickup-number").textContent()).trim(), number);
  assert.match(await page.locator(".qris-note").textContent(), /Kode QR sudah tidak berlaku/);
  assert.match(await page.locator(".pay-reminder").textContent(), /Bayar di kasir: Rp\s[\d.]+/);
  await page.locator(".kitchen-after-payment").waitFor();
  assert.match(await page.locator(".order-status").textContent(), /menunggu pembayaran/);
  await kiosk.screenshot("kiosk-qris-counter");
  const unpaid = await brand.owner.get(`/api/v1/orders/${order.id}`);
  assert.equal(unpaid.payment_status, "unpaid");
  assert.deepEqual(
    unpaid.payments.map((p) => p.status),
    ["expired", "expired"],
  );
  assert.equal(await kds.page.locator(`.ticket[data-number="${number}"]`).count(), 0, "unpaid: not in the kitchen");
  await page.locator(".new-order").click();
  await page.locator(".start-button").waitFor();
});

test("offline, the kiosk offers only the counter", async () => {
  const page = kiosk.page;
  await startOrder(page);
  await addItem(page, "Kopi Susu", { category: "Minuman" });
  await page.locator(".checkout-button").click();
  await page.locator(".pay-qris").waitFor();

  await kiosk.goOffline();
  await page.locator(".pay-qris").waitFor({ state: "detached" });
  await page.locator(".qris-offline").waitFor();
  assert.equal(await page.locator(".payment .pay-counter").getAttribute("aria-pressed"), "true");
  await kiosk.screenshot("kiosk-qris-offline");
  await page.locator("#pickup-name").fill("Agus");
  await page.locator(".place-order").click();
  await page.locator(".confirmation .pickup-number").waitFor();
  assert.match(await page.locator(".pay-reminder").textContent(), /Bayar di kasir/);
  assert.equal(await page.locator(".qris-payment").count(), 0);

  // Back online, QRIS is offered again.
  await kiosk.goOnline();
  await page.locator(".new-order").click();
  await startOrder(page);
  await addItem(page, "Kopi Susu", { category: "Minuman" });
  await page.locator(".checkout-button").click();
  await page.locator(".pay-qris").waitFor({ timeout: 10000 });
  assert.equal(await page.locator(".qris-offline").count(), 0);
  await page.locator(".checkout .secondary").click();
});

test("without a payment gateway the server refuses QRIS: the counter is offered, and QRIS is hidden for a while", async () => {
  // Also when the whole run configures a gateway.
  const noGateway = { POS_MIDTRANS_BASE_URL: undefined, POS_MIDTRANS_SERVER_KEY: undefined };
  const bare = await new Server({ env: noGateway }).start();
  const device = new Device("kiosk-no-gateway", { viewport: { width: 1024, height: 900 } });
  try {
    const other = await seedBrand(bare.base, { pictures: false });
    await device.launch();
    const page = device.page;
    await pairKiosk(page, bare.base, await pairingCode(other.owner, other.outlet.id, "kiosk"));
    await startOrder(page);
    await addItem(page, "Mie Ayam");
    await page.locator(".checkout-button").click();
    await page.locator("#pickup-name").fill("Tono");
    await page.locator(".pay-qris").click();
    const answer = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/payments"));
    await page.locator(".place-order").click();
    assert.equal((await answer).status(), 503);
    await page.locator('.qris-ended[data-why="unavailable"]').waitFor();
    assert.equal(await page.locator(".try-again").count(), 0, "no point trying again");
    await page.locator(".qris-payment .pay-counter").click();
    assert.match(await page.locator(".qris-note").textContent(), /QRIS sedang tidak tersedia/);
    assert.match(await page.locator(".pay-reminder").textContent(), /Bayar di kasir: Rp\s[\d.]+/);

    await page.locator(".new-order").click();
    await startOrder(page);
    await addItem(page, "Mie Ayam");
    await page.locator(".checkout-button").click();
    await page.locator(".payment .pay-counter").waitFor();
    assert.equal(await page.locator(".pay-qris").count(), 0, "not offered right after");
    assert.equal(await page.locator(".qris-offline").count(), 0, "online: no offline hint");
  } finally {
    await device.close();
    await bare.stop();
  }
});
