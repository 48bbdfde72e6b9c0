// Frame timing of the canvas with many post-its in headless Chromium (Debian's), run by the load
// generator's `canvas` scenario:
//   node bench/canvas.mjs <board page URL> <post-its on the board> <samples>
// Each sample opens the page, waits until the app is live, then records the time between
// animation frames while it (1) pans by dragging empty space, (2) zooms with 20 wheel steps,
// (3) drags one post-it, each driven by 60 pointer moves (the pan with Space + drag, which pans
// wherever the pointer is). A frame that takes longer than 16.7 ms
// misses 60 frames per second. Prints one JSON object with every frame interval on stdout.
import { benchArgs, launchChromium } from "./common.mjs";

const { url, notes, samples } = benchArgs("canvas.mjs", 3);
const browser = await launchChromium();

/** Runs `gesture` while recording the intervals between animation frames. */
async function framesDuring(page, gesture) {
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    window.__recording = true;
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await gesture();
  // Let the last frame of the gesture be painted.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => {
    window.__recording = false;
    return window.__frames.slice(1);
  });
}

const result = { notes, pan: [], zoom: [], drag: [] };
for (let i = 0; i < samples; i++) {
  const context = await browser.newContext({ locale: "fr-FR", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.locator(".status-ok").waitFor({ timeout: 60_000 });
  const count = await page.locator("article.note").count();
  if (count !== notes) throw new Error(`${count} post-its on the page, expected ${notes}`);
  const area = await page.locator(".board").boundingBox();
  const middle = { x: area.x + area.width / 2, y: area.y + area.height / 2 };
  // Space + drag pans wherever the pointer is (the post-its cover the board area).
  result.pan.push(
    ...(await framesDuring(page, async () => {
      await page.mouse.move(middle.x, middle.y);
      await page.keyboard.down(" ");
      await page.mouse.down();
      await page.mouse.move(middle.x - 600, middle.y - 300, { steps: 60 });
      await page.mouse.up();
      await page.keyboard.up(" ");
    })),
  );
  result.zoom.push(
    ...(await framesDuring(page, async () => {
      await page.mouse.move(middle.x, middle.y);
      for (let step = 0; step < 20; step++) await page.mouse.wheel(0, step < 10 ? 60 : -60);
    })),
  );
  // Away from the post-it under the pointer after the zoom (its buttons could cover others),
  // then a post-it whose grip is in view after the pan and zoom.
  await page.mouse.move(area.x + 5, area.y + 5);
  const index = await page.evaluate((box) => {
    const grips = [...document.querySelectorAll("article.note .note-grip")];
    return grips.findIndex((g) => {
      const r = g.getBoundingClientRect();
      const inView = r.left > box.x + 20 && r.top > box.y + 20 && r.right < box.x + box.width - 340 && r.bottom < box.y + box.height - 240;
      // Not under another post-it's buttons.
      return inView && document.elementFromPoint(r.left + 10, r.top + 5)?.closest(".note-grip") === g;
    });
  }, area);
  if (index < 0) throw new Error("no post-it in view to drag");
  const note = page.locator("article.note").nth(index);
  const before = await note.evaluate((el) => el.style.left);
  const grip = await note.locator(".note-grip").boundingBox();
  result.drag.push(
    ...(await framesDuring(page, async () => {
      await page.mouse.move(grip.x + 10, grip.y + 5);
      await page.mouse.down();
      await page.mouse.move(grip.x + 310, grip.y + 205, { steps: 60 });
      await page.mouse.up();
    })),
  );
  if ((await note.evaluate((el) => el.style.left)) === before) throw new Error("the drag did not move the post-it");
  await context.close();
}
await browser.close();
console.log(JSON.stringify(result));
