/** JavaScript/TypeScript cases for rules that need no data flow, as vulnerable/safe pairs. */
import { pair, type FixedGroup } from './model.ts';

export function jsFixed(ts: boolean): FixedGroup[] {
  const t = (annotation: string) => (ts ? annotation : '');
  const req = ts ? `import type { Request, Response } from 'express';\n` : '';
  const rr = `req${t(': Request')}, res${t(': Response')}`;
  const cipher = (algo: string, keyBytes: number, ivBytes: number) => `import crypto from 'node:crypto';

const key = crypto.scryptSync(process.env.DATA_KEY ?? '', 'salt-v1', ${keyBytes});

export function seal(plain${t(': string')})${t(': string')} {
  const iv = crypto.randomBytes(${ivBytes});
  const c = crypto.createCipheriv('${algo}', key, ${ivBytes ? 'iv' : 'null'});
  const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return Buffer.concat([iv, body]).toString('base64');
}
`;
  const gcm = cipher('aes-256-gcm', 32, 12).replace('c.final()]);', 'c.final(), c.getAuthTag()]);');
  return [
    {
      cwe: 'CWE-327',
      stem: 'cipher',
      cases: [
        ...pair('des', cipher('des-cbc', 8, 8), gcm),
        ...pair('3des', cipher('des-ede3-cbc', 24, 8), cipher('aes-256-cbc', 32, 16)),
        ...pair('ecb', cipher('aes-128-ecb', 16, 0), cipher('aes-128-ctr', 16, 16)),
        ...pair('rc4', cipher('rc4', 16, 0), cipher('chacha20-poly1305', 32, 12).replace('c.final()]);', 'c.final(), c.getAuthTag()]);')),
        ...pair('bf', cipher('bf-cbc', 16, 8), gcm.replace("'salt-v1'", "'salt-v2'")),
        ...pair(
          'config-default',
          `import crypto from 'node:crypto';

const ALGORITHM = process.env.FIELD_CIPHER || 'des-ede3';

export function encryptField(value${t(': string')}, secret${t(': Buffer')}) {
  const cipher = crypto.createCipheriv(ALGORITHM, secret, null);
  return cipher.update(value, 'utf8', 'hex') + cipher.final('hex');
}
`,
          `import crypto from 'node:crypto';

const ALGORITHM = process.env.FIELD_CIPHER || 'aes-256-gcm';

export function encryptField(value${t(': string')}, secret${t(': Buffer')}) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv(ALGORITHM, secret, iv);
  return iv.toString('hex') + cipher.update(value, 'utf8', 'hex') + cipher.final('hex');
}
`,
        ),
      ],
    },
    {
      cwe: 'CWE-328',
      stem: 'hash',
      cases: [
        ...pair(
          'pw-md5',
          `import { createHash } from 'node:crypto';

export function storedCredential(pw${t(': string')}, salt${t(': string')}) {
  return createHash('md5').update(salt + pw).digest('hex');
}
`,
          `import { scryptSync } from 'node:crypto';

export function storedCredential(pw${t(': string')}, salt${t(': string')}) {
  return scryptSync(pw, salt, 64).toString('hex');
}
`,
        ),
        ...pair(
          'sha1-token',
          `const crypto = require('crypto');

function signatureFor(body${t(': string')}, secret${t(': string')}) {
  const h = crypto.createHash('sha1');
  h.update(secret);
  h.update(body);
  return h.digest('base64');
}

module.exports = { signatureFor };
`,
          `const crypto = require('crypto');

function signatureFor(body${t(': string')}, secret${t(': string')}) {
  return crypto.createHmac('sha256', secret).update(body).digest('base64');
}

module.exports = { signatureFor };
`,
        ),
        ...pair(
          'algo-const',
          `import crypto from 'node:crypto';

const DIGEST = 'MD5';

export const fingerprint = (apiKey${t(': string')}) => crypto.createHash(DIGEST).update(apiKey).digest('hex');
`,
          `import crypto from 'node:crypto';

const DIGEST = 'SHA512';

export const fingerprint = (apiKey${t(': string')}) => crypto.createHash(DIGEST).update(apiKey).digest('hex');
`,
        ),
        ...pair(
          'npm-md5',
          `import md5 from 'md5';

export function resetCode(account${t(': { id: string; email: string }')}) {
  return md5(account.id + ':' + account.email + ':' + Date.now());
}
`,
          `import { randomBytes } from 'node:crypto';

export function resetCode(account${t(': { id: string; email: string }')}) {
  return account.id + '.' + randomBytes(24).toString('hex');
}
`,
        ),
        ...pair(
          'etag',
          `import crypto from 'node:crypto';
import fs from 'node:fs';

export function checksum(file${t(': string')}) {
  return crypto.createHash('sha1').update(fs.readFileSync(file)).digest('hex');
}
`,
          `import crypto from 'node:crypto';
import fs from 'node:fs';

export function checksum(file${t(': string')}) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
`,
        ),
      ],
    },
    {
      cwe: 'CWE-330',
      stem: 'random',
      cases: [
        ...pair(
          'session-id',
          `export function newSessionId()${t(': string')} {
  return Math.random().toString(36).slice(2) + Date.now().toString(36);
}
`,
          `import { randomUUID } from 'node:crypto';

export function newSessionId()${t(': string')} {
  return randomUUID() + Date.now().toString(36);
}
`,
        ),
        ...pair(
          'reset-token',
          `const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function passwordResetToken(length = 24) {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return out;
}

module.exports = { passwordResetToken };
`,
          `const { randomInt } = require('crypto');
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function passwordResetToken(length = 24) {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

module.exports = { passwordResetToken };
`,
        ),
        ...pair(
          'cookie-value',
          `${req}import express from 'express';

const app = express();
app.post('/login', (${rr}) => {
  const sid = String(Math.floor(Math.random() * 1e16));
  res.cookie('sid', sid, { httpOnly: true, secure: true });
  res.sendStatus(204);
});
export default app;
`,
          `${req}import express from 'express';
import crypto from 'node:crypto';

const app = express();
app.post('/login', (${rr}) => {
  const sid = crypto.randomBytes(16).toString('hex');
  res.cookie('sid', sid, { httpOnly: true, secure: true });
  res.sendStatus(204);
});
export default app;
`,
        ),
        ...pair(
          'otp',
          `export const oneTimeCode = () => String(Math.floor(100000 + Math.random() * 900000));
`,
          `import { webcrypto } from 'node:crypto';

export const oneTimeCode = () => String(100000 + (webcrypto.getRandomValues(new Uint32Array(1))[0] % 900000));
`,
        ),
        {
          vulnerable: false,
          text: `// Retry with jitter: the delay only spreads load, nobody gains by guessing it.
export async function withRetry${t('<T>')}(work${t(': () => Promise<T>')}, attempts = 5) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      const delay = 100 * 2 ** attempt + Math.random() * 50;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
`,
        },
        {
          vulnerable: false,
          text: `const COLORS = ['#e57373', '#64b5f6', '#81c784', '#ffd54f'];

export function avatarColor()${t(': string')} {
  return COLORS[Math.floor(Math.random() * COLORS.length)];
}
`,
        },
      ],
    },
    ...cookieGroups(ts, req, rr),
    ...secretAndCsrf(ts, t),
    {
      cwe: 'CWE-1333',
      stem: 'regex-literal',
      cases: [
        ...pair('email', `export const isEmail = (s${t(': string')}) => /^([a-zA-Z0-9]+\\.?)+@example\\.com$/.test(s);\n`, `export const isEmail = (s${t(': string')}) => /^[a-zA-Z0-9.]+@example\\.com$/.test(s);\n`),
        ...pair('words', `const WORDS = /^(\\w+\\s?)*$/;\n\nexport function looksLikeSentence(text${t(': string')}) {\n  return WORDS.test(text);\n}\n`, `const WORDS = /^[\\w\\s]*$/;\n\nexport function looksLikeSentence(text${t(': string')}) {\n  return WORDS.test(text);\n}\n`),
        ...pair('alt', `const pattern = new RegExp('^(a|aa)+$');\n\nexport function check(input${t(': string')}) {\n  return pattern.test(input);\n}\n`, `const pattern = new RegExp('^a+$');\n\nexport function check(input${t(': string')}) {\n  return pattern.test(input);\n}\n`),
      ],
    },
  ];
}

