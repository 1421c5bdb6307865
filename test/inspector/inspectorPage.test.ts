import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { lines, runFlakery } from '../cli/runFlakery.js';
import { launchChromium } from '../support/headlessChromium.js';
import { repoRoot } from '../support/paths.js';
import { ServeProcess } from '../support/ServeProcess.js';

const TOKEN = 'insp-tok-93c1d';
/** An overt ID from `flakery decode --help` (hardware id 3f0bab834001, process 7325). */
const OVERT_ID = '377295072063832883106679564772908189';

/** Chrome reports a refused fetch as a console error; the token test expects exactly these. */
const REFUSED_401 = /Failed to load resource: the server responded with a status of 401/;

interface Watched {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Console errors and uncaught exceptions. */
  readonly errors: string[];
  /** Requests to anywhere but the server (blocked). */
  readonly outside: string[];
}

/** A fresh context whose page may talk to `origin` only; anything else is blocked and recorded. */
async function open(browser: Browser, origin: string): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 }, colorScheme: 'light' });
  const errors: string[] = [];
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    outside.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  await page.goto(`${origin}/`);
  return { context, page, errors, outside };
}

/** The values shown for one decoded ID, by field name. */
async function shownFields(page: Page, index: number): Promise<Record<string, string>> {
  const item = page.locator('#decode-results > li').nth(index);
  await item.locator('dd').first().waitFor();
  const fields = await item.locator('dd').evaluateAll((dds) => dds.map((dd) => [dd.getAttribute('data-field')!, dd.textContent!]));
  return Object.fromEntries(fields);
}

/** `flakery decode`'s JSON for `id`, as text values the page shows. */
async function cliDecode(id: string, args: readonly string[]): Promise<Record<string, string>> {
  const result = await runFlakery(['decode', ...args, id]);
  assert.equal(result.status, 0, result.stderr);
  const decoded = JSON.parse(lines(result.stdout)[0]!) as Record<string, string | number>;
  return Object.fromEntries(Object.entries(decoded).map(([key, value]) => [key, String(value)]));
}

