import type { SgNode } from '@ast-grep/napi';
import { callsTo } from './ast-helpers.ts';
import { findingAt, isAboutPasswords, type RawFinding } from './raw-finding.ts';
import { FUNCTION_KINDS, goAliases, goImports, keywordArgument, positional, pythonImports, qualifyPython, resolveString, type Family } from './rule-support.ts';

/**
 * Weak ciphers and modes (CWE-327) and weak hashes (CWE-328). A weak hash whose call or function
 * mentions a password is reported once, as nyx/dangerous/weak-password-hash (it also needs a
 * salt and a slow KDF); every other MD2/MD4/MD5/SHA-1 use is nyx/crypto/weak-hash.
 */

const WEAK_CIPHER = 'nyx/crypto/weak-cipher';
const WEAK_HASH = 'nyx/crypto/weak-hash';
const WEAK_PASSWORD_HASH = 'nyx/dangerous/weak-password-hash';

/** JCA transformation names: a weak algorithm, or a block cipher in ECB (a bare "AES" defaults to ECB). */
function weakJavaTransformation(value: string): string | undefined {
  const [algorithm = '', mode] = value.trim().split('/');
  if (/^(?:DES|DESede|TripleDES|3DES|RC2|RC4|ARCFOUR|Blowfish|RC5)$/i.test(algorithm)) return `${algorithm} is a broken or 64-bit-block cipher`;
  if (/^(?:RSA|EC|ECIES)$/i.test(algorithm)) return undefined; // "RSA/ECB/..." names no block mode
  if (mode === undefined && /^AES(?:_\d+)?$/i.test(algorithm)) return `"${value}" defaults to ECB mode, which leaks patterns of the plaintext`;
  if (mode && /^ECB$/i.test(mode)) return 'ECB mode leaks patterns of the plaintext';
  return undefined;
}

/** OpenSSL cipher names as Node accepts them. */
function weakNodeCipher(value: string): string | undefined {
  const name = value.toLowerCase();
  if (/^(?:des|des3|des-.*|des-ede.*|rc2.*|rc4.*|bf|bf-.*|blowfish|cast.*|idea.*)$/.test(name)) return `${value} is a broken or 64-bit-block cipher`;
  if (/-ecb$|^id-aes\d+-ecb$/.test(name)) return 'ECB mode leaks patterns of the plaintext';
  return undefined;
}

const WEAK_HASH_NAME = /^(?:md2|md4|md5|sha-?1|sha|rsa-md5|rsa-sha1|ripemd|ripemd160)$/i;

function hashFinding(call: SgNode, family: Family, what: string): RawFinding {
  if (isAboutPasswords(call, FUNCTION_KINDS[family])) {
    return findingAt(call, WEAK_PASSWORD_HASH, `${what} is too weak to hash passwords; use a salted slow hash (bcrypt, scrypt, Argon2 or PBKDF2).`);
  }
  return findingAt(call, WEAK_HASH, `${what} is a broken hash (collisions are practical); use SHA-256 or better.`);
}

function java(root: SgNode, text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  if (text.includes('getInstance')) {
    for (const call of root.findAll({ rule: { kind: 'method_invocation', has: { field: 'name', regex: '^getInstance$' } } })) {
      const owner = call.field('object')?.text() ?? '';
      const value = resolveString(positional(call)[0], 'java', root);
      if (value === undefined) continue;
      if (/^(?:javax\.crypto\.)?Cipher$/.test(owner)) {
        const why = weakJavaTransformation(value);
        if (why) findings.push(findingAt(call, WEAK_CIPHER, `Cipher "${value}": ${why}. Use AES/GCM/NoPadding.`));
      } else if (/^(?:java\.security\.)?MessageDigest$/.test(owner) && WEAK_HASH_NAME.test(value)) {
        findings.push(hashFinding(call, 'java', `MessageDigest "${value}"`));
      }
    }
  }
  if (/DigestUtils|Hashing\./.test(text)) {
    for (const call of root.findAll({ rule: { kind: 'method_invocation', has: { field: 'name', regex: '^(?:md2|md5|sha1?|md2Hex|md5Hex|sha1?Hex|getMd5Digest|getSha1Digest|getMd2Digest)$' } } })) {
      const owner = call.field('object')?.text() ?? '';
      if (/(?:^|\.)(?:DigestUtils|Hashing)$/.test(owner)) findings.push(hashFinding(call, 'java', `${owner.split('.').at(-1)}.${call.field('name')!.text()}`));
    }
  }
  return findings;
}