function cookieGroups(ts: boolean, req: string, rr: string): FixedGroup[] {
  const app = (options: string, extra = '') => `${req}import express from 'express';${extra}

const app = express();
app.post('/session', (${rr}) => {
  const token = String(req.headers['x-session-token'] ?? '');
  res.cookie('session', token, ${options});
  res.json({ ok: true });
});
export default app;
`;
  const sessionMw = (cookie: string) => `const session = require('express-session');
const express = require('express');

const app = express();
app.use(
  session({
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
    cookie: ${cookie},
  }),
);
module.exports = app;
`;
  const koa = (options: string) => `import Koa from 'koa';

const app = new Koa();
app.use(async (ctx${ts ? ': Koa.Context' : ''}) => {
  ctx.cookies.set('prefs', 'compact', ${options});
  ctx.body = 'ok';
});
export default app;
`;
  return [
    {
      cwe: 'CWE-614',
      stem: 'cookie-secure',
      cases: [
        ...pair('express', app(`{ httpOnly: true, maxAge: 3600_000 }`), app(`{ httpOnly: true, secure: true, maxAge: 3600_000 }`)),
        ...pair('session', sessionMw(`{ secure: false, httpOnly: true, sameSite: 'lax' }`), sessionMw(`{ secure: true, httpOnly: true, sameSite: 'lax' }`)),
        ...pair('koa', koa(`{ httpOnly: true, secure: false }`), koa(`{ httpOnly: true, secure: true }`)),
        ...pair('flags-object', app('COOKIE_FLAGS', '\n\nconst COOKIE_FLAGS = { httpOnly: true, sameSite: "strict" as const };'.replace(ts ? '' : ' as const', '')), app('COOKIE_FLAGS', '\n\nconst COOKIE_FLAGS = { httpOnly: true, secure: true, sameSite: "strict" as const };'.replace(ts ? '' : ' as const', ''))),
      ],
    },
    {
      cwe: 'CWE-1004',
      stem: 'cookie-httponly',
      cases: [
        ...pair('express', app(`{ secure: true, maxAge: 3600_000 }`), app(`{ secure: true, httpOnly: true, maxAge: 3600_000 }`)),
        ...pair('session', sessionMw(`{ secure: true, httpOnly: false }`), sessionMw(`{ secure: true, httpOnly: true }`)),
        ...pair('koa', koa(`{ secure: true, httpOnly: false }`), koa(`{ secure: true }`)),
        ...pair('flags-object', app('COOKIE_FLAGS', '\n\nconst COOKIE_FLAGS = { secure: true, sameSite: "strict" as const };'.replace(ts ? '' : ' as const', '')), app('COOKIE_FLAGS', '\n\nconst COOKIE_FLAGS = { secure: true, httpOnly: true, sameSite: "strict" as const };'.replace(ts ? '' : ' as const', ''))),
      ],
    },
  ];
}

