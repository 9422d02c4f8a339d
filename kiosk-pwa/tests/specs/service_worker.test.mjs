// The service worker starts the kiosk with the server stopped (the shell
// and menu from the device), an order taken then survives a browser
// restart, and it reaches the server once the server is back.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { Device, Server, allOrders, eventually, idbRows, pairingCode, seedBrand } from "../support/harness.mjs";
import { addItem, pairKiosk, startOrder } from "../support/screens.mjs";

let server;
let brand;
let kiosk;

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base);
  kiosk = new Device("kiosk-sw", { viewport: { width: 800, height: 1280 } });
  await kiosk.launch();
  await pairKiosk(kiosk.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kiosk"));
  await kiosk.page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(kiosk.consoleLog.join("\n"));
  await kiosk?.close();
  await server?.stop();
});

test("the manifest and worker are served for the kiosk, with icons", async () => {
  const manifest = await (await fetch(`${server.base}/kiosk/manifest.webmanifest`)).json();
  assert.equal(manifest.display, "standalone");
  assert.equal(manifest.start_url, "/kiosk/");
  for (const icon of manifest.icons) {
    const r = await fetch(new URL(icon.src, `${server.base}/kiosk/`));
    assert.equal(r.status, 200, icon.src);
    assert.equal(r.headers.get("content-type"), "image/png");
  }
  const sw = await fetch(`${server.base}/kiosk/sw.js`);
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get("content-type"), /javascript/);
  assert.doesNotMatch(await sw.text(), /__BUILD_VERSION__/);
  // The kiosk's own bundle travels gzipped to a browser that accepts it.
  const wasm = await fetch(`${server.base}/app/kiosk/pos_kiosk_pwa_bg.wasm`, { headers: { "accept-encoding": "gzip" } });
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get("content-encoding"), "gzip");
  assert.equal(wasm.headers.get("content-type"), "application/wasm");
});

test("with the server stopped the kiosk still starts, takes an order, and keeps it across a browser restart", async () => {
  const page = kiosk.page;
  await server.stop();
  await page.reload();
  await page.locator(".start-button").waitFor({ timeout: 15000 });
  await kiosk.screenshot("kiosk-server-down-portrait");
  await startOrder(page);
  await addItem(page, "Kopi Susu", { category: "Minuman" });
  // Portrait: the cart is folded under its summary bar.
  await page.locator(".cart-summary").click();
  await kiosk.screenshot("kiosk-portrait-cart");
  await page.locator(".checkout-button").click();
  await page.locator("#pickup-name").fill("Wati");
  await page.locator(".place-order").click();
  await page.locator('.confirmation[data-state="saved"]').waitFor();
  const number = (await page.locator(".pickup-number").textContent()).trim();

  // Close the browser and open it again, server still down.
  const restarted = await kiosk.restart();
  await restarted.goto(`${server.base}/kiosk/`);
  await restarted.locator(".start-button").waitFor({ timeout: 15000 });
  assert.equal((await idbRows(restarted, "orders")).filter((o) => o.state === "pending").length, 1);

  await server.start();
  await eventually(async () => (await allOrders(brand.owner, brand.outlet.id)).length === 1, {
    timeout: 90000,
    interval: 500,
    what: "the order on the server after it came back",
  });
  const [order] = await allOrders(brand.owner, brand.outlet.id);
  assert.equal(order.number, number);
  await eventually(async () => (await idbRows(restarted, "orders")).every((o) => o.state === "confirmed"), {
    what: "order confirmed on the kiosk",
  });
});
