import { describeCases, safe, vulnerable } from './rule-cases.ts';

// A private key is a PEM header with key material after it. Libraries that read keys keep the
// header alone as a constant (found in `cryptography`'s ssh.py): that is no leak. The headers are
// split here so that Nyx analysing this repository does not report its own test.
const RULE = 'nyx/secrets/private-key';
const HEADER = '-----BEGIN ' + 'RSA PRIVATE KEY-----';
const OPENSSH = '-----BEGIN ' + 'OPENSSH PRIVATE KEY-----';
// Not a key: base64 of a sentence, long enough to look like one.
const BODY = Buffer.from('nyx test material, not a key, only shaped like one for the scanner to see').toString('base64');

describe('private keys: the header alone is not a key', () => {
  describeCases([
    vulnerable('a PEM file', 'deploy/id_rsa.pem', `${HEADER}\n${BODY.slice(0, 64)}\n${BODY.slice(64)}\n-----END RSA PRIVATE KEY-----\n`, RULE),
    vulnerable('a legacy encrypted PEM with its header lines', 'keys/legacy.pem', `${HEADER}\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,0123456789ABCDEF\n\n${BODY}\n`, RULE),
    vulnerable('a JavaScript string with escaped line breaks', 'src/key.js', `const key = "${HEADER}\\n${BODY}\\n-----END RSA PRIVATE KEY-----";\n`, RULE),
    vulnerable('concatenated Python bytes', 'app/key.py', `KEY = (\n    b"${OPENSSH}\\n"\n    b"${BODY}\\n"\n)\n`, RULE),
    safe('a parser constant holding the header', 'app/ssh.py', `_SK_START = b"${OPENSSH}"\n_SK_END = b"-----END OPENSSH PRIVATE KEY-----"\n`, RULE),
    safe('a check on the header', 'src/pem.ts', `export const isKey = (pem: string) => pem.startsWith('${HEADER}');\nexport const kind = 'rsa';\n`, RULE),
    safe('docs naming the header', 'docs/keys.md', `A key file starts with \`${HEADER}\` and ends with the matching END line.\n`, RULE),
  ]);
});
