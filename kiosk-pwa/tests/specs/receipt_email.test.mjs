// "Email me the receipt" (issue 13 §3) at the till's sale-complete screen
// and the kiosk's confirmation of an order paid by QRIS: the mail reaches
// the SMTP sink (the run's, POS_SMTP_URL / POS_TEST_MAILDIR, passed on to
// each spec's server) with the order's receipt number; a mistyped address
// is caught on the screen; offline, the form says it needs the network and
// nothing is sent later; the server's refusal (three mails per order) is
// shown in the screen's language.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";

import { Device, Server, Standin, allOrders, freePort, pairingCode, seedBrand, sleep } from "../support/harness.mjs";
import { addItem, pairKiosk, startOrder } from "../support/screens.mjs";
import { addBySearch, cashier, openShift, pairTill, payCash, signIn } from "../support/till.mjs";

const MAILDIR = process.env.POS_TEST_MAILDIR;

let server;
let standin;
let brand;

before(async () => {
  assert.ok(process.env.POS_SMTP_URL && MAILDIR, "run under tests/dev.sh or tests/run.sh (an SMTP sink and its maildir)");
  const port = await freePort();
  standin = await new Standin().start(port);
  server = await new Server({ port, env: standin.serverEnv(port) }).start();
  brand = await seedBrand(server.base, { pictures: false });
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(server?.log.join(""));
  await server?.stop();
  await standin?.stop();
});

/** A unique address, so that this run's mails are told apart in the shared maildir. */
const address = (who) => `${who}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@receipts.example`;

/** The raw mails delivered to `to` (quoted-printable soft breaks undone). */
function mailsTo(to) {
  const dir = path.join(MAILDIR, "new");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
    .filter((m) => m.split(/\r?\n/).some((l) => /^to:/i.test(l) && l.includes(to)))
    .map((m) => m.replace(/=\r?\n/g, ""));
}

/** Waits for `n` mails to `to` (the server's mail worker sends them from the outbox). */
async function waitForMails(to, n, timeoutMs = 20000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const mails = mailsTo(to);
    if (mails.length >= n) return mails;
    if (Date.now() > until) throw new Error(`${n} mail(s) to ${to} never arrived (got ${mails.length})`);
    await sleep(200);
  }
}

/** Types `to` into the receipt form and sends it; returns the outcome shown. */
async function sendReceipt(page, to, state) {
  await page.locator("#receipt-email-address").fill(to);
  await page.locator(".send-receipt").click();
  await page.locator(`.receipt-email[data-state="${state}"]`).waitFor({ timeout: 15000 });
  return (await page.locator(".receipt-email-outcome").textContent()).trim();
}

