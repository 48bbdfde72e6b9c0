// What a facilitator reaches for in a workshop, with two or three people on one board.
import { expect, newPage, openBoard, place, test } from "./pages.mjs";

/** Adds a post-it by double-clicking the board area at a point, and types into it. */
async function addNoteAt(page, x, y, text) {
  await page.locator(".board").dblclick({ position: { x, y } });
  await expect(page.locator(".note-text:focus")).toHaveCount(1);
  await page.keyboard.type(text);
  await page.keyboard.press("Escape");
}

/** Adds a post-it from the toolbar and types into it. */
async function addNote(page, text) {
  await page.getByRole("button", { name: "Ajouter un post-it" }).click();
  await expect(page.locator(".note-text:focus")).toHaveCount(1);
  await page.keyboard.type(text);
}

test("names, the list of who is here and live cursors reach the others, and go when a person leaves", async ({ browser, server }) => {
  const board = await server.createBoard("Atelier");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);
  const carol = await openBoard(browser, server, board.url);
  await alice.getByLabel("Votre nom").fill("Alice");
  await bob.getByLabel("Votre nom").fill("Bob");
  await carol.getByLabel("Votre nom").fill("Carole");

  const people = (page) => page.getByRole("list", { name: "Participants" });
  await expect(people(alice)).toContainText("Bob");
  await expect(people(alice)).toContainText("Carole");
  await expect(people(carol)).toContainText("Alice");

  // Bob's pointer on the canvas shows, with his name, on the others' pages.
  await bob.mouse.move(500, 400);
  await bob.mouse.move(520, 420, { steps: 3 });
  await expect(alice.locator(".cursor-name", { hasText: "Bob" })).toBeVisible();
  await expect(carol.locator(".cursor-name", { hasText: "Bob" })).toBeVisible();

  // Alice types in a post-it: the others see who is writing in it.
  await addNote(alice, "Objectifs");
  await expect(bob.locator(".note .note-activity")).toHaveText("Alice écrit…");
  await alice.keyboard.press("Escape");
  await expect(bob.locator(".note .note-activity")).toHaveCount(0);

  // Bob drags it: the others see him moving it.
  const grip = bob.locator(".note .note-grip");
  const box = await grip.boundingBox();
  await bob.mouse.move(box.x + 20, box.y + 8);
  await bob.mouse.down();
  await bob.mouse.move(box.x + 80, box.y + 40, { steps: 4 });
  await expect(alice.locator(".note .note-activity")).toHaveText("Bob déplace…");
  await bob.mouse.up();
  await expect(alice.locator(".note .note-activity")).toHaveCount(0);

  // Bob closes his tab: he leaves the list and his cursor goes, at once.
  await bob.context().close();
  await expect(people(alice)).not.toContainText("Bob");
  await expect(alice.locator(".cursor-name", { hasText: "Bob" })).toHaveCount(0);
  await expect(people(carol)).not.toContainText("Bob");

  // Presence is not part of the board; names are remembered by the browser.
  expect((await server.board(board.id)).notes.map((n) => n.text)).toEqual(["Objectifs"]);
  await alice.reload();
  await expect(alice.getByLabel("Votre nom")).toHaveValue("Alice");
  await expect(people(carol)).toContainText("Alice");
});

test("each post-it knows who added it, shown when pointed at", async ({ browser, server }) => {
  const board = await server.createBoard("Atelier");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);
  await alice.getByLabel("Votre nom").fill("Alice");
  await addNote(alice, "Idée");
  await expect(bob.locator(".note")).toHaveAttribute("title", "Ajouté par Alice");
  await bob.locator(".note").hover();
  await expect(bob.locator(".note .note-author")).toHaveText("Ajouté par Alice");
  expect((await server.board(board.id)).notes[0].author).toBe("Alice");
});

