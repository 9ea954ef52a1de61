// Desktop notifications in the Electron shell: the renderer asks through the preload bridge
// (window.chengyun.notify) and the main process shows Electron's `Notification` (the OS's own,
// silent: the renderer plays the alert's sound itself). What arrives over IPC is checked here
// first — a page is not trusted to send well-formed requests; a click goes back as the `href`.

export interface NotifyRequest {
  title: string;
  body: string;
  /** Where a click goes in the app (a hash path such as /tickets/<id>). */
  href: string;
}

const str = (v: unknown, max: number): string | null => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : null);

/** The request, or null when it is not one (wrong types, too long, an href outside the app). */
export function parseNotifyRequest(x: unknown): NotifyRequest | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as Record<string, unknown>;
  const title = str(o.title, 200);
  const body = typeof o.body === 'string' && o.body.length <= 500 ? o.body : null;
  const href = str(o.href, 300);
  if (!title || body == null || !href || !/^\/(?!\/)[A-Za-z0-9/_\-?=&.,%]*$/.test(href)) return null;
  return { title, body, href };
}
