// Silent writing in real pages: while the facilitator has writing set to private, a
// participant's new post-its show on her page only, the others see how many she has; they
// survive a reload and a server restart; she reveals hers, then the facilitator everyone's.
// French on one page, English on another. A private post-it written offline; consent rounds;
// following a view.
import { expect, note, openBoard, test } from "./pages.mjs";


test("silent writing: private post-its are the writer's alone until revealed, kept across a reload and a restart", async ({ browser, server }) => {
  const board = await server.createBoard("Rétro silencieuse");
  const facilitator = await openBoard(browser, server, board.url);
  const alice = await openBoard(browser, server, board.links.participant);
  const bob = await openBoard(browser, server, board.links.participant, { locale: "en-GB" });
  await alice.getByLabel("Votre nom").fill("Alice");

  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByLabel("Écriture silencieuse (post-its privés jusqu'au dévoilement)").check();
  await facilitator.locator("details.facilitate summary").click();
  await expect(alice.locator(".writing-private")).toHaveText("Vos nouveaux post-its ne sont visibles que par vous jusqu'au dévoilement.");
  await expect(bob.locator(".writing-private")).toBeVisible();

  // Alice writes two, from the button and with a double click: on her page only.
  await alice.getByRole("button", { name: "Ajouter un post-it" }).click();
  await alice.keyboard.type("Trop de réunions");
  await alice.locator(".board").dblclick({ position: { x: 700, y: 500 } });
  await alice.keyboard.type("Pas assez de tests");
  await expect(alice.locator(".draft")).toHaveCount(2);
  await expect(alice.locator(".draft .draft-badge").first()).toHaveText("Visible par vous seul·e");
  await expect(bob.locator(".hidden-counts")).toHaveText("Alice: 2 post-its");
  await expect(facilitator.locator(".hidden-counts")).toHaveText("Alice : 2 post-its");
  for (const page of [bob, facilitator]) {
    await expect(page.locator(".note")).toHaveCount(0);
    await expect(page.locator(".draft")).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText("Trop de réunions");
  }

  // Kept across a reload and a kill -9 of the server.
  await expect(alice.locator(".status-ok")).toBeVisible();
  await alice.reload();
  await expect(alice.locator(".draft textarea")).toHaveCount(2);
  await server.killAndRestart();
  await alice.reload();
  await expect(alice.locator(".status-ok")).toBeVisible();
  await expect(alice.locator(".draft textarea").first()).toHaveValue("Trop de réunions");
  await expect(bob.locator(".hidden-counts")).toHaveText("Alice: 2 post-its");

  // Bob writes one; Alice reveals hers: Bob's stays his.
  await bob.getByRole("button", { name: "Add a post-it" }).click();
  await bob.keyboard.type("Bob's secret");
  await expect(alice.locator(".hidden-counts li")).toHaveCount(2);
  await alice.getByRole("button", { name: "Dévoiler les miens" }).click();
  await expect(bob.locator(".note")).toHaveCount(2);
  await expect(bob.locator('.note[aria-label*="Trop de réunions"]')).toHaveCount(1);
  await expect(bob.locator('.note[aria-label*="Pas assez de tests"]')).toHaveCount(1);
  await expect(alice.locator(".draft")).toHaveCount(0);
  await expect(alice.locator(".note")).toHaveCount(2);
  await expect(alice.locator("body")).not.toContainText("Bob's secret");

  // The facilitator reveals everyone's: private writing ends, new post-its are public again.
  await facilitator.getByRole("button", { name: "Tout dévoiler" }).click();
  await expect(alice.locator(".note")).toHaveCount(3);
  await expect(alice.locator(`.note[aria-label*="Bob's secret"]`)).toHaveCount(1);
  await expect(bob.locator(".draft")).toHaveCount(0);
  await expect(alice.locator(".writing")).toBeHidden();
  await alice.getByRole("button", { name: "Ajouter un post-it" }).click();
  await alice.keyboard.type("En public");
  await expect(bob.locator(".note")).toHaveCount(4);
});