test("undo and redo take back one's own edits, never the other person's", async ({ browser, server }) => {
  const board = await server.createBoard("Atelier");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);
  await addNote(alice, "Texte d'Alice");
  await expect(bob.locator(".note textarea")).toHaveValue("Texte d'Alice");
  const [x0, y0] = await place(alice.locator(".note"));

  // Alice moves the post-it; then Bob rewrites its text.
  await alice.keyboard.press("Escape");
  await alice.keyboard.press("Shift+ArrowRight");
  await alice.keyboard.press("Shift+ArrowDown");
  await expect.poll(() => place(bob.locator(".note"))).toEqual([x0 + 50, y0 + 50]);
  await bob.locator(".note textarea").fill("Texte de Bob");
  await expect(alice.locator(".note textarea")).toHaveValue("Texte de Bob");

  // Alice's undo takes back her moves, not Bob's text.
  await alice.locator(".note").focus();
  await alice.keyboard.press("Control+z");
  await alice.keyboard.press("Control+z");
  await expect.poll(() => place(bob.locator(".note"))).toEqual([x0, y0]);
  await expect(bob.locator(".note textarea")).toHaveValue("Texte de Bob");
  // Her typing is hers, but Bob has rewritten that text since: it stays Bob's.
  await alice.keyboard.press("Control+z");
  await expect(bob.locator(".note textarea")).toHaveValue("Texte de Bob");
  // Redo moves it again.
  await alice.getByRole("button", { name: "Rétablir" }).click();
  await expect.poll(() => place(bob.locator(".note"))).toEqual([x0 + 50, y0]);
  await alice.keyboard.press("Control+Shift+z");
  await expect.poll(() => place(bob.locator(".note"))).toEqual([x0 + 50, y0 + 50]);

  // Bob's undo takes back his text, and only that.
  await bob.locator(".note").focus();
  await bob.keyboard.press("Control+z");
  await expect(alice.locator(".note textarea")).toHaveValue("Texte d'Alice");
  expect(await place(alice.locator(".note"))).toEqual([x0 + 50, y0 + 50]);
});

test("everything from the keyboard: add, write, move, leave, delete", async ({ browser, server }) => {
  const board = await server.createBoard("Clavier");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);

  // N adds a post-it and puts the cursor in it.
  await alice.locator("body").press("n");
  await expect(alice.locator(".note-text:focus")).toHaveCount(1);
  await alice.keyboard.type("Au clavier");
  await expect(bob.locator(".note textarea")).toHaveValue("Au clavier");

  // Escape leaves the text for the post-it itself; arrows move it.
  await alice.keyboard.press("Escape");
  const note = alice.locator(".note");
  await expect(note).toBeFocused();
  await expect(note).toHaveAccessibleName(/Au clavier/);
  const [x0, y0] = await place(note);
  await alice.keyboard.press("ArrowRight");
  await alice.keyboard.press("ArrowRight");
  await alice.keyboard.press("ArrowUp");
  await expect.poll(() => place(bob.locator(".note"))).toEqual([x0 + 20, y0 - 10]);

  // Alt + arrows resize it.
  await alice.keyboard.press("Alt+ArrowRight");
  await alice.keyboard.press("Alt+Shift+ArrowDown");
  await expect(bob.locator(".note")).toHaveCSS("width", "170px");
  await expect(bob.locator(".note")).toHaveCSS("height", "210px");

  // Enter goes back into the text.
  await alice.keyboard.press("Enter");
  await expect(alice.locator(".note-text")).toBeFocused();
  await alice.keyboard.press("End");
  await alice.keyboard.type(", sans souris");
  await expect(bob.locator(".note textarea")).toHaveValue("Au clavier, sans souris");

  // From the text, Tab goes through the post-it's buttons: Enter on one adds a red dot.
  await alice.keyboard.press("Escape");
  await alice.keyboard.press("n");
  await alice.keyboard.type("Deuxième");
  await alice.keyboard.press("Tab");
  await expect(alice.locator(":focus")).toHaveAccessibleName("Jaune");
  for (let i = 0; i < 6; i++) await alice.keyboard.press("Tab");
  await expect(alice.locator(":focus")).toHaveAccessibleName("Ajouter une pastille rouge");
  await alice.keyboard.press("Enter");
  await expect(bob.locator(".note").nth(1).locator(".dots .dot-red")).toHaveCount(1);
  // Back to the post-it itself: its buttons go.
  for (let i = 0; i < 8; i++) await alice.keyboard.press("Shift+Tab");
  await expect(alice.locator(":focus")).toHaveAccessibleName(/Deuxième/);
  await expect(alice.locator(".note-tools")).toHaveCount(0);

  // Tab goes from post-it to post-it, stopping at their dots, never through their buttons;
  // Delete deletes the one with the focus.
  await alice.keyboard.press("Shift+Tab");
  await expect(alice.locator(":focus")).toHaveAccessibleName(/Au clavier/);
  await alice.keyboard.press("Tab");
  await expect(alice.locator(":focus")).toHaveAccessibleName(/Deuxième/);
  await alice.keyboard.press("Tab");
  await expect(alice.locator(":focus")).toHaveAccessibleName("Retirer une pastille rouge (1)");
  await expect(alice.locator(".note-tools")).toHaveCount(0);
  await alice.keyboard.press("Shift+Tab");
  await alice.keyboard.press("Shift+Tab");
  await expect(alice.locator(":focus")).toHaveAccessibleName(/Au clavier/);
  await alice.keyboard.press("Delete");
  await expect(bob.locator(".note")).toHaveCount(1);
  await expect(bob.locator(".note textarea")).toHaveValue("Deuxième");
});

