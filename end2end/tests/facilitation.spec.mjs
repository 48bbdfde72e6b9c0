// The facilitator's script in real pages: a board made from a template on the home page, the
// phases run by the facilitator and followed by a participant, a countdown every page reads by
// the server's clock (one page's own clock is seven minutes off), its end signalled, and the
// board saved as a template of the server. French on one page, English on the other; a reload
// and a server restart in the middle lose nothing.
import { dragTo, expect, newPage, note, openBoard, place, test } from "./pages.mjs";

/** Seconds a countdown shows ("4:58", "4:58 (en pause)" → 298). */
async function secondsShown(page) {
  const text = await page.locator(".countdown .time").innerText();
  const [minutes, seconds] = text.match(/(\d+):(\d\d)/).slice(1).map(Number);
  return minutes * 60 + seconds;
}

test("a facilitator runs a workshop from a template: phases, a countdown on the server's clock, its end, saved as a template", async ({ browser, server }) => {
  const facilitator = await newPage(browser);
  await facilitator.goto(server.url);
  await facilitator.getByLabel("Titre du tableau").fill("Rétro du sprint");
  await facilitator.getByLabel("Modèle").selectOption({ label: "Commencer, arrêter, continuer" });
  await facilitator.getByRole("button", { name: "Créer le tableau" }).click();
  await expect(facilitator.locator(".status-ok")).toBeVisible();

  // The template's columns, instructions and phases, the first one current.
  await expect(facilitator.locator(".column-heading")).toHaveCount(3);
  await expect(facilitator.locator(".column-heading").first()).toHaveValue("Commencer");
  await expect(facilitator.getByLabel("Consignes")).toHaveValue(/Une idée par post-it/);
  await expect(facilitator.locator(".stepper li")).toHaveCount(5);
  await expect(facilitator.locator('.stepper [aria-current="step"]')).toHaveText("Écriture");
  await expect(facilitator.locator(".phase-hint")).toHaveText("Écrivez vos idées, une par post-it.");

  // A participant in English whose computer's clock is seven minutes fast.
  await facilitator.locator("details.links summary").click();
  const link = new URL(await facilitator.locator('[data-link="participant"] input').inputValue());
  await facilitator.locator("details.links summary").click();
  const participantContext = { locale: "en-GB" };
  const participant = await newPage(browser, participantContext);
  await participant.context().addInitScript(() => {
    const realNow = Date.now;
    Date.now = () => realNow() + 7 * 60 * 1000;
  });
  await participant.goto(server.url + link.pathname + link.search);
  await expect(participant.locator(".status-ok")).toBeVisible();
  await expect(participant.locator('.stepper [aria-current="step"]')).toHaveText("Writing");
  await expect(participant.locator(".phase-hint")).toHaveText("Write your ideas, one per post-it.");
  // Only the facilitator runs the workshop.
  await expect(participant.getByRole("button", { name: "Next step" })).toHaveCount(0);
  await expect(participant.getByRole("button", { name: "Start the timer" })).toHaveCount(0);
  await expect(participant.locator(".stepper button")).toHaveCount(0);

  // A five-minute countdown, from the facilitator's menu: both pages show the same time left,
  // whatever their clocks say.
  await expect(facilitator.locator(".countdown")).toBeHidden();
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByLabel("Minutes").fill("5");
  await facilitator.getByRole("button", { name: "Lancer le minuteur" }).click();
  await expect(participant.locator(".countdown .time")).toBeVisible();
  const [mine, theirs] = [await secondsShown(facilitator), await secondsShown(participant)];
  expect(theirs).toBeGreaterThan(290);
  expect(theirs).toBeLessThanOrEqual(300);
  expect(Math.abs(mine - theirs)).toBeLessThanOrEqual(2);

  // The facilitator rewrites the instructions; the participant reads the new ones.
  await facilitator.getByLabel("Consignes").fill("Trois idées au plus, une par post-it.");
  await facilitator.getByLabel("Consignes").press("Enter");
  await expect(participant.locator(".instructions")).toContainText("Trois idées au plus, une par post-it.");

  // The next phase, from the keyboard.
  await facilitator.getByRole("button", { name: "Étape suivante" }).focus();
  await facilitator.keyboard.press("Enter");
  await expect(participant.locator('.stepper [aria-current="step"]')).toHaveText("Reveal");
  await expect(participant.locator(".phase-hint")).toHaveText("Read everyone's post-its.");

  // Paused, one more minute: the same on both pages, and after a reload.
  await facilitator.getByRole("button", { name: "Pause" }).click();
  await expect(participant.locator(".countdown .time")).toContainText("(paused)");
  await facilitator.getByRole("button", { name: "+1 min" }).click();
  await expect.poll(() => secondsShown(participant)).toBeGreaterThan(340);
  const paused = await secondsShown(participant);
  await expect.poll(() => secondsShown(facilitator)).toBe(paused);
  await participant.reload();
  await expect(participant.locator(".status-ok")).toBeVisible();
  await expect(participant.locator('.stepper [aria-current="step"]')).toHaveText("Reveal");
  expect(await secondsShown(participant)).toBe(paused);

  // kill -9 and restart: the pages reconnect, and the countdown goes on from where it was.
  await server.killAndRestart();
  await expect(facilitator.locator(".status-ok")).toBeVisible();
  await expect(participant.locator(".status-ok")).toBeVisible();
  await facilitator.getByRole("button", { name: "Reprendre" }).click();
  await expect(participant.locator(".countdown .time")).not.toContainText("(paused)");
  await expect.poll(() => secondsShown(participant)).toBeLessThan(paused);

  // A short countdown ends on every page, visibly.
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByLabel("Minutes").fill("0.1");
  await facilitator.getByRole("button", { name: "Lancer le minuteur" }).click();
  await expect(participant.getByRole("alert")).toHaveText("Time's up!", { timeout: 15_000 });
  await expect(facilitator.getByRole("alert")).toHaveText("Temps écoulé !");
  await facilitator.getByRole("button", { name: "Arrêter" }).click();
  await expect(participant.locator(".countdown .time")).toBeHidden();
  await expect(participant.getByRole("alert")).toHaveCount(0);

  // Saved as a template, the home page offers it to the next board.
  await facilitator.locator("details.facilitate summary").click();
  facilitator.once("dialog", (dialog) => dialog.accept("Notre rétro"));
  await facilitator.getByRole("button", { name: "Enregistrer comme modèle" }).click();
  await expect(facilitator.locator(".template-saved")).toHaveText("Modèle enregistré : Notre rétro");
  const next = await newPage(browser);
  await next.goto(server.url);
  await next.getByLabel("Titre du tableau").fill("Rétro suivante");
  await next.getByLabel("Modèle").selectOption({ label: "Notre rétro" });
  await next.getByRole("button", { name: "Créer le tableau" }).click();
  await expect(next.locator(".status-ok")).toBeVisible();
  await expect(next.locator(".column-heading")).toHaveCount(3);
  await expect(next.locator('.stepper [aria-current="step"]')).toHaveText("Écriture");
});

