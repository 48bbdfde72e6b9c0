// A participant opens a board on a phone (390 × 844, touch): she sees the post-its, even those
// written far from where the board starts, and adds, writes and moves one with the toolbar on
// screen; the bars take one row each, their rarer tools behind a menu, and a post-it's buttons
// are large enough for a finger. And an empty board says how to begin, in her language.
import { expect, newPage, note, openBoard, place, test } from "./pages.mjs";

const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

/** One finger from the middle of `locator` by (dx, dy) screen pixels, as a phone's touch screen sends it. */
async function swipe(page, locator, dx, dy) {
  const box = await locator.boundingBox();
  const touch = await page.context().newCDPSession(page);
  const at = (x, y) => [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await touch.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: at(x, y) });
  for (let step = 1; step <= 8; step++) {
    await touch.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: at(x + (dx * step) / 8, y + (dy * step) / 8) });
  }
  await touch.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
}

test("on a phone, the post-its far from the origin are in view on first open, and one is added, written and moved", async ({ browser, server }) => {
  const board = await server.createBoard("Vision 2030");
  const laptop = await openBoard(browser, server, board.url);
  // The laptop pans far away (dragging empty space), and writes there.
  for (let i = 0; i < 3; i++) {
    await laptop.mouse.move(1200, 700);
    await laptop.mouse.down();
    await laptop.mouse.move(100, 200, { steps: 5 });
    await laptop.mouse.up();
  }
  await laptop.getByRole("button", { name: "Ajouter un post-it" }).click();
  await laptop.keyboard.type("Loin de l'origine");
  await laptop.keyboard.press("Escape");
  const [farX, farY] = await place(note(laptop, "Loin de l'origine"));
  expect(farX).toBeGreaterThan(2500);
  expect(farY).toBeGreaterThan(1000);

  const phone = await openBoard(browser, server, board.url, PHONE);
  await expect(note(phone, "Loin de l'origine")).toBeInViewport({ ratio: 1 });
  const add = phone.getByRole("button", { name: "Ajouter un post-it" });
  await expect(add).toBeInViewport({ ratio: 1 });
  await add.tap();
  await expect(phone.locator(".note textarea:focus")).toBeVisible();
  await phone.keyboard.type("Écrit au téléphone");
  const written = note(phone, "Écrit au téléphone");
  await expect(written).toBeInViewport({ ratio: 1 });
  await expect.poll(() => laptop.locator(".note textarea").evaluateAll((all) => all.map((a) => a.value).sort())).toEqual(
    ["Loin de l'origine", "Écrit au téléphone"].sort(),
  );

  // Moved with one finger on its grip: the laptop sees it move.
  await phone.locator(".note textarea:focus").blur();
  const before = await place(written);
  await swipe(phone, written.locator(".note-grip"), -60, 90);
  await expect.poll(() => place(written)).not.toEqual(before);
  const after = await place(written);
  await expect.poll(() => place(note(laptop, "Écrit au téléphone"))).toEqual(after);
  await expect(add).toBeInViewport({ ratio: 1 });

  // Its buttons are large enough for a finger, whatever the zoom, and on screen.
  await written.locator("textarea").tap();
  const buttons = await written.locator(".note-tools button:visible").evaluateAll((all) =>
    all.map((b) => {
      const r = b.getBoundingClientRect();
      return { name: b.getAttribute("aria-label"), width: r.width, height: r.height, left: r.left, right: r.right };
    }),
  );
  expect(buttons.length).toBeGreaterThanOrEqual(14);
  for (const b of buttons) {
    expect(Math.min(b.width, b.height), b.name).toBeGreaterThanOrEqual(32);
    expect(b.left, b.name).toBeGreaterThanOrEqual(0);
    expect(b.right, b.name).toBeLessThanOrEqual(390);
  }
  await phone.screenshot({ path: "screenshots/phone-fr.png" });
  await written.locator("textarea").blur();

  // One row per bar: the board starts in the top seventh of the screen; the rarer tools are
  // behind "More tools", the people, the language and the links behind the board's menu.
  expect((await phone.locator(".board").boundingBox()).y).toBeLessThan(844 / 7);
  for (const bar of [".toolbar", ".tools"]) expect((await phone.locator(bar).boundingBox()).height).toBeLessThan(60);
  const addColumn = phone.getByRole("button", { name: "Ajouter une colonne" });
  await expect(addColumn).toBeHidden();
  const more = phone.getByRole("button", { name: "Plus d'outils" });
  await more.tap();
  await expect(more).toHaveAttribute("aria-expanded", "true");
  await addColumn.tap();
  await expect(laptop.locator(".column")).toHaveCount(1);
  await phone.keyboard.press("Escape");
  await expect(addColumn).toBeHidden();
  await expect(more).toBeFocused();
  const menu = phone.getByRole("button", { name: "Menu du tableau" });
  await menu.tap();
  await phone.getByLabel("Votre nom").fill("Chloé");
  await expect(laptop.locator(".person-name")).toContainText("Chloé");
  await expect(phone.locator("details.links > summary")).toBeVisible();
  await menu.tap();
  await expect(phone.getByLabel("Votre nom")).toBeHidden();

  // The phone's own view is kept: a reload opens where it was, not where the laptop is.
  const transform = () => phone.locator(".canvas").evaluate((el) => el.style.transform);
  const seen = await transform();
  await phone.reload();
  await expect(phone.locator(".status-ok")).toBeVisible();
  await expect.poll(transform).toBe(seen);
});

test("an empty board says how to write the first post-it, in each language, and not to an observer", async ({ browser, server }) => {
  const board = await server.createBoard("Tout neuf");
  const fr = await openBoard(browser, server, board.url, PHONE);
  const hint = fr.locator(".empty-board");
  await expect(hint).toContainText("double-cliquez");
  await expect(hint).toBeInViewport();
  // A double-click through the hint writes a post-it; the hint goes.
  const box = await hint.boundingBox();
  await fr.mouse.dblclick(box.x + box.width / 2, box.y + box.height / 2);
  await expect(fr.locator(".note")).toHaveCount(1);
  await expect(hint).toHaveCount(0);

  const other = await server.createBoard("Empty");
  const en = await openBoard(browser, server, other.url, { locale: "en-GB" });
  await expect(en.locator(".empty-board")).toContainText("double-click anywhere, press N");
  const observer = await newPage(browser);
  await observer.goto(server.url + other.links.observer);
  await expect(observer.locator(".status-ok")).toBeVisible();
  await expect(observer.locator(".empty-board")).toHaveCount(0);
});