test("columns: added, titled, reordered with their post-its, removed leaving the post-its", async ({ browser, server }) => {
  const board = await server.createBoard("Rétro");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);
  const addColumn = alice.getByRole("button", { name: "Ajouter une colonne" });
  await addColumn.click();
  await addColumn.click();
  await expect(bob.locator(".column")).toHaveCount(2);
  const headings = (page) => page.getByLabel("Titre de la colonne");
  await headings(alice).nth(0).fill("Ce qui a marché");
  await headings(alice).nth(1).fill("À améliorer");
  await expect(headings(bob).nth(1)).toHaveValue("À améliorer");

  // A post-it placed in the second column.
  await alice.locator(".board").dblclick({ position: { x: 400, y: 300 } });
  await alice.keyboard.type("Les pauses");
  await expect(bob.locator(".note textarea")).toHaveValue("Les pauses");
  const [x0, y0] = await place(bob.locator(".note"));
  expect((await server.board(board.id)).notes[0].column).toBe((await server.board(board.id)).columns[1].id);

  // The second column moves to the left: its post-it goes with it.
  await alice.locator(".column").nth(1).getByRole("button", { name: "Déplacer la colonne vers la gauche" }).click();
  await expect(headings(bob).nth(0)).toHaveValue("À améliorer");
  await expect.poll(() => place(bob.locator(".note"))).toEqual([x0 - 320, y0]);

  // Removed: the post-it stays where it was.
  await alice.locator(".column").nth(0).getByRole("button", { name: /Supprimer la colonne/ }).click();
  await expect(bob.locator(".column")).toHaveCount(1);
  await expect(headings(bob)).toHaveValue("Ce qui a marché");
  expect(await place(bob.locator(".note"))).toEqual([x0 - 320, y0]);
  await bob.reload();
  await expect(headings(bob)).toHaveValue("Ce qui a marché");
  await expect(bob.locator(".note textarea")).toHaveValue("Les pauses");
});

