// The kitchen display's own behaviour: station filter, age colours from its
// settings, the new-ticket sound, and the "behind" banner when silent.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";

import { Device, Server, holdNextAnswer, pairingCode, seedBrand, sleep } from "../support/harness.mjs";
import { pairKds } from "../support/screens.mjs";

let server;
let brand;
let kds;

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base, { pictures: false });
  kds = new Device("kds-own", { viewport: { width: 1366, height: 768 } });
  await kds.launch();
  // Count tones played (WebAudio oscillators started).
  await kds.context.addInitScript(() => {
    window.__tones = 0;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args) {
      window.__tones += 1;
      return start.apply(this, args);
    };
  });
  await pairKds(kds.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kds"));
});

after(async () => {
  if (process.env.DEBUG_TESTS) console.log(kds.consoleLog.join("\n"));
  await kds?.close();
  await server?.stop();
});

async function counterOrder(items) {
  return brand.owner.post("/api/v1/orders", {
    client_order_id: randomUUID(),
    outlet_id: brand.outlet.id,
    channel: "counter",
    customer_name: "Meja 4",
    created_at_client: new Date().toISOString(),
    items: items.map(([item, qty, options = []]) => ({ menu_item_id: item.id, qty, modifier_option_ids: options })),
  });
}

test("a new ticket beeps; the station filter shows one station; all-day counts follow", async () => {
  const page = kds.page;
  const pedas = brand.items.nasiGoreng.modifier_groups[0].options[1].id;
  const before = await page.evaluate(() => window.__tones);
  const order = await counterOrder([
    [brand.items.nasiGoreng, 2, [pedas]],
    [brand.items.esTeh, 3, [brand.items.esTeh.modifier_groups[0].options[0].id]],
  ]);
  await page.locator(`.ticket[data-number="${order.number}"]`).nth(1).waitFor();
  await page.waitForFunction((n) => window.__tones > n, before);

  await page.locator(".station-filter button", { hasText: "bar" }).click();
  await page.locator(".ticket", { hasText: "Nasi Goreng" }).waitFor({ state: "detached" });
  assert.equal(await page.locator(".ticket").count(), 1);
  assert.deepEqual(await page.locator(".all-day li").allTextContents(), ["Es Teh Manis3"]);
  // The choice is remembered on this display.
  await page.reload();
  await page.locator(".ticket").first().waitFor();
  assert.equal(await page.locator(".ticket").count(), 1);
  await page.locator(".station-filter button").first().click();
  await page.locator(".ticket").nth(1).waitFor();
});

test("tickets turn amber and red after the minutes set in the settings", async () => {
  const page = kds.page;
  await page.locator(".kds-tool").click();
  await page.locator("#warn-after").fill("2");
  await page.locator("#late-after").fill("4");
  await page.locator(".kds-settings .primary").click();
  assert.equal(await page.locator(".ticket.ok").count(), 2);
  // Age the tickets: the server "made" them minutes ago. (Moving the
  // display's clock would not do: it corrects its clock by the server's.)
  let ageMs = 0;
  await page.route("**/api/v1/outlets/*/tickets?*", async (route) => {
    try {
      const response = await route.fetch();
      const tickets = (await response.json()).map((t) => ({
        ...t,
        created_at: new Date(Date.parse(t.created_at) - ageMs).toISOString(),
      }));
      await route.fulfill({ response, json: tickets });
    } catch {
      // The page moved on (reload) while this one was in flight.
    }
  });
  for (const [minutes, colour] of [
    [3, "warn"],
    [5, "late"],
  ]) {
    ageMs = minutes * 60_000;
    await page.reload();
    await page.locator(`.ticket.${colour}`).nth(1).waitFor({ timeout: 5000 });
  }
  assert.match(await page.locator(".ticket-age").first().textContent(), /^5:0\d$/);
  await kds.screenshot("kds-late-tickets");
  await page.unrouteAll({ behavior: "ignoreErrors" });
  const settings = await page.evaluate(() => JSON.parse(localStorage.getItem("pos.kds.settings")));
  assert.equal(settings.warn_after_min, 2);
  assert.equal(settings.late_after_min, 4);
});

test("a silent or broken stream shows how long the display has been behind", async () => {
  const page = kds.page;
  await server.stop();
  await page.locator(".behind-banner").waitFor({ timeout: 30000 });
  await sleep(1200);
  assert.match(await page.locator(".behind-banner").textContent(), /0:\d\d/);
  await kds.screenshot("kds-behind");
  await server.start();
  await page.locator(".behind-banner").waitFor({ state: "detached", timeout: 70000 });
});

test("a ticket that arrives live while the open tickets reload is not hidden by the older answer", async () => {
  const page = kds.page;
  await page.locator(".behind-banner").waitFor({ state: "detached", timeout: 70000 });
  // Hold the answer of the next reload (taken before the order exists) until
  // the new ticket has arrived over the stream.
  const hold = await holdNextAnswer(page, /\/api\/v1\/outlets\/[^/]+\/tickets\?status=open/);
  try {
    await kds.goOffline();
    await page.locator(".behind-banner").waitFor({ timeout: 5000 });
    hold.arm();
    await kds.goOnline();
    await hold.fetched;
    const order = await counterOrder([[brand.items.mieAyam, 1]]);
    const ticket = page.locator(`.ticket[data-number="${order.number}"]`);
    await ticket.waitFor({ timeout: 5000 });
    hold.release();
    await sleep(1000);
    assert.equal(await ticket.count(), 1, "still shown after the older answer landed");
  } finally {
    await hold.done();
  }
});
