// `street init`: the store of a real street. The street's name, district and city come from the
// national division table, its outline from the bundled outlines where one exists; it holds one
// 系统管理员 account with a random one-time password (changed at the first login) and nothing else:
// no demo data, no known password. An existing file is never touched.

import crypto from 'node:crypto';
import fs from 'node:fs';
import { v7 as uuidv7 } from 'uuid';
import { lookupStreet } from '../../../shared/geo/divisions';
import { geometryAreaM2, geometryBBox, labelPoint, type AreaGeometry } from '../../../shared/geo/geometry';
import { openStore } from '../../db/store';
import { AppError } from '../core/errors';
import { setSetting } from '../core/settings';
import { hashPassword } from '../auth/passwords';
import { USERNAME_PATTERN } from '../../../shared/domain/accounts';
import { appendAudit } from '../audit/auditLog';
import { bundledOutline } from './outlines';

/** Where a street without a bundled outline is placed until its grids are imported (郑州市 centre). */
const CITY_CENTER: [number, number] = [113.6254, 34.7466];

export interface InitOptions {
  street: string;
  admin: string;
  now?: number;
  /** For tests: an outline file other than the bundled one. */
  outlinesFile?: string;
}

export interface InitResult {
  username: string;
  password: string;
  street: { code: string; name: string; district: string; city: string; outline: boolean };
}

/** A random one-time password: 16 characters from an alphabet without look-alikes. */
export function oneTimePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = crypto.randomBytes(16);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

export async function initRealStreet(file: string, opts: InitOptions): Promise<InitResult> {
  if (fs.existsSync(file) || fs.existsSync(`${file}-wal`))
    throw new AppError('storeExists', `数据库文件已存在：${file}。为防止覆盖已有数据，请换一个文件名`, { detail: `refusing to init over existing ${file}` });
  const div = lookupStreet(opts.street);
  if (!div)
    throw new AppError('unknownStreet', `未知的街道编码“${opts.street}”：请填写国家统计局区划代码表中的街道/镇编码（9位或12位，例如 410105001）`, {
      detail: `street code ${opts.street} not in the division table`,
    });
  const username = opts.admin.trim();
  if (!USERNAME_PATTERN.test(username))
    throw new AppError('badUsername', '管理员用户名须为 2–32 个字母、数字、点、横线或下划线', { detail: `bad admin username ${opts.admin}` });
  const now = opts.now ?? Date.now();
  const outline: AreaGeometry | null = bundledOutline(div.code, opts.outlinesFile);
  const center = outline ? labelPoint(outline) : CITY_CENTER;
  const password = oneTimePassword();
  const store = await openStore(file);
  try {
    await store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('street')
        .values({
          id: uuidv7(), code: div.code, name: div.name, district: div.district, city: div.city,
          center_lon: center[0], center_lat: center[1],
          area_km2: outline ? Math.round(geometryAreaM2(outline) / 1e4) / 100 : null, population: null,
        })
        .execute();
      if (outline) {
        const b = geometryBBox(outline);
        // The street as its level-1 grid: the map shows it, and the street's own grid file (whose
        // level-1 grid has the same code) replaces it when imported.
        await trx
          .insertInto('grids')
          .values({
            id: uuidv7(), code: div.code, name: div.name, level: '1', parent_id: null, polygon: JSON.stringify(outline),
            min_lon: b[0], min_lat: b[1], max_lon: b[2], max_lat: b[3], households: null, population: null,
            area_m2: Math.round(geometryAreaM2(outline)), props: JSON.stringify({ source: 'bundled outline' }),
          })
          .execute();
      }
      const adminId = uuidv7();
      await trx
        .insertInto('users')
        .values({
          id: adminId, username, display_name: '系统管理员', role: 'admin', unit_id: null, staff_id: null,
          password_hash: await hashPassword(password), active: 1, created_at: now, must_change_password: 1,
          password_changed_at: null, deactivated_at: null,
        })
        .execute();
      await setSetting(trx, 'demo', false);
      await setSetting(trx, 'runMode', 'daily');
      await setSetting(trx, 'street.codePrefix', 'GD');
      await setSetting(trx, 'setup.pending', true);
      await appendAudit(trx, now, {
        actor: { id: null, name: '命令行', role: 'system' },
        action: 'street.init',
        target: div.code,
        detail: { street: div.name, district: div.district, admin: username, outline: !!outline },
      });
    });
  } finally {
    await store.close();
  }
  return { username, password, street: { code: div.code, name: div.name, district: div.district, city: div.city, outline: !!outline } };
}
