// Password rules, checked in the UI as the user types and again by the node: at least 10
// characters, not the username (nor containing it), not one of the most common passwords, and not
// a single repeated character.

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/** The most used passwords (leaked-password lists), lower-case; anything in here is refused. */
const COMMON = new Set([
  '1234567890', '0123456789', '12345678910', '123456789a', 'a123456789', 'qwertyuiop', 'qwerty1234',
  '1q2w3e4r5t', '1qaz2wsx3edc', 'password123', 'password12', 'password1!', 'passw0rd123', 'iloveyou12',
  'admin12345', 'admin123456', 'administrator', 'abc1234567', 'abcd123456', 'abcdefghij', '1111111111',
  '0000000000', '5201314520', '1314520520', 'woaini1314', 'woaini5201314', 'aa123456789', 'qq123456789',
  'zxcvbnm123', 'asdfghjkl1', '987654321a', '9876543210', 'welcome123', 'demo123456', 'test123456',
  'changeme123', 'p@ssw0rd123', 'letmein1234', 'football12', 'princess12', 'sunshine12', 'chengyun123',
  '12345qwert', 'qwert12345', 'asdf123456', 'zxcv123456', '1234abcd!@', 'a1234567890',
]);

/** The Chinese reason a password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `密码至少${PASSWORD_MIN_LENGTH}个字符`;
  if (password.length > PASSWORD_MAX_LENGTH) return `密码不能超过${PASSWORD_MAX_LENGTH}个字符`;
  const lower = password.toLowerCase();
  const user = username.trim().toLowerCase();
  if (user && (lower === user || lower.includes(user))) return '密码不能包含用户名';
  if (COMMON.has(lower)) return '这是最常见的密码之一，请换一个';
  if (new Set(password).size <= 2) return '密码过于简单（字符重复），请换一个';
  return null;
}