test("a board without a template has no workshop bar until its facilitator starts a countdown; an anonymous board writes no name", async ({ browser, server }) => {
  const board = await server.createBoard("Sans modèle");
  const facilitator = await openBoard(browser, server, board.url);
  const participant = await openBoard(browser, server, board.links.participant);
  for (const page of [facilitator, participant]) await expect(page.locator(".workshop")).toHaveCount(0);
  await expect(participant.locator("details.facilitate")).toHaveCount(0);
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByLabel("Minutes").fill("1");
  await facilitator.getByRole("button", { name: "Lancer le minuteur" }).click();
  await expect(participant.locator(".countdown .time")).toBeVisible();

  // Anonymous from now on: the participant's post-it carries no name, though she gave one.
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByLabel("Tableau anonyme").check();
  await facilitator.locator("details.facilitate summary").click();
  await expect(participant.locator(".anonymous")).toHaveText("Tableau anonyme : aucun nom n'y est écrit ni montré aux autres.");
  await participant.getByLabel("Votre nom").fill("Alice");
  await participant.getByRole("button", { name: "Ajouter un post-it" }).click();
  await participant.keyboard.type("Sans signature");
  await expect(facilitator.locator(".note textarea")).toHaveValue("Sans signature");
  await expect(facilitator.locator(".person-name")).not.toContainText("Alice");
  const stored = await server.board(board.id);
  expect(stored.notes[0].author).toBeNull();
  await expect(participant.locator(".status-ok")).toBeVisible();
});