function secretAndCsrf(ts: boolean, t: (a: string) => string): FixedGroup[] {
  const session = (secret: string, pre = '') => `import express from 'express';
import session from 'express-session';
${pre}
const app = express();
app.use(session({ secret: ${secret}, resave: false, saveUninitialized: false, cookie: { secure: true, httpOnly: true } }));
export default app;
`;
  const jwt = (secret: string) => `import jwt from 'jsonwebtoken';

${secret}

export function issue(userId${t(': string')}) {
  return jwt.sign({ sub: userId }, signingKey, { expiresIn: '1h' });
}
`;
  return [
    {
      cwe: 'CWE-798',
      stem: 'session-secret',
      cases: [
        ...pair('express-session', session(`'keyboard cat'`), session('process.env.SESSION_SECRET')),
        ...pair('const', session('SESSION_SECRET', `\nconst SESSION_SECRET = 'nyx-dev-secret-2024';\n`), session('SESSION_SECRET', `\nconst SESSION_SECRET = process.env.SESSION_SECRET ?? '';\nif (!SESSION_SECRET) throw new Error('SESSION_SECRET is required');\n`)),
        ...pair('jwt', jwt(`const signingKey = 'super-secret-signing-key';`), jwt(`const signingKey = fs.readFileSync('/run/secrets/jwt_key', 'utf8');`).replace(`import jwt from 'jsonwebtoken';`, `import jwt from 'jsonwebtoken';\nimport fs from 'node:fs';`)),
        ...pair(
          'cookie-parser',
          `const express = require('express');\nconst cookieParser = require('cookie-parser');\n\nconst app = express();\napp.use(cookieParser('s3cr3t-cookie-sign'));\nmodule.exports = app;\n`,
          `const express = require('express');\nconst cookieParser = require('cookie-parser');\n\nconst app = express();\napp.use(cookieParser(process.env.COOKIE_SECRET));\nmodule.exports = app;\n`,
        ),
      ],
    },
    {
      cwe: 'CWE-352',
      stem: 'csrf',
      cases: [
        ...pair(
          'lusca',
          `import express from 'express';\nimport lusca from 'lusca';\n\nconst app = express();\napp.use(lusca({ csrf: false, xframe: 'SAMEORIGIN', hsts: { maxAge: 31536000 } }));\nexport default app;\n`,
          `import express from 'express';\nimport lusca from 'lusca';\n\nconst app = express();\napp.use(lusca({ csrf: true, xframe: 'SAMEORIGIN', hsts: { maxAge: 31536000 } }));\nexport default app;\n`,
        ),
        ...pair(
          'csurf-ignore',
          `const express = require('express');\nconst csurf = require('csurf');\n\nconst app = express();\napp.use(csurf({ cookie: true, ignoreMethods: ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'DELETE'] }));\nmodule.exports = app;\n`,
          `const express = require('express');\nconst csurf = require('csurf');\n\nconst app = express();\napp.use(csurf({ cookie: true, ignoreMethods: ['GET', 'HEAD', 'OPTIONS'] }));\nmodule.exports = app;\n`,
        ),
      ],
    },
    {
      cwe: 'CWE-943',
      stem: 'nosql-operator',
      cases: [
        ...pair(
          'login',
          `${ts ? `import type { Request, Response } from 'express';\n` : ''}import express from 'express';
import { MongoClient } from 'mongodb';

const users = new MongoClient(process.env.MONGO_URL ?? '').db('app').collection('users');
const app = express();
app.use(express.json());
app.post('/login', async (req${t(': Request')}, res${t(': Response')}) => {
  const user = await users.findOne({ username: req.body.username, pin: req.body.pin });
  res.json({ ok: Boolean(user) });
});
export default app;
`,
          `${ts ? `import type { Request, Response } from 'express';\n` : ''}import express from 'express';
import { MongoClient } from 'mongodb';

const users = new MongoClient(process.env.MONGO_URL ?? '').db('app').collection('users');
const app = express();
app.use(express.json());
app.post('/login', async (req${t(': Request')}, res${t(': Response')}) => {
  const user = await users.findOne({ username: String(req.body.username), pin: String(req.body.pin) });
  res.json({ ok: Boolean(user) });
});
export default app;
`,
        ),
      ],
    },
  ];
}
