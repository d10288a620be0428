// A small driver for Debian's headless Chromium over the DevTools protocol (CDP), enough for the
// console's browser test: open a page, evaluate script, type, press keys, click, screenshot.
// No puppeteer or playwright: Chromium speaks CDP over a pipe (--remote-debugging-pipe: it
// reads JSON commands from fd 3 and writes answers and events to fd 4, each message ended by a
// NUL byte), which needs no port and no WebSocket client.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

type Params = Record<string, unknown>;
interface Message {
  id?: number;
  method?: string;
  params?: any;
  result?: any;
  error?: { message: string };
  sessionId?: string;
}

export class Browser {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void; method: string }>();
  private readonly listeners = new Set<(m: Message) => void>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const input = child.stdio[4] as Readable;
    let buffer = '';
    input.setEncoding('utf8');
    input.on('data', (chunk: string) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(buffer.slice(0, end)) as Message;
        buffer = buffer.slice(end + 1);
        if (message.id !== undefined) {
          const waiter = this.pending.get(message.id);
          this.pending.delete(message.id);
          if (message.error) waiter?.reject(new Error(`${waiter.method}: ${message.error.message}`));
          else waiter?.resolve(message.result);
        } else {
          for (const listener of this.listeners) listener(message);
        }
      }
    });
    child.on('exit', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`chromium exited during ${waiter.method}`));
      this.pending.clear();
    });
  }

  static async launch(): Promise<Browser> {
    const profile = mkdtempSync(path.join(tmpdir(), 'vf-chromium-'));
    const child = spawn(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        '--remote-debugging-pipe',
        `--user-data-dir=${profile}`,
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    const browser = new Browser(child, profile);
    const started = await Promise.race([
      browser.send('Browser.getVersion').then(() => true),
      new Promise<false>((resolve) => child.once('exit', () => resolve(false))),
    ]);
    if (!started) throw new Error(`chromium did not start: ${stderr}`);
    return browser;
  }

  send(method: string, params: Params = {}, sessionId?: string): Promise<any> {
    const id = this.nextId++;
    const out = this.child.stdio[3] as Writable;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      out.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    });
  }

  on(listener: (m: Message) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async newPage(width = 1280, height = 900): Promise<Page> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const page = new Page(this, sessionId);
    await page.send('Page.enable');
    await page.send('Runtime.enable');
    await page.send('Log.enable');
    await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    return page;
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      await this.send('Browser.close').catch(() => undefined);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    // The extra pipes are ours to close; left open they keep Jest's process alive.
    for (const stream of this.child.stdio) stream?.destroy();
    rmSync(this.profile, { recursive: true, force: true });
  }
}

export class Page {
  /** Uncaught exceptions, console errors and browser log errors (CSP violations among them). */
  readonly errors: string[] = [];

  constructor(
    private readonly browser: Browser,
    private readonly sessionId: string,
  ) {
    browser.on((m) => {
      if (m.sessionId !== sessionId) return;
      if (m.method === 'Runtime.exceptionThrown')
        this.errors.push(`exception: ${m.params.exceptionDetails.exception?.description ?? m.params.exceptionDetails.text}`);
      if (m.method === 'Runtime.consoleAPICalled' && m.params.type === 'error')
        this.errors.push(`console.error: ${m.params.args.map((a: any) => a.value ?? a.description).join(' ')}`);
      if (m.method === 'Log.entryAdded' && m.params.entry.level === 'error')
        this.errors.push(`${m.params.entry.source}: ${m.params.entry.text}`);
    });
  }

  send(method: string, params: Params = {}): Promise<any> {
    return this.browser.send(method, params, this.sessionId);
  }

  async goto(url: string): Promise<void> {
    await this.send('Page.navigate', { url });
  }

  /** The value of a JavaScript expression in the page (promises awaited). */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const r = await this.send('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(`in page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
    return r.result.value as T;
  }

  /** Waits until `expression` is truthy in the page; its value. */
  async waitFor<T = unknown>(expression: string, what = expression, timeoutMs = 30_000): Promise<T> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.evaluate<T>(expression).catch(() => undefined);
      if (value) return value;
      if (Date.now() > until) {
        const seen = await this.evaluate<string>(
          `location.href + ' | ' + document.body.innerText.replace(/\\s+/g, ' ').slice(0, 600)`,
        ).catch((e) => String(e));
        throw new Error(`timed out waiting for ${what}; page errors: ${this.errors.join(' | ') || 'none'}; page: ${seen}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Focuses `selector` and types `text` as keyboard input. */
  async type(selector: string, text: string): Promise<void> {
    await this.evaluate(`document.querySelector(${JSON.stringify(selector)}).focus()`);
    await this.send('Input.insertText', { text });
  }

  async press(key: 'Enter' | 'Tab' | ' '): Promise<void> {
    const code = { Enter: ['Enter', 13, '\r'], Tab: ['Tab', 9, ''], ' ': ['Space', 32, ' '] }[key] as [string, number, string];
    const common = { key, code: code[0], windowsVirtualKeyCode: code[1] };
    await this.send('Input.dispatchKeyEvent', { type: 'keyDown', ...common, ...(code[2] ? { text: code[2] } : {}) });
    await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...common });
  }

  /** A real mouse click in the middle of the first element matching `selector`. */
  async click(selector: string): Promise<void> {
    const box = await this.waitFor<{ x: number; y: number }>(
      `(() => { const el = document.querySelector(${JSON.stringify(selector)});
      if (!el || el.disabled) return null; el.scrollIntoView({ block: 'center' }); const r = el.getBoundingClientRect();
      return r.width > 0 ? { x: r.x + r.width / 2, y: r.y + r.height / 2 } : null; })()`,
      `${selector} to be clickable`,
    );
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, x: box.x, y: box.y, button: 'left', clickCount: 1 });
    }
  }

  async screenshot(file: string): Promise<void> {
    const { data } = await this.send('Page.captureScreenshot', { format: 'png' });
    writeFileSync(file, Buffer.from(data as string, 'base64'));
  }
}