test("a vote of three each: the server counts, nobody sees a vote before the close, then the results rank the post-its", async ({ browser, server }) => {
  const response = await fetch(`${server.url}/api/boards`, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-language": "fr" },
    body: JSON.stringify({ title: "Rétro", template: "mad-sad-glad" }),
  });
  const board = await response.json();
  const facilitator = await openBoard(browser, server, board.links.facilitator);
  const alice = await openBoard(browser, server, board.links.participant);
  // Bob is on a tablet, in English.
  const bob = await openBoard(browser, server, board.links.participant, { locale: "en-GB", hasTouch: true, isMobile: true, viewport: { width: 1024, height: 768 } });

  // One post-it in each column, apart from each other.
  for (const [i, text] of ["Trop de réunions", "Bonne ambiance", "Pas de tests"].entries()) {
    await alice.locator(".board").dblclick({ position: { x: 60 + 330 * i, y: 150 } });
    await expect(alice.locator(".note-text:focus")).toHaveCount(1);
    await alice.keyboard.type(text);
    await alice.keyboard.press("Escape");
  }
  await expect(facilitator.locator(".note")).toHaveCount(3);
  // Only the facilitator opens a vote.
  await expect(alice.getByRole("button", { name: "Lancer le vote" })).toHaveCount(0);
  await facilitator.locator("details.facilitate summary").click();
  await facilitator.getByLabel("Votes par personne").fill("3");
  await facilitator.getByRole("button", { name: "Lancer le vote" }).click();
  await expect(alice.locator(".votes-left")).toHaveText("Votes restants : 3 / 3");
  await expect(bob.locator(".votes-left")).toHaveText("Votes left: 3 / 3");

  // Alice votes twice for one post-it: one vote per post-it, the server refuses the second.
  const meetings = note(alice, "Trop de réunions");
  await meetings.getByRole("button", { name: "Voter pour ce post-it" }).click();
  await expect(alice.locator(".votes-left")).toHaveText("Votes restants : 2 / 3");
  await meetings.getByRole("button", { name: "Voter pour ce post-it" }).click();
  await expect(alice.locator(".vote-refused")).toHaveText("Vote refusé par le serveur.");
  await expect(alice.locator(".votes-left")).toHaveText("Votes restants : 2 / 3");
  await note(alice, "Pas de tests").getByRole("button", { name: "Voter pour ce post-it" }).click();
  await note(alice, "Bonne ambiance").getByRole("button", { name: "Voter pour ce post-it" }).click();
  await expect(alice.locator(".votes-left")).toHaveText("Votes restants : 0 / 3");
  // Taken back, and given again.
  await note(alice, "Bonne ambiance").getByRole("button", { name: "Retirer un vote" }).click();
  await expect(alice.locator(".votes-left")).toHaveText("Votes restants : 1 / 3");
  await note(alice, "Bonne ambiance").getByRole("button", { name: "Voter pour ce post-it" }).click();
  await expect(alice.locator(".votes-left")).toHaveText("Votes restants : 0 / 3");

  // Bob taps his votes on the tablet; his count survives a reload.
  await note(bob, "Trop de réunions").getByRole("button", { name: "Vote for this post-it" }).tap();
  await note(bob, "Pas de tests").getByRole("button", { name: "Vote for this post-it" }).tap();
  await expect(bob.locator(".votes-left")).toHaveText("Votes left: 1 / 3");
  await bob.reload();
  await expect(bob.locator(".votes-left")).toHaveText("Votes left: 1 / 3");

  // The facilitator sees three seats taken (theirs, Alice's, Bob's) and lets no one else in:
  // a page opened now gets no seat, so no vote.
  await facilitator.locator("details.facilitate summary").click();
  await expect(facilitator.locator(".seats")).toContainText(": 3");
  await facilitator.getByLabel("accepter de nouveaux participants").uncheck();
  await expect(facilitator.getByLabel("accepter de nouveaux participants")).not.toBeChecked();
  await facilitator.locator("details.facilitate summary").click();
  const late = await openBoard(browser, server, board.links.participant);
  await expect(late.locator(".votes-left")).toHaveText("");
  await expect(late.locator(".no-seat")).toHaveText("L'animation n'accepte plus de nouveaux participants : ce navigateur ne vote pas.");
  await expect(late.getByRole("button", { name: "Voter pour ce post-it" })).toHaveCount(0);

  // Nobody sees anyone's votes while the vote is open.
  for (const page of [facilitator, alice, bob]) await expect(page.locator(".vote-result")).toHaveCount(0);

  await facilitator.getByRole("button", { name: "Clore le vote" }).click();
  for (const page of [facilitator, alice]) {
    await expect(note(page, "Trop de réunions").locator(".vote-result")).toHaveText("2 votes");
    await expect(note(page, "Bonne ambiance").locator(".vote-result")).toHaveText("1 vote");
  }
  await expect(note(bob, "Pas de tests").locator(".vote-result")).toHaveText("2 votes");
  await expect(alice.locator(".vote-results li")).toHaveCount(3);
  await expect(alice.locator(".vote-results li").last()).toHaveText("Bonne ambiance — 1 vote");
  await expect(alice.getByRole("button", { name: "Voter pour ce post-it" })).toHaveCount(0);
  await alice.reload();
  await expect(note(alice, "Pas de tests").locator(".vote-result")).toHaveText("2 votes");
});