test("post-its: resize, bring to front, dots, duplicate, select several and move or delete them together", async ({ browser, server }) => {
  const board = await server.createBoard("Vote");
  const alice = await openBoard(browser, server, board.url);
  const bob = await openBoard(browser, server, board.url);
  await addNoteAt(alice, 200, 200, "Un");
  await addNoteAt(alice, 700, 200, "Deux");
  await expect(bob.locator(".note")).toHaveCount(2);
  const first = (page) => page.locator(".note").nth(0);

  // Resize by the corner.
  const corner = await first(alice).locator(".note-resize").boundingBox();
  await alice.mouse.move(corner.x + 8, corner.y + 8);
  await alice.mouse.down();
  await alice.mouse.move(corner.x + 108, corner.y + 48, { steps: 5 });
  await alice.mouse.up();
  await expect(first(bob)).toHaveCSS("width", "260px");
  await expect(first(bob)).toHaveCSS("height", "200px");

  // The second one is in front; bring the first to the front.
  const z = async (note) => Number(await note.evaluate((el) => el.style.zIndex));
  const second = (page) => page.locator(".note").nth(1);
  expect(await z(second(bob))).toBeGreaterThan(await z(first(bob)));
  await first(alice).hover();
  await first(alice).getByRole("button", { name: "Mettre au premier plan" }).click();
  await expect.poll(async () => (await z(first(bob))) > (await z(second(bob)))).toBe(true);

  // Dots: both add a red one at the same time, they count two; one is taken off.
  await first(bob).hover();
  await first(alice).hover();
  await Promise.all([
    first(alice).getByRole("button", { name: "Ajouter une pastille rouge" }).click(),
    first(bob).getByRole("button", { name: "Ajouter une pastille rouge" }).click(),
  ]);
  await expect(first(alice).getByRole("button", { name: "Retirer une pastille rouge (2)" })).toBeVisible();
  await expect(first(bob).getByRole("button", { name: "Retirer une pastille rouge (2)" })).toBeVisible();
  await first(bob).getByRole("button", { name: "Retirer une pastille rouge (2)" }).click();
  await expect(first(alice).getByRole("button", { name: "Retirer une pastille rouge (1)" })).toBeVisible();

  // Duplicate.
  await first(alice).hover();
  await first(alice).getByRole("button", { name: "Dupliquer" }).click();
  await expect(bob.locator(".note")).toHaveCount(3);
  await expect(bob.locator(".note textarea").nth(2)).toHaveValue("Un");

  // Rubber band (Shift + drag on empty space) around all three, then move them together.
  const notes = alice.locator(".note");
  const boxes = await Promise.all([0, 1, 2].map((i) => notes.nth(i).boundingBox()));
  const left = Math.min(...boxes.map((b) => b.x)) - 20;
  const top = Math.min(...boxes.map((b) => b.y)) - 30;
  const right = Math.max(...boxes.map((b) => b.x + b.width)) + 20;
  const bottom = Math.max(...boxes.map((b) => b.y + b.height)) + 20;
  await alice.keyboard.down("Shift");
  await alice.mouse.move(left, top);
  await alice.mouse.down();
  await alice.mouse.move(right, bottom, { steps: 6 });
  await alice.mouse.up();
  await alice.keyboard.up("Shift");
  await expect(alice.locator(".note.selected")).toHaveCount(3);
  await expect(alice.locator(".selection-count")).toHaveText("3 sélectionnés");

  const before = await Promise.all([0, 1, 2].map((i) => place(bob.locator(".note").nth(i))));
  const grip = await notes.nth(1).locator(".note-grip").boundingBox();
  await alice.mouse.move(grip.x + 30, grip.y + 8);
  await alice.mouse.down();
  await alice.mouse.move(grip.x + 130, grip.y + 68, { steps: 6 });
  await alice.mouse.up();
  for (let i = 0; i < 3; i++) {
    await expect.poll(() => place(bob.locator(".note").nth(i))).toEqual([before[i][0] + 100, before[i][1] + 60]);
  }

  // Shift-click takes one out of the selection; Delete deletes the rest.
  await notes.nth(0).locator(".note-grip").click({ modifiers: ["Shift"] });
  await expect(alice.locator(".note.selected")).toHaveCount(2);
  await alice.getByRole("button", { name: "Supprimer la sélection" }).click();
  await expect(bob.locator(".note")).toHaveCount(1);
  await expect(bob.locator(".note textarea")).toHaveValue("Un");
});

test("the canvas pans and zooms with the wheel, the buttons, the keys and fit all", async ({ browser, server }) => {
  const board = await server.createBoard("Canevas");
  const alice = await openBoard(browser, server, board.url);
  await addNote(alice, "Ici");
  await alice.keyboard.press("Escape");
  const canvas = alice.locator(".canvas");
  const transform = () => canvas.evaluate((el) => el.style.transform);

  // Zoom buttons and the level shown.
  await alice.getByRole("button", { name: "Zoomer", exact: true }).click();
  await expect(alice.locator(".zoom-level")).toHaveText("125 %");
  await alice.getByRole("button", { name: "Revenir à 100 %" }).click();
  await expect(alice.locator(".zoom-level")).toHaveText("100 %");

  // The wheel zooms around the pointer: the point under it stays put.
  const note = alice.locator(".note");
  const before = await note.boundingBox();
  await alice.mouse.move(before.x + 10, before.y + 10);
  await alice.mouse.wheel(0, 300);
  await expect(alice.locator(".zoom-level")).not.toHaveText("100 %");
  const after = await note.boundingBox();
  expect(after.width).toBeLessThan(before.width);
  expect(Math.abs(after.x - before.x)).toBeLessThan(12);

  // Dragging on empty space pans; so does Space + drag, even over a post-it.
  const panned = await transform();
  await alice.mouse.move(100, 500);
  await alice.mouse.down();
  await alice.mouse.move(300, 550, { steps: 5 });
  await alice.mouse.up();
  expect(await transform()).not.toBe(panned);
  const moved = await note.boundingBox();
  expect(Math.round(moved.x - after.x)).toBe(200);
  const [left, top] = await place(note);
  await alice.keyboard.down(" ");
  await alice.mouse.move(moved.x + 30, moved.y + 6);
  await alice.mouse.down();
  await alice.mouse.move(moved.x - 70, moved.y + 6, { steps: 5 });
  await alice.mouse.up();
  await alice.keyboard.up(" ");
  expect(Math.round((await note.boundingBox()).x - moved.x)).toBe(-100);
  expect(await place(note)).toEqual([left, top]);

  // Far away, then "fit all" brings every post-it into view; + and - zoom from the keyboard.
  await alice.mouse.move(100, 500);
  await alice.mouse.down();
  await alice.mouse.move(1200, 700, { steps: 5 });
  await alice.mouse.up();
  await expect(note).not.toBeInViewport();
  await alice.getByRole("button", { name: "Tout voir" }).click();
  await expect(note).toBeInViewport({ ratio: 1 });
  await alice.locator("body").press("+");
  await alice.locator("body").press("0");
  await expect(alice.locator(".zoom-level")).toHaveText("100 %");
});

