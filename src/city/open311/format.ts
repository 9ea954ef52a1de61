// GeoReport v2 documents in both formats: the JSON shape is the source, XML is derived from it with
// fast-xml-parser's XMLBuilder (escaping by the library). Lists become a wrapper element holding one
// element per item (attributes → attribute, values → value, …), as the spec's XML examples do.

import type http from 'node:http';
import { XMLBuilder } from 'fast-xml-parser';

export type Format = 'xml' | 'json';

const ITEM: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  errors: 'error',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
};

const builder = new XMLBuilder({ format: true, indentBy: '  ', processEntities: true, suppressEmptyNode: false });

// Characters XML 1.0 cannot carry at all (C0 controls other than tab/newline/return, U+FFFE/U+FFFF).
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function toXml(v: unknown, key: string): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.replace(NOT_XML, '');
  if (Array.isArray(v)) {
    const item = ITEM[key];
    if (!item) throw new Error(`open311 xml: no item element for list ${key}`);
    return { [item]: v.map((x) => toXml(x, item)) };
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toXml(x, k);
  return out;
}

/** The XML text of a document whose root is `root` and whose JSON form is `body`. */
export function xmlOf(root: string, body: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build({ [root]: toXml(body, root) }) as string}`;
}

export function send(res: http.ServerResponse, fmt: Format, status: number, root: string, body: unknown, headers: Record<string, string> = {}) {
  const text = fmt === 'xml' ? xmlOf(root, body) : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': fmt === 'xml' ? 'text/xml; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
    ...headers,
  });
  res.end(text);
}

export interface Open311ErrorItem {
  code: number;
  description: string;
}

/** A refusal in the spec's format: HTTP status plus one or more { code, description }. */
export class Open311Error extends Error {
  readonly errors: Open311ErrorItem[];
  /** `retryAfterS`: sent as Retry-After (rate limits). */
  constructor(readonly status: number, descriptions: string | string[], readonly retryAfterS?: number) {
    const list = Array.isArray(descriptions) ? descriptions : [descriptions];
    super(list.join('; '));
    this.errors = list.map((description) => ({ code: status, description }));
  }
}

export function sendErrors(res: http.ServerResponse, fmt: Format, status: number, errors: Open311ErrorItem[], headers: Record<string, string> = {}) {
  send(res, fmt, status, 'errors', errors, headers);
}
