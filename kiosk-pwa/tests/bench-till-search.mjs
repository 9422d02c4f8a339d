// Till search benchmark, run by hand (same environment as run.sh):
//
//   cd kiosk-pwa/tests && node bench-till-search.mjs [--items 20000] [--keystrokes 300]
//
// Seeds a catalogue of N items (straight into the database, in one
// statement: the API would take minutes), pairs a till, lets it download the
// whole catalogue into its own IndexedDB store, signs a cashier in, then
// types search queries letter by letter. Each keystroke is measured in the
// page: from the input event's timestamp to the next frame after the result
// list changed (what the cashier sees). Every item has a code (P00000...);
// every third query is a code typed in full. Prints p50, p99 and max.

import { Device, Server, pairingCode, seedBrand } from "./support/harness.mjs";
import { cashier, openShift, signIn, sql, tenantOf } from "./support/till.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ITEMS = arg("--items", 20000);
const KEYSTROKES = arg("--keystrokes", 300);

const WORDS = ["nasi", "mie", "ayam", "sapi", "goreng", "bakar", "kuah", "pedas", "manis", "teh", "kopi", "susu", "jeruk", "es", "panas", "keju", "telur", "udang", "cumi", "tahu", "tempe", "sambal", "rica", "balado"];

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((s.length * p) / 100) - 1)];
};

const server = await new Server().start();
const brand = await seedBrand(server.base, { pictures: false });
const tenant = tenantOf(brand.owner.token);
const till = new Device("bench-till");
try {
  // 1. N items over 20 categories, names made of three menu words and a number.
  const t0 = Date.now();
  const cats = [];
  for (let c = 0; c < 20; c++) cats.push((await brand.owner.post("/api/v1/categories", { name: `Bench ${c}`, position: 10 + c })).id);
  sql(
    tenant,
    `WITH v AS (SELECT app.next_catalog_version(${ITEMS}) AS top),
          words AS (SELECT ARRAY[${WORDS.map((w) => `'${w}'`).join(",")}] AS w)
     INSERT INTO menu_items (tenant_id, id, category_id, name, code, price_minor, position, version)
     SELECT '${tenant}', gen_random_uuid(), (ARRAY[${cats.map((c) => `'${c}'::uuid`).join(",")}])[1 + i % 20],
            initcap(w[1 + i % 24] || ' ' || w[1 + (i / 24) % 24] || ' ' || w[1 + (i / 576) % 24]) || ' ' || i,
            'P' || lpad(i::text, 5, '0'),
            1000 * (5 + i % 60), i, v.top - ${ITEMS} + 1 + i
       FROM generate_series(0, ${ITEMS - 1}) i, v, words`,
  );
  console.log(`seeded ${ITEMS} items in ${Date.now() - t0} ms`);

  // 2. A till with the whole catalogue in its own store, a cashier signed in.
  await cashier(brand.owner, brand.outlet.id, "Bench Kasir", "1357");
  const page = await till.launch();
  const code = await pairingCode(brand.owner, brand.outlet.id, "till");
  const t1 = Date.now();
  await page.goto(`${server.base}/pos/?pair=${encodeURIComponent(code)}`);
  await signIn(page, "Bench Kasir", "1357");
  await openShift(page, 100000); // selling (and its catalogue) needs an open shift
  await page.locator(".sync-progress").waitFor({ state: "detached", timeout: 600000 }).catch(() => {});
  await page.waitForFunction(
    (n) => document.querySelectorAll(".category-tab").length >= 20,
    ITEMS,
    { timeout: 600000 },
  );
  console.log(`till paired, menu of ${ITEMS} items downloaded: ${Date.now() - t1} ms`);

  // 3. Keystrokes: queries typed letter by letter, measured in the page.
  await page.evaluate(() => {
    const input = document.querySelector(".till-search");
    window.__latencies = [];
    input.addEventListener(
      "input",
      (event) => {
        const t0 = event.timeStamp;
        const list = () => document.querySelector(".search-results, .menu-grid");
        const done = () => requestAnimationFrame(() => window.__latencies.push(performance.now() - t0));
        const observer = new MutationObserver(() => {
          observer.disconnect();
          done();
        });
        observer.observe(document.querySelector(".till-catalogue"), { subtree: true, childList: true, characterData: true });
        // A keystroke that changes nothing on screen still counts, at the next frame.
        setTimeout(() => {
          if (list()) {
            observer.disconnect();
          }
        }, 1000);
      },
      { capture: true },
    );
  });
  const search = page.locator(".till-search");
  let typed = 0;
  for (let q = 0; typed < KEYSTROKES; q++) {
    const query =
      q % 3 === 2
        ? `p${String((q * 7919) % ITEMS).padStart(5, "0")}`
        : `${WORDS[q % WORDS.length]} ${WORDS[(q * 7 + 3) % WORDS.length]}`;
    await search.fill("");
    for (const ch of query) {
      await search.press(ch === " " ? "Space" : ch);
      typed++;
    }
  }
  await page.waitForTimeout(500);
  const latencies = await page.evaluate(() => window.__latencies);
  const count = await page.locator(".search-results .item-card").count();
  console.log(`keystrokes measured: ${latencies.length} (last query shows ${count} items)`);
  const f = (x) => `${x.toFixed(1)} ms`;
  console.log(
    `search over ${ITEMS} items, keystroke -> results painted: p50 ${f(pct(latencies, 50))}, p99 ${f(pct(latencies, 99))}, max ${f(Math.max(...latencies))}`,
  );
} finally {
  await till.close();
  await server.stop();
}
