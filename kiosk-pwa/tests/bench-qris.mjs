// QRIS at the kiosk, measured by hand (same environment as run.sh; the
// server and gateway stand-in binaries built):
//
//   cd kiosk-pwa/tests && node bench-qris.mjs [--payments 30]
//
// Prints p50/p99/max of: the customer paying (the stand-in's control API
// `pay`, which sends the signed notification to the server's webhook) ->
// the kiosk's confirmation showing "paid" (seen by a MutationObserver in the
// page); and "place order" tap -> the QR code drawn.

import { Device, Server, Standin, freePort, pairingCode, seedBrand } from "./support/harness.mjs";
import { addItem, pairKiosk, startOrder } from "./support/screens.mjs";

const arg = process.argv.indexOf("--payments");
const PAYMENTS = arg > 0 ? Number(process.argv[arg + 1]) : 30;

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * q) - 1)];
};
const summary = (xs) => `p50 ${quantile(xs, 0.5)} ms, p99 ${quantile(xs, 0.99)} ms, max ${Math.max(...xs)} ms (n=${xs.length})`;

const port = await freePort();
const standin = await new Standin().start(port);
const server = await new Server({ port, env: standin.serverEnv(port) }).start();
const kiosk = new Device("bench-qris", { viewport: { width: 1024, height: 900 } });
try {
  const brand = await seedBrand(server.base, { pictures: false });
  const page = await kiosk.launch();
  await pairKiosk(page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kiosk"));
  // When the confirmation first says paid, on the page's clock (the same machine's).
  await page.evaluate(() => {
    new MutationObserver(() => {
      if (!window.__paidAt && document.querySelector('.confirmation[data-paid="true"]')) window.__paidAt = Date.now();
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });

  const toPaid = [];
  const toQr = [];
  for (let i = 0; i < PAYMENTS; i++) {
    await startOrder(page);
    await addItem(page, "Mie Ayam");
    await page.locator(".checkout-button").click();
    await page.locator("#pickup-name").fill(`Bench ${i}`);
    await page.locator(".pay-qris").click();
    const tapped = Date.now();
    await page.locator(".place-order").click();
    await page.locator(".qr-code svg").waitFor();
    toQr.push(Date.now() - tapped);
    const pending = (await standin.charges()).filter((c) => c.transaction_status === "pending");
    if (pending.length !== 1) throw new Error(`expected one pending charge, got ${pending.length}`);
    await page.evaluate(() => (window.__paidAt = 0));
    const paidAt = Date.now();
    await standin.act(pending[0].order_id, "pay");
    await page.waitForFunction(() => window.__paidAt > 0, null, { timeout: 15000 });
    toPaid.push((await page.evaluate(() => window.__paidAt)) - paidAt);
    await page.locator(".new-order").click();
    await page.locator(".start-button").waitFor();
  }
  console.log(`"place order" (QRIS) tap -> QR code drawn: ${summary(toQr)}`);
  console.log(`customer pays at the gateway -> kiosk shows paid: ${summary(toPaid)}`);
} finally {
  await kiosk.close();
  await server.stop();
  await standin.stop();
}
