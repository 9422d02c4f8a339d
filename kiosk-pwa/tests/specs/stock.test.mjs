// Inventory on the devices: the outlet runs out of milk and the latte goes
// sold out by itself on the open kiosk and the till (within a second of the
// sale that used the last of it); a delivery received brings it back.

import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";

import { Device, Server, pairingCode, seedBrand } from "../support/harness.mjs";
import { addItem, newOrder, pairKiosk, placeOrder, startOrder } from "../support/screens.mjs";
import { cashier, openShift, pairTill, signIn } from "../support/till.mjs";

// A Kopi Susu takes 150 ml of milk; the outlet has 300 ml: two cups.
const MILK_PER_CUP = 150;

let server;
let brand;
let kiosk;
let till;
let milk;

const stockPath = () => `/api/v1/outlets/${brand.outlet.id}/stock`;

async function receiveMilk(qty) {
  return brand.owner.post(`/api/v1/outlets/${brand.outlet.id}/stock-movements`, {
    client_movement_id: randomUUID(),
    ingredient_id: milk.id,
    kind: "receive",
    qty,
    note: "delivery",
  });
}

async function milkOnHand() {
  const stock = await brand.owner.get(stockPath());
  return stock.items.find((row) => row.ingredient_id === milk.id).on_hand;
}

before(async () => {
  server = await new Server().start();
  brand = await seedBrand(server.base, { pictures: false });
  milk = await brand.owner.post("/api/v1/ingredients", { name: "Susu", unit: "ml", cost_per_unit_minor: 20 });
  await brand.owner.call("PUT", `/api/v1/menu-items/${brand.items.kopi.id}/recipe`, {
    lines: [{ ingredient_id: milk.id, qty: MILK_PER_CUP }],
  });
  await receiveMilk(2 * MILK_PER_CUP);

  kiosk = new Device("kiosk-stock");
  await kiosk.launch();
  await pairKiosk(kiosk.page, server.base, await pairingCode(brand.owner, brand.outlet.id, "kiosk"));
  await startOrder(kiosk.page);

  await cashier(brand.owner, brand.outlet.id, "Sari Kasir", "5813");
  till = await pairTill(server.base, brand.owner, brand.outlet.id, "till-stock");
  await signIn(till.page, "Sari Kasir", "5813");
  await openShift(till.page, 200000);
  await till.page.locator(".item-card").first().waitFor({ timeout: 15000 });
});

after(async () => {
  if (process.env.DEBUG_TESTS) {
    console.log(kiosk?.consoleLog.join("\n"), till?.consoleLog.join("\n"));
    await till?.screenshot("till-stock-end");
  }
  await kiosk?.close();
  await till?.close();
  await server?.stop();
});

test("the sale that uses the last milk takes the latte off the kiosk and the till; a delivery brings it back", async () => {
  const kp = kiosk.page;
  const drinks = () => kp.locator(".category-tab", { hasText: "Minuman" }).click();
  await drinks();
  const kioskCard = kp.locator(".item-card", { hasText: "Kopi Susu" });
  // At the till the latte is looked for by name, the search left open.
  await till.page.locator(".till-search").fill("kopi");
  const tillCard = till.page.locator(".search-results .item-card", { hasText: "Kopi Susu" });
  await kioskCard.waitFor();
  await tillCard.waitFor();

  // A customer at the kiosk buys the first cup: half the milk is left, the
  // latte stays on sale.
  await addItem(kp, "Kopi Susu");
  await placeOrder(kp, "Dewi");
  assert.equal(await milkOnHand(), MILK_PER_CUP);
  await newOrder(kp);
  await startOrder(kp);
  await drinks();
  await kioskCard.waitFor();

  // The second cup, sold at the counter, uses the last of it: both screens
  // drop the latte by themselves, within a second of the sale's answer.
  await brand.owner.post("/api/v1/orders", {
    client_order_id: randomUUID(),
    outlet_id: brand.outlet.id,
    channel: "counter",
    customer_name: "Rudi",
    created_at_client: new Date().toISOString(),
    items: [{ menu_item_id: brand.items.kopi.id, qty: 1, modifier_option_ids: [] }],
  });
  const sold = Date.now();
  await kioskCard.waitFor({ state: "detached", timeout: 1000 });
  console.log(`# last milk sold -> latte gone from the kiosk: ${Date.now() - sold} ms`);
  await tillCard.waitFor({ state: "detached", timeout: 1000 });
  assert.equal(await milkOnHand(), 0);
  // Everything else is still on sale.
  await kp.locator(".item-card", { hasText: "Es Teh Manis" }).waitFor();
  await kiosk.screenshot("kiosk-latte-sold-out");

  // A third cup is refused by the server too (a device with an old menu).
  const refused = await brand.owner
    .post("/api/v1/orders", {
      client_order_id: randomUUID(),
      outlet_id: brand.outlet.id,
      channel: "counter",
      customer_name: "Tono",
      created_at_client: new Date().toISOString(),
      items: [{ menu_item_id: brand.items.kopi.id, qty: 1, modifier_option_ids: [] }],
    })
    .then(
      () => null,
      (err) => err,
    );
  assert.ok(refused, "an order for a latte nobody can make is refused");
  assert.equal(refused.status, 422, String(refused));

  // Less than a cup delivered: still sold out.
  await receiveMilk(MILK_PER_CUP - 1);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await kioskCard.count(), 0, "100-odd ml cannot make a cup");

  // The rest of the delivery: the latte returns on both screens.
  await receiveMilk(1000);
  const received = Date.now();
  await kioskCard.waitFor({ timeout: 1000 });
  console.log(`# delivery received -> latte back on the kiosk: ${Date.now() - received} ms`);
  await tillCard.waitFor({ timeout: 1000 });

  // And it sells again.
  await addItem(kp, "Kopi Susu");
  await placeOrder(kp, "Wati");
  assert.equal(await milkOnHand(), MILK_PER_CUP - 1 + 1000 - MILK_PER_CUP);
});
