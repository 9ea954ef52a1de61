// Date and date-time fields in the app's zh-CN format (YYYY-MM-DD, YYYY-MM-DD HH:mm) instead of the
// browser's native pickers, which follow the browser's locale (mm/dd/yyyy, 05:08 PM). Digits typed
// without separators are shaped as they come; the value reaches the page only when it is a real
// day (and time) within min/max, so a half-typed or impossible date changes nothing and shows red.
// Values keep the native inputs' forms: YYYY-MM-DD and YYYY-MM-DDTHH:mm.

import { useEffect, useState } from 'react';
import { dateTextOf, parseDateText, parseDateTimeText, shapeDateText } from '../../shared/domain/dateEntry';

export function DateInput({
  value,
  onChange,
  min,
  max,
  withTime = false,
  testId,
  id,
  ariaLabel,
}: {
  value: string;
  onChange: (value: string) => void;
  min?: string;
  max?: string;
  withTime?: boolean;
  testId?: string;
  id?: string;
  ariaLabel?: string;
}) {
  const [text, setText] = useState(dateTextOf(value));
  useEffect(() => setText(dateTextOf(value)), [value]);
  const parse = withTime ? parseDateTimeText : parseDateText;
  const valid = (t: string): string | null => {
    const v = parse(t);
    if (!v || (min && v < min) || (max && v > max)) return null;
    return v;
  };
  const bad = text !== '' && valid(text) == null;
  const complete = withTime ? 16 : 10;
  const format = withTime ? 'YYYY-MM-DD HH:mm' : 'YYYY-MM-DD';
  const problem = !bad
    ? undefined
    : text.length < complete
      ? `请按 ${format} 填写完整`
      : parse(text) == null
        ? '不是有效的日期/时间'
        : min && parse(text)! < min
          ? `不能早于 ${dateTextOf(min)}`
          : `不能晚于 ${dateTextOf(max ?? '')}`;
  return (
    <input
      type="text"
      id={id}
      inputMode="numeric"
      autoComplete="off"
      spellCheck={false}
      className={`date-text${withTime ? ' with-time' : ''}${bad ? ' invalid' : ''}`}
      placeholder={format}
      value={text}
      maxLength={complete}
      aria-label={ariaLabel}
      aria-invalid={bad || undefined}
      title={problem ?? `格式：${format}（可直接输入数字）`}
      data-testid={testId}
      onChange={(e) => {
        const shaped = shapeDateText(e.target.value, withTime);
        setText(shaped);
        if (shaped === '') onChange('');
        else if (shaped.length === complete) {
          const v = valid(shaped);
          if (v && v !== value) onChange(v);
        }
      }}
      onBlur={() => {
        // Left half-typed or invalid: back to the value in force (the field said why while typed).
        if (text !== '' && valid(text) == null) setText(dateTextOf(value));
      }}
    />
  );
}