/** `const { createHash: h } = require('crypto')`, `import { createHash as h }`: the local names, as a regex alternation. */
function renamed(text: string, exported: string): string {
  const names = [...text.matchAll(new RegExp(`\\b${exported}\\s*(?::|\\s+as\\s)\\s*([\\w$]+)`, 'g'))].map((m) => m[1]!.replace(/\$/g, '\\$'));
  return names.length ? `|^(?:${names.join('|')})$` : '';
}

function js(root: SgNode, text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  if (/create(?:De)?cipher/i.test(text)) {
    for (const call of callsTo(root, 'call_expression', `(?:^|\\.)create(?:Cipher|Decipher)(?:iv)?$${renamed(text, 'create(?:Cipher|Decipher)(?:iv)?')}`)) {
      const value = resolveString(positional(call)[0], 'js', root);
      const why = value === undefined ? undefined : weakNodeCipher(value);
      if (why) findings.push(findingAt(call, WEAK_CIPHER, `Cipher '${value}': ${why}. Use aes-256-gcm.`));
    }
  }
  if (text.includes('CryptoJS')) {
    for (const call of callsTo(root, 'call_expression', '^CryptoJS\\.(?:DES|TripleDES|RC4|RC4Drop|Rabbit)\\.(?:en|de)crypt$')) {
      findings.push(findingAt(call, WEAK_CIPHER, `${call.field('function')!.text().split('.')[1]} is a weak cipher; use AES in GCM mode (e.g. WebCrypto or node:crypto aes-256-gcm).`));
    }
    for (const mode of root.findAll({ rule: { kind: 'member_expression', regex: '^CryptoJS\\.mode\\.ECB$' } })) {
      findings.push(findingAt(mode, WEAK_CIPHER, 'ECB mode leaks patterns of the plaintext; use an authenticated mode such as GCM.'));
    }
    for (const call of callsTo(root, 'call_expression', '^CryptoJS\\.(?:MD5|SHA1)$')) findings.push(hashFinding(call, 'js', call.field('function')!.text()));
  }
  if (/createHash|crypto\.hash\(/.test(text)) {
    for (const call of callsTo(root, 'call_expression', `(?:^|\\.)createHash$|^crypto\\.hash$${renamed(text, 'createHash')}`)) {
      const value = resolveString(positional(call)[0], 'js', root);
      if (value !== undefined && WEAK_HASH_NAME.test(value)) findings.push(hashFinding(call, 'js', `createHash('${value}')`));
    }
  }
  return findings;
}

const PY_WEAK_CIPHER_CALL = /^(?:Crypto(?:dome)?\.Cipher\.(?:DES|DES3|ARC2|ARC4|Blowfish|CAST)\.new|cryptography\.hazmat\.(?:primitives|decrepit)\.ciphers\.(?:algorithms\.)?(?:TripleDES|Blowfish|ARC4|CAST5|IDEA|SEED)|pyDes\.(?:des|triple_des))$/;
const PY_ECB = /^(?:cryptography\.hazmat\.primitives\.ciphers\.(?:modes\.)?ECB|Crypto(?:dome)?\.Cipher\.\w+\.MODE_ECB)$/;
const PY_WEAK_HASH_CALL = /^(?:hashlib\.(?:md5|sha1|md4)|Crypto(?:dome)?\.Hash\.(?:MD2|MD4|MD5|SHA1|SHA)\.new|cryptography\.hazmat\.primitives\.hashes\.(?:MD5|SHA1))$/;

function python(root: SgNode, text: string): RawFinding[] {
  if (!/Crypto|cryptography|pyDes|hashlib/.test(text)) return [];
  const imports = pythonImports(root);
  const findings: RawFinding[] = [];
  // Callees that can be a weak primitive: by their last name, or a local alias of a crypto import.
  const aliases = [...imports].filter(([, qualified]) => /^(?:hashlib|Crypto|Cryptodome|cryptography|pyDes)\b/.test(qualified)).map(([local]) => local);
  const callee = `(?:md5|sha1|md4|new|DES\\w*|ARC\\d|Blowfish|CAST5?|IDEA|SEED|ECB|MD\\d|SHA1?|des|triple_des|TripleDES)$${aliases.length ? `|^(?:${aliases.join('|')})(?:\\.|$)` : ''}`;
  for (const call of callsTo(root, 'call', callee)) {
    const callee = call.field('function')!.text();
    const qualified = qualifyPython(callee, imports);
    if (PY_WEAK_CIPHER_CALL.test(qualified)) {
      findings.push(findingAt(call, WEAK_CIPHER, `${callee} is a broken or 64-bit-block cipher; use AES-GCM (cryptography's AESGCM).`));
    } else if (PY_ECB.test(qualified)) {
      findings.push(findingAt(call, WEAK_CIPHER, 'ECB mode leaks patterns of the plaintext; use GCM (AESGCM) or another authenticated mode.'));
    } else if (/\.new$/.test(qualified) && /^Crypto(?:dome)?\.Cipher\./.test(qualified)) {
      // AES.new(key, AES.MODE_ECB): the mode is an argument.
      const mode = positional(call)[1] ?? keywordArgument(call, 'mode');
      if (mode && /(?:^|\.)MODE_ECB$/.test(mode.text())) findings.push(findingAt(call, WEAK_CIPHER, 'ECB mode leaks patterns of the plaintext; use MODE_GCM.'));
    } else if (PY_WEAK_HASH_CALL.test(qualified) || (qualified === 'hashlib.new' && WEAK_HASH_NAME.test(resolveString(positional(call)[0], 'python', root) ?? ''))) {
      // `usedforsecurity=False` (Python 3.9+) declares a non-security use: checksums, cache keys.
      if (keywordArgument(call, 'usedforsecurity')?.text() === 'False') continue;
      findings.push(hashFinding(call, 'python', qualified === 'hashlib.new' ? `hashlib.new(${positional(call)[0]!.text()})` : callee));
    }
  }
  return findings;
}

function go(root: SgNode, text: string): RawFinding[] {
  if (!/crypto\/|x\/crypto/.test(text)) return [];
  const imports = goImports(root);
  const findings: RawFinding[] = [];
  const ciphers = goAliases(imports, ['crypto/des', 'crypto/rc4', 'golang.org/x/crypto/blowfish', 'golang.org/x/crypto/cast5', 'golang.org/x/crypto/tea', 'golang.org/x/crypto/xtea']);
  if (ciphers) {
    for (const call of callsTo(root, 'call_expression', `^(?:${ciphers})\\.New\\w*Cipher$`)) {
      findings.push(findingAt(call, WEAK_CIPHER, `${call.field('function')!.text()} is a broken or 64-bit-block cipher; use crypto/aes with cipher.NewGCM.`));
    }
  }
  const hashes = goAliases(imports, ['crypto/md5', 'crypto/sha1', 'golang.org/x/crypto/md4', 'golang.org/x/crypto/ripemd160']);
  if (hashes) {
    for (const call of callsTo(root, 'call_expression', `^(?:${hashes})\\.(?:New|Sum)$`)) findings.push(hashFinding(call, 'go', call.field('function')!.text()));
  }
  return findings;
}

export const cryptoRules: Readonly<Record<Family, (root: SgNode, text: string) => RawFinding[]>> = { java, js, python, go };