test("at the till: the receipt of a cash sale is mailed with its number; typos, offline and the limit are explained", async () => {
  await cashier(brand.owner, brand.outlet.id, "Rina Kasir", "582046");
  const till = await pairTill(server.base, brand.owner, brand.outlet.id, "till-receipts");
  try {
    const page = till.page;
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
    await signIn(page, "Rina Kasir", "582046");
    await openShift(page, 200000);
    await addBySearch(page, "Kopi Susu");
    await payCash(page, 50000);
    const order = (await allOrders(brand.owner, brand.outlet.id)).find((o) => o.channel === "counter");
    assert.equal(order.payment_status, "paid");
    const receiptNo = String(order.receipt_number).padStart(6, "0");

    // A mistyped address is caught on the screen: nothing is asked of the server.
    const typo = address("typo").replace("@", "");
    assert.match(await sendReceipt(page, typo, "not-sent"), /Alamat email belum benar/);
    assert.equal(await page.locator(".receipt-email-outcome.field-error").count(), 1);

    // Sent, in the screen's language: the mail carries the receipt number.
    const siti = address("siti");
    assert.match(await sendReceipt(page, siti, "sent"), new RegExp(`Struk dikirim ke ${siti.replace(/\./g, "\\.")}`));
    const [mail] = await waitForMails(siti, 1);
    assert.ok(mail.includes(receiptNo), "the receipt number in the mail");
    assert.ok(mail.includes("Kopi Susu"), "the order's item in the mail");
    await till.screenshot("till-receipt-mailed");

    // Offline: it needs the network, and nothing goes out once it returns.
    const offline = address("offline");
    await till.goOffline();
    assert.match(await sendReceipt(page, offline, "not-sent"), /perlu koneksi internet/);
    await page.locator(".language-switch button", { hasText: "EN" }).click();
    assert.match(await page.locator(".receipt-email-outcome").textContent(), /needs the network/);
    await till.screenshot("till-receipt-offline");
    await till.goOnline();
    await sleep(4000); // a queued mail would be out by now
    assert.equal(mailsTo(offline).length, 0, "nothing was queued while offline");

    // Three mails per order: the server's refusal, translated.
    await sendReceipt(page, address("second"), "sent");
    await sendReceipt(page, address("third"), "sent");
    assert.match(await sendReceipt(page, address("fourth"), "not-sent"), /Too many attempts/);
    await page.locator(".language-switch button", { hasText: "ID" }).click();
    assert.match(await page.locator(".receipt-email-outcome").textContent(), /Terlalu banyak percobaan/);
    await page.locator(".new-sale").click();
    await page.locator(".till-order").waitFor();
  } finally {
    await till.close();
  }
});

test("at the kiosk: a QRIS-paid order's confirmation offers the receipt by mail; an unpaid one does not", async () => {
  const kiosk = new Device("kiosk-receipts", { viewport: { width: 1024, height: 900 } });
  try {
    await kiosk.launch();
    await pairKiosk(kiosk.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kiosk"));
    const page = kiosk.page;

    // Pay at the counter: not paid, no receipt to mail.
    await startOrder(page);
    await addItem(page, "Mie Ayam");
    await page.locator(".checkout-button").click();
    await page.locator("#pickup-name").fill("Tono");
    await page.locator(".place-order").click();
    await page.locator('.confirmation[data-paid="false"] .pay-reminder').waitFor({ timeout: 15000 });
    assert.equal(await page.locator(".receipt-email").count(), 0, "an unpaid order has no receipt to mail");
    await page.locator(".new-order").click();

    // Paid by QRIS: the form shows under "paid", the mail carries the receipt number.
    await startOrder(page);
    await addItem(page, "Mie Ayam");
    await page.locator(".checkout-button").click();
    await page.locator("#pickup-name").fill("Wati");
    await page.locator(".pay-qris").click();
    await page.locator(".place-order").click();
    await page.locator('.qris-payment[data-state="showing"]').waitFor({ timeout: 15000 });
    const number = (await page.locator(".qris-number").textContent()).trim();
    const placed = (await allOrders(brand.owner, brand.outlet.id)).find((o) => o.number === number);
    const charge = await standin.pendingCharge(placed.total_minor);
    await standin.act(charge.order_id, "pay");
    await page.locator('.confirmation[data-paid="true"] .receipt-email').waitFor({ timeout: 15000 });
    const paid = await brand.owner.get(`/api/v1/orders/${placed.id}`);
    assert.equal(paid.payment_status, "paid");
    const receiptNo = String(paid.receipt_number).padStart(6, "0");

    await page.locator(".language-switch button", { hasText: "EN" }).click();
    const wati = address("wati");
    assert.match(await sendReceipt(page, wati, "sent"), /Receipt sent to/);
    await kiosk.screenshot("kiosk-receipt-mailed");
    const [mail] = await waitForMails(wati, 1);
    assert.ok(mail.includes("Your receipt from"), "in the screen's language");
    assert.ok(mail.includes(receiptNo), "the receipt number in the mail");
    await page.locator(".language-switch button", { hasText: "ID" }).click();
  } finally {
    await kiosk.close();
  }
});
