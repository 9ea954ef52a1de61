// A plain table: one header row, one body row (or more) per item, and an optional "empty" message.

import type { ReactElement, ReactNode } from 'react';
import { Empty } from './Form';

/**
 * Renders `<table><thead>…</thead><tbody>…</tbody></table>`. `children` renders one item: it
 * returns its own `<tr key=…>` (or a keyed component/fragment of rows). With `empty` given and no
 * rows, shows `<Empty>{empty}</Empty>` instead of the table.
 */
export function DataTable<T>({
  rows,
  headers,
  empty,
  className,
  testId,
  children,
}: {
  rows: readonly T[];
  headers: readonly ReactNode[];
  empty?: ReactNode;
  className?: string;
  testId?: string;
  children: (row: T, index: number) => ReactNode;
}): ReactElement {
  if (rows.length === 0 && empty !== undefined) return <Empty>{empty}</Empty>;
  return (
    <table className={className} data-testid={testId}>
      <thead>
        <tr>
          {headers.map((h, i) => (
            <th key={i}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>{rows.map((row, i) => children(row, i))}</tbody>
    </table>
  );
}