test("a consent round on a proposal: answers hidden until the facilitator closes it, then the objections to work on", async ({ browser, server }) => {
  const board = await server.createBoard("Accords");
  const facilitator = await openBoard(browser, server, board.url);
  const alice = await openBoard(browser, server, board.links.participant);
  const bob = await openBoard(browser, server, board.links.participant, { locale: "en-GB" });
  await bob.getByLabel("Your name").fill("Bob");
  await facilitator.getByRole("button", { name: "Ajouter un post-it" }).click();
  await facilitator.keyboard.type("Réunion le lundi à 9 h");
  await expect(facilitator.locator(".note.selected")).toHaveCount(1);
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByRole("button", { name: "Tour de consentement sur le post-it choisi" }).click();
  await expect(bob.locator(".consent .proposal")).toHaveText("Réunion le lundi à 9 h");

  await bob.getByLabel("Objection").check();
  await bob.getByLabel("Reason").fill("I take the children to school on Mondays");
  await bob.getByRole("button", { name: "Send" }).click();
  await expect(bob.locator(".consent-mine")).toHaveText("Your answer: Objection");
  await alice.getByLabel("Je consens").check();
  await alice.getByRole("button", { name: "Envoyer" }).click();
  await expect(facilitator.locator(".consent-answered")).toHaveText("2 réponse(s)");
  await expect(alice.locator("body")).not.toContainText("children");
  // Kept across a reload: the answer is the server's.
  await bob.reload();
  await expect(bob.locator(".consent-mine")).toHaveText("Your answer: Objection");

  await facilitator.getByRole("button", { name: "Clore le tour" }).click();
  for (const page of [alice, facilitator]) {
    await expect(page.locator(".consent-result strong")).toHaveText("Objections à travailler :");
    await expect(page.locator(".consent-result .objections")).toHaveText("I take the children to school on Mondays (Bob)");
  }
  await expect(bob.locator(".consent-result")).toContainText("1 consent(s)");
});

test("follow: a page shows another's view until it stops following; the facilitator brings everyone to its view", async ({ browser, server }) => {
  const board = await server.createBoard("Suivre");
  const facilitator = await openBoard(browser, server, board.url);
  const alice = await openBoard(browser, server, board.links.participant);
  await alice.getByLabel("Votre nom").fill("Alice");
  const bob = await openBoard(browser, server, board.links.participant, { locale: "en-GB" });
  // The canvas point in the middle of a page's board area, to the pixel: what a page shares.
  const centre = (page) => page.locator(".board").evaluate((board) => {
    const [x, y, zoom] = board.querySelector(".canvas").style.transform.match(/[-\d.]+/g).map(Number);
    return [Math.round((board.clientWidth / 2 - x) / zoom), Math.round((board.clientHeight / 2 - y) / zoom)].join(",");
  });

  // Bob follows Alice: as she zooms, his page shows what hers shows.
  await bob.getByRole("button", { name: "Follow the view of Alice" }).click();
  await expect(bob.getByRole("button", { name: "Follow the view of Alice" })).toHaveAttribute("aria-pressed", "true");
  for (let i = 0; i < 2; i++) await alice.getByRole("button", { name: "Zoomer", exact: true }).click();
  await expect(alice.locator(".zoom-level")).toHaveText("156 %");
  await expect(bob.locator(".zoom-level")).toHaveText("156%");
  await expect.poll(() => centre(bob)).toBe(await centre(alice));
  // He stops: her next zoom leaves his page where it is.
  await bob.getByRole("button", { name: "Follow the view of Alice" }).click();
  await alice.getByRole("button", { name: "Dézoomer" }).click();
  await expect(alice.locator(".zoom-level")).toHaveText("125 %");
  await bob.waitForTimeout(300);
  await expect(bob.locator(".zoom-level")).toHaveText("156%");

  // The facilitator zooms out and brings everyone there.
  for (let i = 0; i < 2; i++) await facilitator.getByRole("button", { name: "Dézoomer" }).click();
  await expect(facilitator.locator(".zoom-level")).toHaveText("64 %");
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByRole("button", { name: "Amener tout le monde ici" }).click();
  for (const [page, shown] of [[alice, "64 %"], [bob, "64%"]]) {
    await expect(page.locator(".zoom-level")).toHaveText(shown);
    await expect.poll(() => centre(page)).toBe(await centre(facilitator));
  }
});

test("a private post-it written offline survives an offline reload and reaches the server once the page is back", async ({ browser, server }) => {
  const board = await server.createBoard("Wifi d'hôtel");
  const facilitator = await openBoard(browser, server, board.url);
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByLabel("Écriture silencieuse (post-its privés jusqu'au dévoilement)").check();
  await facilitator.locator("details.facilitate summary").click();
  const alice = await openBoard(browser, server, board.links.participant);
  await alice.getByLabel("Votre nom").fill("Alice");
  await expect(alice.locator(".writing-private")).toBeVisible();
  await alice.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await alice.context().setOffline(true);
  await expect(alice.locator(".status")).toContainText("Hors ligne");
  await alice.getByRole("button", { name: "Ajouter un post-it" }).click();
  await expect(alice.locator(".draft textarea:focus")).toHaveCount(1);
  await alice.keyboard.type("Écrit dans le train");
  await alice.reload();
  await expect(alice.locator(".status")).toContainText("Hors ligne");
  await expect(alice.locator(".draft textarea")).toHaveValue("Écrit dans le train");
  await expect(facilitator.locator(".hidden-counts li")).toHaveCount(0);

  await alice.context().setOffline(false);
  await expect(alice.locator(".status-ok")).toBeVisible();
  await expect(facilitator.locator(".hidden-counts")).toHaveText("Alice : 1 post-it");
  await facilitator.getByRole("button", { name: "Tout dévoiler" }).click();
  await expect(note(facilitator, "Écrit dans le train")).toHaveCount(1);
});
