// What the browser timing scripts share: their arguments and Debian's headless Chromium.
import { chromium } from "@playwright/test";

/** `<board page URL> <post-its on the board> <samples>` from the command line, or exits. */
export function benchArgs(script, defaultSamples) {
  const [url, notesArg, samplesArg] = process.argv.slice(2);
  const notes = Number(notesArg);
  const samples = Number(samplesArg || defaultSamples);
  if (!url || !Number.isInteger(notes) || !Number.isInteger(samples)) {
    console.error(`usage: node bench/${script} <board page URL> <post-its> <samples>`);
    process.exit(2);
  }
  return { url, notes, samples };
}

/** Headless Chromium, never a downloaded browser. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
  });
}