test("the interface speaks the browser's language, switches and remembers; screenshots in both", async ({ browser, server }) => {
  const board = await server.createBoard("Rétrospective");
  const english = await openBoard(browser, server, board.url, { locale: "en-GB" });
  await expect(english.getByRole("button", { name: "Add a post-it" })).toBeVisible();
  await expect(english.locator("html")).toHaveAttribute("lang", "en");
  const french = await openBoard(browser, server, board.url);
  await expect(french.getByRole("button", { name: "Ajouter un post-it" })).toBeVisible();

  // A small workshop for the screenshots.
  await french.getByLabel("Votre nom").fill("Camille");
  await english.getByLabel("Your name").fill("Sam");
  await french.getByRole("button", { name: "Ajouter une colonne" }).click();
  await french.getByRole("button", { name: "Ajouter une colonne" }).click();
  await french.getByLabel("Titre de la colonne").nth(0).fill("Ce qui a marché");
  await french.getByLabel("Titre de la colonne").nth(1).fill("À améliorer");
  for (const [x, y, text] of [[60, 120, "Accueil chaleureux"], [80, 330, "Bons exemples"], [380, 120, "Trop de slides"]]) {
    await french.locator(".board").dblclick({ position: { x: x + 80, y: y + 40 } });
    await french.keyboard.type(text);
    await french.keyboard.press("Escape");
  }
  await french.locator(".note").nth(0).hover();
  await french.locator(".note").nth(0).getByRole("button", { name: "Ajouter une pastille verte" }).click();
  await french.locator(".note").nth(0).getByRole("button", { name: "Ajouter une pastille verte" }).click();
  await expect(english.locator(".note")).toHaveCount(3);
  await english.mouse.move(700, 420);
  await english.mouse.move(720, 430, { steps: 2 });
  await expect(french.locator(".cursor-name", { hasText: "Sam" })).toBeVisible();
  for (const [i, colour] of [[1, "Vert"], [2, "Rose"]]) {
    await french.locator(".note").nth(i).hover();
    await french.locator(".note").nth(i).getByRole("button", { name: colour, exact: true }).click();
  }
  // A click on empty space leaves the post-it (its buttons go) and clears the selection.
  await french.locator(".board").click({ position: { x: 1000, y: 600 } });
  await expect(french.locator(".note-tools")).toHaveCount(0);
  await expect(french.locator(".note.selected")).toHaveCount(0);
  await french.mouse.move(900, 500);
  await french.mouse.move(910, 505, { steps: 2 });
  await expect(english.locator(".cursor-name", { hasText: "Camille" })).toBeVisible();
  await french.screenshot({ path: "screenshots/board-fr.png" });
  await english.screenshot({ path: "screenshots/board-en.png" });

  // Switch, and the choice holds after a reload and on the home page.
  await english.getByRole("button", { name: "Passer en français" }).click();
  await expect(english.getByRole("button", { name: "Ajouter un post-it" })).toBeVisible();
  await expect(english.locator("html")).toHaveAttribute("lang", "fr");
  await english.reload();
  await expect(english.getByRole("button", { name: "Ajouter un post-it" })).toBeVisible();
  await english.goto(server.url);
  await expect(english.getByRole("button", { name: "Créer le tableau" })).toBeVisible();
  await english.getByRole("button", { name: "Switch to English" }).click();
  await expect(english.getByRole("button", { name: "Create board" })).toBeVisible();
  const home = await newPage(browser, { locale: "en-GB" });
  await home.goto(server.url);
  await expect(home.getByRole("button", { name: "Create board" })).toBeVisible();
  // Without JavaScript (as before the page's WebAssembly has arrived) the switch works too, and
  // keeps the link the page was opened with.
  const noScript = await newPage(browser, { javaScriptEnabled: false });
  await noScript.goto(server.url + board.links.participant);
  await noScript.getByRole("button", { name: "Switch to English" }).click();
  await expect(noScript.getByRole("button", { name: "Add a post-it" })).toBeVisible();
  expect(noScript.url()).toBe(server.url + board.links.participant);
});