test("groups and actions: a post-it dropped onto another makes a titled group that moves as one; a post-it made an action is filled in and ticked done in the Actions panel", async ({ browser, server }) => {
  const response = await fetch(`${server.url}/api/boards`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ title: "Regroupement", template: "blank" }),
  });
  const board = await response.json();
  const alice = await openBoard(browser, server, board.links.participant);
  const bob = await openBoard(browser, server, board.links.participant, { locale: "en-GB" });
  for (const [x, text] of [[150, "Réunions trop longues"], [500, "Ordres du jour flous"], [850, "Bonne ambiance"]]) {
    await alice.locator(".board").dblclick({ position: { x, y: 260 } });
    await expect(alice.locator(".note-text:focus")).toHaveCount(1);
    await alice.keyboard.type(text);
    await alice.keyboard.press("Escape");
  }
  await expect(bob.locator(".note")).toHaveCount(3);

  // Dropped onto another, a post-it makes a group with it, seen by the other page.
  const target = await note(alice, "Réunions trop longues").boundingBox();
  await dragTo(alice, note(alice, "Ordres du jour flous"), target.x + target.width / 2, target.y + 40);
  await expect(bob.locator(".group")).toHaveCount(1);
  await alice.locator(".group-title").fill("Réunions");
  await expect(bob.locator(".group-title")).toHaveValue("Réunions");

  // The group moves as one: dragging one of its post-its moves the other by as much.
  const [x0, y0] = await place(note(bob, "Ordres du jour flous"));
  const first = await note(alice, "Réunions trop longues").locator(".note-grip").boundingBox();
  await dragTo(alice, note(alice, "Réunions trop longues"), first.x + first.width / 2 + 100, first.y + first.height / 2 + 150);
  await expect.poll(async () => (await place(note(bob, "Ordres du jour flous")))[1]).toBeGreaterThan(y0 + 100);
  const [x1, y1] = await place(note(bob, "Ordres du jour flous"));
  expect(Math.round(x1 - x0)).toBe(100);
  expect(Math.round(y1 - y0)).toBe(150);

  // Ungrouped, from the keyboard: the frame goes on both pages.
  await bob.getByRole("button", { name: "Ungroup" }).focus();
  await bob.keyboard.press("Enter");
  await expect(alice.locator(".group")).toHaveCount(0);

  // Grouped again from the keyboard alone: Space adds each focused post-it to the selection,
  // then the toolbar's Group.
  await note(alice, "Réunions trop longues").focus();
  await alice.keyboard.press("Escape");
  for (const text of ["Réunions trop longues", "Ordres du jour flous"]) {
    await note(alice, text).focus();
    await alice.keyboard.press(" ");
  }
  await expect(alice.locator(".note.selected")).toHaveCount(2);
  await alice.getByRole("button", { name: "Grouper", exact: true }).focus();
  await alice.keyboard.press("Enter");
  await expect(bob.locator(".group")).toHaveCount(1);

  // A post-it made an action: its owner and date filled in, ticked done, on the other page too.
  await note(alice, "Bonne ambiance").hover();
  await note(alice, "Bonne ambiance").getByRole("button", { name: "En faire une action" }).click();
  await expect(note(bob, "Bonne ambiance").locator(".note-action")).toHaveText("Action: nobody yet");
  await bob.locator(".actions-panel summary").click();
  await expect(bob.locator(".actions-panel summary")).toHaveText("Actions (1)");
  await bob.locator(".action-owner").fill("Aïcha");
  await bob.locator(".action-owner").press("Enter");
  await bob.locator(".action-due").fill("2027-03-15");
  await expect(note(alice, "Bonne ambiance").locator(".note-action")).toHaveText("Action : Aïcha · 2027-03-15");
  await expect(note(alice, "Bonne ambiance").locator(".note-action")).not.toHaveClass(/\bdone\b/);
  await alice.locator(".actions-panel summary").click();
  await alice.getByLabel("Fait : Bonne ambiance").check();
  await expect(note(bob, "Bonne ambiance").locator(".note-action")).toHaveClass(/done/);
  await bob.reload();
  await expect(note(bob, "Bonne ambiance").locator(".note-action")).toHaveText("Action: Aïcha · 2027-03-15");
  await expect(note(bob, "Bonne ambiance").locator(".note-action")).toHaveClass(/\bdone\b/);
  const stored = await (await fetch(`${server.url}/api/boards/${board.id}`, { headers: { authorization: `Bearer ${new URL(board.links.facilitator, server.url).searchParams.get("k")}` } })).json();
  const action = stored.notes.find((n) => n.text === "Bonne ambiance").action;
  expect(action).toEqual({ owner: "Aïcha", due: "2027-03-15", done: true });
});
