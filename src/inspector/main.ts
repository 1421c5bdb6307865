// The inspector page's script (served at GET / by `flakery serve --http`): bundled with
// flakery/core by scripts/buildInspector.mjs. Nothing here is imported by the library.
import { Api, ApiError } from './api.js';
import { DecodePanel } from './decodePanel.js';
import { byId } from './dom.js';
import { GeneratePanel } from './generatePanel.js';
import { LivePanel } from './livePanel.js';
import { renderNode } from './nodePanel.js';
import type { NodeInfo, Stats } from './wire.js';

const api = new Api();
const authForm = byId<HTMLFormElement>('auth-form');
const authMessage = byId('auth-message');
const panels = byId('panels');
const status = byId('status');
const decode = new DecodePanel();
const live = new LivePanel();
const generate = new GeneratePanel(api, () => void refreshStats());
let polling = false;

authForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = byId<HTMLInputElement>('auth-token');
  api.setToken(input.value);
  input.value = '';
  void connect(true);
});

/** Loads the node's facts; on 401 asks for the token, and says so when the one given was wrong. */
async function connect(triedToken: boolean): Promise<void> {
  let info: NodeInfo;
  try {
    info = await api.json<NodeInfo>('/v1/node');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      api.forgetToken();
      panels.hidden = true;
      authForm.hidden = false;
      authMessage.textContent = triedToken ? 'The server refused this token. Try again.' : 'This server needs its token to show anything.';
      byId<HTMLInputElement>('auth-token').focus();
      return;
    }
    status.textContent = `Cannot reach the server: ${(error as Error).message}`;
    return;
  }
  authForm.hidden = true;
  panels.hidden = false;
  status.textContent = '';
  renderNode(info);
  decode.preset(info.layout, info.epochMs);
  generate.allowUuid(info.idBits === 128);
  if (!polling) {
    polling = true;
    void refreshStats();
    setInterval(() => void refreshStats(), 1000);
    setInterval(() => void refreshNode(), 5000);
  }
}

async function refreshStats(): Promise<void> {
  try {
    live.render(await api.json<Stats>('/v1/stats'));
  } catch (error) {
    status.textContent = `Live numbers unavailable: ${(error as Error).message}`;
  }
}

async function refreshNode(): Promise<void> {
  try {
    renderNode(await api.json<NodeInfo>('/v1/node'));
  } catch (error) {
    status.textContent = `Node facts unavailable: ${(error as Error).message}`;
  }
}

void connect(false);
