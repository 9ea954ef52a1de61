// 办结: the unit reports its result with after-photos.

import { useState } from 'react';
import { Field, FormError } from '../Form';
import { PhotoUploader, type UploadedPhoto } from '../Photos';
import { Buttons, type FormProps, submitOnCtrlEnter } from './parts';
import { ReplySuggestions } from '../ReplySuggestions';

export function ResolveForm({ detail, submit, busy, errors, onCancel }: FormProps) {
  const [result, setResult] = useState('');
  const [photos, setPhotos] = useState<UploadedPhoto[]>([]);
  const [uploading, setUploading] = useState(false);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit({ action: 'resolve', id: detail.ticket.id, result, photos: photos.map((p) => p.sha256) }, { shown: ['result', 'photos'] });
      }}
    >
      <ReplySuggestions ticketId={detail.ticket.id} onInsert={(text) => setResult((r) => (r.trim() ? `${r.trim()}\n${text}` : text))} />
      <Field label="办理结果" required error={errors.fields.result} wide hint="Ctrl+Enter 提交">
        <textarea
          rows={4}
          value={result}
          onChange={(e) => setResult(e.target.value)}
          onKeyDown={submitOnCtrlEnter}
          placeholder="如：已清理占道堆物，恢复通行"
          data-testid="input-result"
        />
      </Field>
      <Field label="处置后照片" error={errors.fields.photos} wide>
        <PhotoUploader value={photos} onChange={setPhotos} onBusy={setUploading} testId="after-photos" />
      </Field>
      <FormError state={errors} shown={['result', 'photos']} />
      <Buttons busy={busy || uploading} onCancel={onCancel} label={uploading ? '照片上传中…' : '确认办结'} />
    </form>
  );
}
