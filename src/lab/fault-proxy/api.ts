import type http from 'node:http';
import { HttpError, readJson, sendError, sendJson } from '../http';
import type { ProxyCollection } from './collection';

// The HTTP API of the fault proxy, route for route Toxiproxy's (api.go):
// /proxies, /proxies/{proxy}, /proxies/{proxy}/toxics[/{toxic}], /populate,
// /reset, /version. Errors are `{"error": "...", "status": N}` as there.

/** The version this API reports; clients that check for 2.x accept it. */
export const TOXIPROXY_API_VERSION = '2.12.0';

/** Handles a request if it is a Toxiproxy route; returns false otherwise. */
export async function handleToxiproxyApi(collection: ProxyCollection, request: http.IncomingMessage, response: http.ServerResponse): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const method = request.method ?? 'GET';
  const route = parts[0];
  if (route !== 'proxies' && route !== 'populate' && route !== 'reset' && route !== 'version') return false;
  try {
    if (route === 'version' && method === 'GET') {
      sendJson(response, 200, { version: TOXIPROXY_API_VERSION });
    } else if (route === 'reset' && method === 'POST') {
      await collection.reset();
      noContent(response);
    } else if (route === 'populate' && method === 'POST') {
      const body = await readJson(request);
      const list = Array.isArray(body) ? body : (body as { proxies?: unknown }).proxies;
      if (!Array.isArray(list)) throw new HttpError(400, 'expected a list of proxies');
      const proxies = await collection.populate(list as Record<string, unknown>[]);
      sendJson(response, 201, { proxies: proxies.map((p) => p.view()) });
    } else if (route === 'proxies') {
      await proxies(collection, parts.slice(1), method, request, response);
    } else {
      throw new HttpError(405, 'method not allowed');
    }
  } catch (error) {
    sendError(response, error);
  }
  return true;
}

async function proxies(collection: ProxyCollection, parts: string[], method: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const [proxyName, sub, toxicName] = parts;
  if (proxyName === undefined) {
    if (method === 'GET') return sendJson(response, 200, collection.views());
    if (method === 'POST') {
      const proxy = await collection.create((await readJson(request)) as Record<string, unknown>);
      return sendJson(response, 201, proxy.view());
    }
    throw new HttpError(405, 'method not allowed');
  }
  if (sub === undefined) {
    if (method === 'GET') return sendJson(response, 200, collection.get(proxyName).view());
    if (method === 'POST' || method === 'PATCH') {
      const proxy = await collection.update(proxyName, (await readJson(request)) as Record<string, unknown>);
      return sendJson(response, 200, proxy.view());
    }
    if (method === 'DELETE') {
      await collection.remove(proxyName);
      return noContent(response);
    }
    throw new HttpError(405, 'method not allowed');
  }
  if (sub !== 'toxics') throw new HttpError(404, 'not found');
  if (toxicName === undefined) {
    if (method === 'GET') return sendJson(response, 200, collection.get(proxyName).toxics);
    if (method === 'POST') return sendJson(response, 200, collection.addToxic(proxyName, await readJson(request)));
    throw new HttpError(405, 'method not allowed');
  }
  if (method === 'GET') return sendJson(response, 200, collection.getToxic(proxyName, toxicName));
  if (method === 'POST' || method === 'PATCH') return sendJson(response, 200, collection.updateToxic(proxyName, toxicName, await readJson(request)));
  if (method === 'DELETE') {
    collection.removeToxic(proxyName, toxicName);
    return noContent(response);
  }
  throw new HttpError(405, 'method not allowed');
}

function noContent(response: http.ServerResponse): void {
  response.writeHead(204);
  response.end();
}