test("on a touch screen, two fingers pinch to zoom and move together to pan", async ({ browser, server }) => {
  const board = await server.createBoard("Tablette");
  const page = await openBoard(browser, server, board.url, { hasTouch: true, viewport: { width: 1024, height: 768 } });
  const touch = await page.context().newCDPSession(page);
  const area = await page.locator(".board").boundingBox();
  const y = area.y + 300;
  const fingers = (points) => points.map(([x, py], id) => ({ x, y: py, id, radiusX: 5, radiusY: 5, force: 1 }));
  const transform = () => page.locator(".canvas").evaluate((el) => el.style.transform);

  // Fingers 200 px apart move to 400 px apart: twice the zoom, around the point between them.
  await touch.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: fingers([[400, y], [600, y]]) });
  for (let step = 1; step <= 5; step++) {
    const half = 100 + 20 * step;
    await touch.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: fingers([[500 - half, y], [500 + half, y]]) });
  }
  await touch.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await expect(page.locator(".zoom-level")).toHaveText("200 %");
  const zoomed = await transform();

  // Both fingers move 150 px left: the canvas follows.
  await touch.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: fingers([[400, y], [600, y]]) });
  for (let step = 1; step <= 5; step++) {
    await touch.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: fingers([[400 - 30 * step, y], [600 - 30 * step, y]]) });
  }
  await touch.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await expect(page.locator(".zoom-level")).toHaveText("200 %");
  const before = zoomed.match(/translate\(([-\d.]+)px/)[1];
  const after = (await transform()).match(/translate\(([-\d.]+)px/)[1];
  expect(Math.round(Number(after) - Number(before))).toBe(-150);
});

test("multi-select mode selects with taps and a drag, for screens without a Shift key", async ({ browser, server }) => {
  const board = await server.createBoard("Tablette");
  const alice = await openBoard(browser, server, board.url, { hasTouch: true });
  const bob = await openBoard(browser, server, board.url);
  await addNoteAt(alice, 200, 200, "Un");
  await addNoteAt(alice, 500, 200, "Deux");
  await addNoteAt(alice, 800, 200, "Trois");
  // The post-it just added is selected: a click on empty space clears that.
  await alice.locator(".board").click({ position: { x: 1000, y: 600 } });
  await expect(alice.locator(".note.selected")).toHaveCount(0);
  const mode = alice.getByRole("button", { name: "Sélection multiple" });
  await mode.click();
  await expect(mode).toHaveAttribute("aria-pressed", "true");

  // Taps on two grips select both; a tap again takes one out.
  const notes = alice.locator(".note");
  for (const i of [0, 1, 2]) await notes.nth(i).locator(".note-grip").tap();
  await notes.nth(2).locator(".note-grip").tap();
  await expect(alice.locator(".note.selected")).toHaveCount(2);
  await expect(alice.locator(".selection-count")).toHaveText("2 sélectionnés");

  // A drag on empty space draws a rubber band instead of panning.
  const before = await alice.locator(".canvas").evaluate((el) => el.style.transform);
  const third = await notes.nth(2).boundingBox();
  await alice.mouse.move(third.x - 30, third.y - 30);
  await alice.mouse.down();
  await alice.mouse.move(third.x + third.width + 30, third.y + third.height + 30, { steps: 4 });
  await alice.mouse.up();
  await expect(alice.locator(".note.selected")).toHaveCount(3);
  expect(await alice.locator(".canvas").evaluate((el) => el.style.transform)).toBe(before);

  await alice.getByRole("button", { name: "Supprimer la sélection" }).click();
  await expect(bob.locator(".note")).toHaveCount(0);
  await mode.click();
  await expect(mode).toHaveAttribute("aria-pressed", "false");
});
