// A tiny typed publish/subscribe used to tell connected screens that something changed.

export class EventBus<E> {
  private listeners = new Set<(e: E) => void>();
  subscribe(fn: (e: E) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  publish(e: E): void {
    for (const fn of this.listeners) {
      try {
        fn(e);
      } catch {
        // a broken listener must not stop the others
      }
    }
  }
}