describe('the inspector page in a real Chromium, served by a real flakery serve --http', () => {
  let browser: Browser;
  let open_: ServeProcess;
  let guarded: ServeProcess;

  before(async () => {
    const started = await Promise.allSettled([
      launchChromium(),
      ServeProcess.start(['--layout', 'snowflake', '--machine-id', '613']),
      ServeProcess.start(['--layout', 'overt', '--hid-type', 'fixed', '--hid', '0242ac110002'], { FLAKERY_AUTH_TOKEN: TOKEN }),
    ] as const);
    // Kept even when another failed, so `after` stops what did start.
    if (started[0].status === 'fulfilled') browser = started[0].value;
    if (started[1].status === 'fulfilled') open_ = started[1].value;
    if (started[2].status === 'fulfilled') guarded = started[2].value;
    for (const result of started) if (result.status === 'rejected') throw result.reason;
  });
  after(async () => {
    await browser?.close();
    await Promise.all([open_?.stop(), guarded?.stop()]);
  });

  it('GIVEN no token THEN it shows the node, generates IDs, decodes them as `flakery decode` does, and the live chart counts them', async () => {
    const { context, page, errors, outside } = await open(browser, open_.httpBase);
    try {
      await page.locator('#node-facts dd[data-field="workerId"]').waitFor();
      assert.equal(await page.locator('#node-facts dd[data-field="workerId"]').textContent(), '613');
      assert.match((await page.locator('#node-facts dd[data-field="layout"]').textContent())!, /^snowflake \(64-bit\)$/);
      assert.equal(await page.locator('#node-facts dd[data-field="health"]').textContent(), 'ok');
      assert.equal(await page.locator('#decode-layout').inputValue(), 'snowflake', 'the layout is preset to the node’s');
      await page.locator('#chart-ids[data-total]').waitFor();
      const before = Number(await page.locator('#chart-ids').getAttribute('data-total'));

      await page.getByLabel('Count').fill('4');
      await page.getByRole('button', { name: 'Generate' }).click();
      await page.getByText('4 IDs').waitFor();
      const ids = (await page.locator('#generate-output').inputValue()).split('\n');
      assert.equal(ids.length, 4);
      // The chart's window now holds the 4 IDs: it advanced with the server's own numbers.
      await page.waitForFunction(
        (least) => Number((globalThis as any).document.getElementById('chart-ids').dataset.total) >= least,
        before + 4,
      );

      await page.getByLabel('IDs, one per line (decimal, hex or UUID)').fill(`${ids[0]}\n${OVERT_ID}`);
      await page.getByRole('button', { name: 'Decode' }).click();
      const snowflake = await shownFields(page, 0);
      const expected = await cliDecode(ids[0]!, ['--layout', 'snowflake']);
      for (const [field, value] of Object.entries(expected)) assert.equal(snowflake[field], value, field);
      assert.equal(snowflake.utc, expected.time);
      assert.match(snowflake.age!, / ago$/);
      assert.match(await page.locator('#decode-results > li').nth(1).textContent() ?? '', /snowflake|64|bits|too/i, 'an overt ID is not a snowflake');

      await page.locator('#decode-layout').selectOption('overt');
      await page.locator('#decode-epoch').fill('overtone');
      await page.getByRole('button', { name: 'Decode' }).click();
      const overt = await shownFields(page, 1);
      const overtExpected = await cliDecode(OVERT_ID, ['--layout', 'overt']);
      for (const [field, value] of Object.entries(overtExpected)) assert.equal(overt[field], value, field);
      const misread = page.locator('#decode-results > li').nth(0);
      assert.match((await misread.locator('.warning').textContent())!, /the epoch itself/, 'a snowflake read as overt is implausible');

      await saveScreenshot(page);
      // With the decoded IDs (long ones too) on it:
      await page.setViewportSize({ width: 360, height: 740 });
      const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
      assert.equal(overflow, 0, 'nothing wider than a phone’s screen');
      const background = () => page.evaluate('getComputedStyle(document.body).backgroundColor');
      const light = await background();
      await page.emulateMedia({ colorScheme: 'dark' });
      assert.notEqual(await background(), light, 'a dark theme for a dark system');
      assert.deepEqual(outside, [], 'no request leaves the server');
      assert.deepEqual(errors, [], 'no console error');
    } finally {
      await context.close();
    }
  });

  it('GIVEN a token THEN nothing shows until it is given, a wrong one is refused, the right one opens the page', async () => {
    const { context, page, errors, outside } = await open(browser, guarded.httpBase);
    try {
      await page.getByText('This server needs its token to show anything.').waitFor();
      assert.equal(await page.locator('#panels').isHidden(), true);
      assert.equal(await page.locator('#node-facts').innerHTML(), '', 'no node facts without the token');

      await page.getByLabel('Bearer token').fill('not-the-token');
      await page.getByRole('button', { name: 'Connect' }).click();
      await page.getByText('The server refused this token. Try again.').waitFor();
      assert.equal(await page.locator('#panels').isHidden(), true);

      await page.getByLabel('Bearer token').fill(TOKEN);
      await page.keyboard.press('Enter');
      await page.locator('#node-facts dd[data-field="hardwareId"]').waitFor();
      assert.equal(await page.locator('#node-facts dd[data-field="hardwareId"]').textContent(), '0242ac110002');
      assert.equal(await page.locator('#decode-layout').inputValue(), 'overt');
      await page.getByRole('button', { name: 'Generate' }).click();
      await page.getByText('5 IDs').waitFor();

      const unlabelled = await page.locator('input, select, textarea').evaluateAll((controls) =>
        controls.filter((control) => (control as unknown as { labels: { length: number } }).labels.length === 0).map((control) => control.id),
      );
      assert.deepEqual(unlabelled, [], 'every control has a label');

      assert.deepEqual(outside, []);
      const unexpected = errors.filter((text) => !REFUSED_401.test(text));
      assert.deepEqual(unexpected, [], 'no console error but the refusals themselves');
      assert.equal(errors.length, 2, 'the first look and the wrong token were refused; nothing else');
    } finally {
      await context.close();
    }
  });

  it('GIVEN a token THEN /v1/node and /v1/stats need it; the page itself is open and carries its CSP', async () => {
    for (const path of ['/v1/node', '/v1/stats']) {
      assert.equal((await fetch(`${guarded.httpBase}${path}`)).status, 401, path);
      assert.equal((await fetch(`${guarded.httpBase}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 200, path);
    }
    const page = await fetch(`${guarded.httpBase}/inspect`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy')!, /^default-src 'self'/);
    assert.doesNotMatch(await page.text(), /0242ac110002|overt/, 'the page holds nothing about the node');
  });
});

describe('flakery serve --http --no-inspector', () => {
  it('serves no page and no /v1/node, /v1/stats; the API stays', async () => {
    const server = await ServeProcess.start(['--layout', 'snowflake', '--machine-id', '614', '--no-inspector']);
    try {
      for (const path of ['/', '/inspect', '/inspector/inspector.js', '/v1/node', '/v1/stats']) {
        assert.equal((await fetch(`${server.httpBase}${path}`)).status, 404, path);
      }
      assert.equal((await fetch(`${server.httpBase}/v1/ids`)).status, 200);
    } finally {
      await server.stop();
    }
  });
});

/**
 * docs/inspector.png, shown in the README. Its times and IDs differ on every run, so the run
 * writes it to build/ and replaces the committed one only when asked: FLAKERY_SCREENSHOT=update.
 */
async function saveScreenshot(page: Page): Promise<void> {
  const shot = await page.screenshot({ fullPage: true });
  mkdirSync(join(repoRoot, 'build'), { recursive: true });
  writeFileSync(join(repoRoot, 'build', 'inspector.png'), shot);
  const committed = join(repoRoot, 'docs', 'inspector.png');
  const hash = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  if (process.env.FLAKERY_SCREENSHOT === 'update' || !existsSync(committed)) {
    if (!existsSync(committed) || hash(readFileSync(committed)) !== hash(shot)) writeFileSync(committed, shot);
  }
}
