// Zod without its JIT in the renderer. Zod 4 compiles object parsers with `new Function` when it
// may; the app's Content-Security-Policy (script-src 'self', no 'unsafe-eval') forbids that, and
// even zod's probe for it would log a CSP violation. Zod reads this setting when each schema is
// built, so this module is the renderer entry's first import, before any schema module.
import { config } from 'zod/v4';

config({ jitless: true });
