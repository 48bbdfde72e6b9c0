// Two browsers on one board, through the real server, in headless Chromium.
import { expect, newPage, openBoard, test } from "./pages.mjs";

test("the home page creates a board and lands on it", async ({ browser, server }) => {
  const page = await openHome(browser, server);
  await page.getByLabel("Titre du tableau").fill("Bilan de la formation");
  await page.getByRole("button", { name: "Créer le tableau" }).click();
  // The facilitator's link; the other two links, left in the address's fragment, are kept by
  // the page and taken out of the address.
  await expect(page).toHaveURL(/\/b\/[1-9A-HJ-NP-Za-km-z]+\?k=[A-Za-z0-9_-]+$/);
  await expect(page.getByLabel("Titre du tableau")).toHaveValue("Bilan de la formation");
  await expect(page.locator(".status-ok")).toBeVisible();
});

async function openHome(browser, server) {
  const page = await newPage(browser);
  await page.goto(server.url);
  return page;
}

test("post-its added, typed, dragged, recoloured and deleted in one page appear in the other, and survive reloads and restarts", async ({ browser, server }) => {
  const board = await server.createBoard("Rétrospective");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);

  // Add from the toolbar: the new post-it takes the focus, typing goes into it.
  await alice.getByRole("button", { name: "Ajouter un post-it" }).click();
  await expect(alice.locator(".note textarea")).toBeFocused();
  await alice.keyboard.type("Bonjour tout le monde");
  await expect(bob.locator(".note textarea")).toHaveValue("Bonjour tout le monde");

  // Drag by the grip.
  const grip = alice.locator(".note .note-grip");
  const box = await grip.boundingBox();
  await alice.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await alice.mouse.down();
  await alice.mouse.move(box.x + box.width / 2 + 250, box.y + box.height / 2 + 120, { steps: 8 });
  await alice.mouse.up();
  const left = await alice.locator(".note").evaluate((el) => el.style.left);
  const top = await alice.locator(".note").evaluate((el) => el.style.top);
  expect(parseFloat(left)).toBeGreaterThan(250);
  await expect(bob.locator(".note")).toHaveCSS("left", left);
  await expect(bob.locator(".note")).toHaveCSS("top", top);

  // Recolour.
  await alice.locator(".note").hover();
  await alice.getByRole("button", { name: "Rose" }).click();
  await expect(bob.locator(".note")).toHaveClass(/note-pink/);

  // Double-click on empty space in the other page adds a post-it there.
  await bob.locator(".board").dblclick({ position: { x: 300, y: 450 } });
  await expect(alice.locator(".note")).toHaveCount(2);
  await bob.keyboard.type("Deuxième");
  await expect(alice.locator(".note textarea").nth(1)).toHaveValue("Deuxième");

  // Delete the second one.
  const second = alice.locator(".note").nth(1);
  await second.hover();
  await second.getByRole("button", { name: "Supprimer le post-it" }).click();
  await expect(bob.locator(".note")).toHaveCount(1);


  // Reload: everything is still there.
  await bob.reload();
  await expect(bob.locator(".status-ok")).toBeVisible();
  await expect(bob.locator(".note textarea")).toHaveValue("Bonjour tout le monde");
  await expect(bob.locator(".note")).toHaveClass(/note-pink/);
  await expect(bob.locator(".note")).toHaveCSS("left", left);

  // kill -9 and restart the server: the pages reconnect by themselves, and a reload shows it all.
  await server.killAndRestart();
  await expect(alice.locator(".status-ok")).toBeVisible();
  await alice.locator(".note textarea").fill("Bonjour après le redémarrage");
  await expect(bob.locator(".note textarea")).toHaveValue("Bonjour après le redémarrage");
  await alice.reload();
  await expect(alice.locator(".note textarea")).toHaveValue("Bonjour après le redémarrage");
  await expect(alice.locator(".note")).toHaveClass(/note-pink/);
  await expect(alice.locator(".note")).toHaveCSS("top", top);
});

test("the server-rendered board is readable without JavaScript, in English too", async ({ browser, server }) => {
  const board = await server.createBoard("Accords de groupe");
  const alice = await openBoard(browser, server, board.url);
  await alice.getByRole("button", { name: "Ajouter un post-it" }).click();
  await alice.keyboard.type("Bienveillance");
  await expect.poll(async () => (await server.board(board.id)).notes[0]?.text).toBe("Bienveillance");

  const context = await browser.newContext({ javaScriptEnabled: false, locale: "en-GB" });
  const page = await context.newPage();
  await page.goto(server.url + board.url);
  await expect(page.getByLabel("Board title")).toHaveValue("Accords de groupe");
  await expect(page.locator(".note textarea")).toHaveValue("Bienveillance");
  await expect(page.getByRole("button", { name: "Add a post-it" })).toBeVisible();
});

test("a post-it's colour and delete buttons appear when it holds the focus, and work from the keyboard", async ({ browser, server }) => {
  const board = await server.createBoard("Clavier");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);
  // A post-it's buttons are not in the page until it is pointed at or focused (a board of 1,000
  // post-its would otherwise carry 8,000 more elements).
  await alice.getByRole("button", { name: "Ajouter un post-it" }).click();
  await alice.keyboard.type("Au clavier");
  await expect(bob.locator(".note textarea")).toHaveValue("Au clavier");
  await expect(bob.locator(".note .swatch")).toHaveCount(0);

  // From the text, Tab reaches the colours; moving among them keeps them there.
  await alice.keyboard.press("Tab");
  await expect(alice.locator(":focus")).toHaveAccessibleName("Jaune");
  await alice.keyboard.press("Tab");
  await expect(alice.locator(":focus")).toHaveAccessibleName("Rose");
  await alice.keyboard.press("Enter");
  await expect(bob.locator(".note")).toHaveClass(/note-pink/);

  // Back to the post-it itself (its text is reached with Enter), then away: its buttons go.
  await alice.keyboard.press("Shift+Tab");
  await alice.keyboard.press("Shift+Tab");
  await expect(alice.locator(":focus")).toHaveClass(/\bnote\b/);
  await alice.getByLabel("Titre du tableau").click();
  await expect(alice.locator(".note .swatch")).toHaveCount(0);
});
