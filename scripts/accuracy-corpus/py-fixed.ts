/** Python cases for rules that need no data flow, as vulnerable/safe pairs. */
import { pair, type FixedGroup } from './model.ts';

const pycrypto = (cipher: string) => `import os

${cipher}


def seal(key: bytes, plain: bytes) -> bytes:
    box = make_cipher(key)
    return box.encrypt(pad(plain))


def pad(data: bytes) -> bytes:
    n = 16 - len(data) % 16
    return data + bytes([n]) * n
`;

const flaskCookie = (args: string) => `from flask import Flask, make_response, request

app = Flask(__name__)


@app.post('/login')
def login():
    token = request.headers.get('X-Session-Token', '')
    resp = make_response('ok')
    resp.set_cookie('session', token${args})
    return resp
`;

const djangoSettings = (lines: string) => `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEBUG = False
ALLOWED_HOSTS = ['app.example.com']
${lines}
MIDDLEWARE = [
    'django.middleware.security.SecurityMiddleware',
    'django.contrib.sessions.middleware.SessionMiddleware',
    'django.middleware.csrf.CsrfViewMiddleware',
    'django.contrib.auth.middleware.AuthenticationMiddleware',
]
`;

export function pyFixed(): FixedGroup[] {
  return [
    {
      cwe: 'CWE-327',
      stem: 'cipher',
      cases: [
        ...pair('des', pycrypto(`from Crypto.Cipher import DES\n\n\ndef make_cipher(key):\n    return DES.new(key[:8], DES.MODE_CBC, os.urandom(8))`), pycrypto(`from Crypto.Cipher import AES\n\n\ndef make_cipher(key):\n    return AES.new(key, AES.MODE_GCM, nonce=os.urandom(12))`)),
        ...pair('ecb', pycrypto(`from Crypto.Cipher import AES\n\n\ndef make_cipher(key):\n    return AES.new(key, AES.MODE_ECB)`), pycrypto(`from Crypto.Cipher import AES\n\n\ndef make_cipher(key):\n    return AES.new(key, AES.MODE_CBC, iv=os.urandom(16))`)),
        ...pair('arc4', pycrypto(`from Crypto.Cipher import ARC4\n\n\ndef make_cipher(key):\n    return ARC4.new(key)`), pycrypto(`from Crypto.Cipher import ChaCha20_Poly1305\n\n\ndef make_cipher(key):\n    return ChaCha20_Poly1305.new(key=key)`)),
        ...pair(
          'cryptography-3des',
          `from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\n\ndef encryptor(key: bytes, iv: bytes):\n    return Cipher(algorithms.TripleDES(key), modes.CBC(iv)).encryptor()\n`,
          `from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\n\ndef encryptor(key: bytes, iv: bytes):\n    return Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()\n`,
        ),
        ...pair(
          'cryptography-ecb',
          `from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\n\ndef encrypt_block(key: bytes, block: bytes) -> bytes:\n    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()\n    return enc.update(block) + enc.finalize()\n`,
          `import os\n\nfrom cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\n\ndef encrypt_block(key: bytes, block: bytes) -> bytes:\n    nonce = os.urandom(12)\n    return nonce + AESGCM(key).encrypt(nonce, block, None)\n`,
        ),
        ...pair(
          'blowfish-config',
          `import os\n\nfrom Crypto.Cipher import AES, Blowfish\n\nALGORITHMS = {'aes': AES, 'blowfish': Blowfish}\nCHOICE = os.environ.get('FIELD_CIPHER', 'blowfish')\n\n\ndef make(key: bytes):\n    module = ALGORITHMS[CHOICE]\n    return module.new(key, module.MODE_CBC)\n`,
          `import os\n\nfrom Crypto.Cipher import AES\n\nCHOICE = os.environ.get('FIELD_CIPHER', 'aes')\n\n\ndef make(key: bytes):\n    return AES.new(key, AES.MODE_GCM)\n`,
        ),
      ],
    },
    {
      cwe: 'CWE-328',
      stem: 'hash',
      cases: [
        ...pair('pw-md5', `import hashlib\n\n\ndef stored_credential(pw: str, salt: str) -> str:\n    return hashlib.md5((salt + pw).encode()).hexdigest()\n`, `import hashlib\n\n\ndef stored_credential(pw: str, salt: str) -> str:\n    return hashlib.scrypt(pw.encode(), salt=salt.encode(), n=2**14, r=8, p=1).hex()\n`),
        ...pair('sha1-sig', `import hashlib\n\n\ndef signature(body: bytes, secret: bytes) -> str:\n    h = hashlib.sha1()\n    h.update(secret)\n    h.update(body)\n    return h.hexdigest()\n`, `import hashlib\nimport hmac\n\n\ndef signature(body: bytes, secret: bytes) -> str:\n    return hmac.new(secret, body, hashlib.sha256).hexdigest()\n`),
        ...pair('new-md4', `import hashlib\n\n\ndef token_digest(api_key: str) -> str:\n    return hashlib.new('md4', api_key.encode()).hexdigest()\n`, `import hashlib\n\n\ndef token_digest(api_key: str) -> str:\n    return hashlib.new('sha512', api_key.encode()).hexdigest()\n`),
        ...pair('crypto-lib', `from Crypto.Hash import MD5\n\n\ndef reset_code(user_id: str, stamp: str) -> str:\n    return MD5.new((user_id + stamp).encode()).hexdigest()\n`, `from Crypto.Hash import SHA256\n\n\ndef reset_code(user_id: str, stamp: str) -> str:\n    return SHA256.new((user_id + stamp).encode()).hexdigest()\n`),
        ...pair('cache-key', `import hashlib\n\n\ndef cache_key(url: str) -> str:\n    return hashlib.md5(url.encode()).hexdigest()\n`, `import hashlib\n\n\ndef cache_key(url: str) -> str:\n    # Only a cache bucket, never a security decision.\n    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()\n`),
      ],
    },
    {
      cwe: 'CWE-330',
      stem: 'random',
      cases: [
        ...pair('session-id', `import random\nimport string\n\n\ndef new_session_id(length: int = 32) -> str:\n    return ''.join(random.choice(string.ascii_letters + string.digits) for _ in range(length))\n`, `import secrets\nimport string\n\n\ndef new_session_id(length: int = 32) -> str:\n    return ''.join(secrets.choice(string.ascii_letters + string.digits) for _ in range(length))\n`),
        ...pair('otp', `import random\n\n\ndef one_time_code() -> str:\n    return str(random.randint(100000, 999999))\n`, `import secrets\n\n\ndef one_time_code() -> str:\n    return str(100000 + secrets.randbelow(900000))\n`),
        ...pair('reset-token', `import random\n\n\ndef reset_token() -> str:\n    return '%032x' % random.getrandbits(128)\n`, `import secrets\n\n\ndef reset_token() -> str:\n    return secrets.token_hex(16)\n`),
        ...pair('api-key', `from random import SystemRandom, Random\n\n_rng = Random()\n\n\ndef api_key() -> str:\n    return ''.join(_rng.choice('abcdef0123456789') for _ in range(40))\n`, `from random import SystemRandom\n\n_rng = SystemRandom()\n\n\ndef api_key() -> str:\n    return ''.join(_rng.choice('abcdef0123456789') for _ in range(40))\n`),
        { vulnerable: false, text: `import random\nimport time\n\n\ndef backoff(attempt: int) -> None:\n    # Jitter only spreads retries; guessing it gains nothing.\n    time.sleep(min(30, 2 ** attempt) + random.uniform(0, 0.5))\n` },
        { vulnerable: false, text: `import random\n\n\ndef sample_for_report(rows: list, k: int = 100) -> list:\n    return random.sample(rows, min(k, len(rows)))\n` },
      ],
    },
    {
      cwe: 'CWE-614',
      stem: 'cookie-secure',
      cases: [
        ...pair('flask', flaskCookie(', httponly=True'), flaskCookie(', httponly=True, secure=True')),
        ...pair('flask-false', flaskCookie(', secure=False, httponly=True, samesite="Lax"'), flaskCookie(', secure=True, httponly=True, samesite="Lax"')),
        ...pair('django', djangoSettings(`SESSION_COOKIE_SECURE = False\nSESSION_COOKIE_HTTPONLY = True\nCSRF_COOKIE_SECURE = True`), djangoSettings(`SESSION_COOKIE_SECURE = True\nSESSION_COOKIE_HTTPONLY = True\nCSRF_COOKIE_SECURE = True`)),
        ...pair('flask-config', `from flask import Flask\n\napp = Flask(__name__)\napp.config.update(SESSION_COOKIE_SECURE=False, SESSION_COOKIE_HTTPONLY=True)\n`, `from flask import Flask\n\napp = Flask(__name__)\napp.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True)\n`),
      ],
    },
    {
      cwe: 'CWE-1004',
      stem: 'cookie-httponly',
      cases: [
        ...pair('flask', flaskCookie(', secure=True'), flaskCookie(', secure=True, httponly=True')),
        ...pair('flask-false', flaskCookie(', secure=True, httponly=False'), flaskCookie(', secure=True, httponly=True, samesite="Strict"')),
        ...pair('django', djangoSettings(`SESSION_COOKIE_SECURE = True\nSESSION_COOKIE_HTTPONLY = False`), djangoSettings(`SESSION_COOKIE_SECURE = True\nSESSION_COOKIE_HTTPONLY = True`)),
        ...pair('fastapi', `from fastapi import FastAPI, Response\n\napp = FastAPI()\n\n\n@app.post('/login')\ndef login(response: Response):\n    response.set_cookie(key='session', value='pending', secure=True)\n    return {'ok': True}\n`, `from fastapi import FastAPI, Response\n\napp = FastAPI()\n\n\n@app.post('/login')\ndef login(response: Response):\n    response.set_cookie(key='session', value='pending', secure=True, httponly=True)\n    return {'ok': True}\n`),
      ],
    },
    {
      cwe: 'CWE-798',
      stem: 'session-secret',
      cases: [
        ...pair('flask', `from flask import Flask\n\napp = Flask(__name__)\napp.secret_key = 'dev-secret-change-me'\n`, `import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\napp.secret_key = os.environ['FLASK_SECRET_KEY']\n`),
        ...pair('flask-config', `from flask import Flask\n\napp = Flask(__name__)\napp.config['SECRET_KEY'] = 'n0t-so-s3cret'\n`, `from flask import Flask\n\napp = Flask(__name__)\napp.config.from_prefixed_env()\n`),
        ...pair('django', djangoSettings(`SECRET_KEY = 'django-insecure-7h#x!2k$qv@e9z1p0w8r5t3y6u4i'`), djangoSettings(`import os\n\nSECRET_KEY = os.environ['DJANGO_SECRET_KEY']`)),
        ...pair('jwt', `import jwt\n\nSIGNING_KEY = 'jwt-signing-key'\n\n\ndef issue(user_id: str) -> str:\n    return jwt.encode({'sub': user_id}, SIGNING_KEY, algorithm='HS256')\n`, `import os\n\nimport jwt\n\nSIGNING_KEY = os.environ.get('JWT_SIGNING_KEY')\n\n\ndef issue(user_id: str) -> str:\n    return jwt.encode({'sub': user_id}, SIGNING_KEY, algorithm='HS256')\n`),
      ],
    },
    {
      cwe: 'CWE-352',
      stem: 'csrf',
      cases: [
        ...pair(
          'django-exempt',
          `from django.http import JsonResponse\nfrom django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef transfer(request):\n    amount = int(request.POST['amount'])\n    request.user.account.withdraw(amount)\n    return JsonResponse({'ok': True})\n`,
          `from django.http import JsonResponse\nfrom django.views.decorators.http import require_POST\n\n\n@require_POST\ndef transfer(request):\n    amount = int(request.POST['amount'])\n    request.user.account.withdraw(amount)\n    return JsonResponse({'ok': True})\n`,
        ),
        ...pair('flask-wtf', `from flask import Flask\nfrom flask_wtf.csrf import CSRFProtect\n\napp = Flask(__name__)\napp.config['WTF_CSRF_ENABLED'] = False\ncsrf = CSRFProtect(app)\n`, `from flask import Flask\nfrom flask_wtf.csrf import CSRFProtect\n\napp = Flask(__name__)\napp.config['WTF_CSRF_ENABLED'] = True\ncsrf = CSRFProtect(app)\n`),
        ...pair(
          'django-middleware',
          djangoSettings('').replace(`    'django.middleware.csrf.CsrfViewMiddleware',\n`, ''),
          djangoSettings(''),
        ),
      ],
    },
    {
      cwe: 'CWE-1333',
      stem: 'regex-literal',
      cases: [
        ...pair('email', `import re\n\nEMAIL = re.compile(r'^([a-zA-Z0-9]+\\.?)+@example\\.com$')\n\n\ndef is_email(s: str) -> bool:\n    return EMAIL.match(s) is not None\n`, `import re\n\nEMAIL = re.compile(r'^[a-zA-Z0-9.]+@example\\.com$')\n\n\ndef is_email(s: str) -> bool:\n    return EMAIL.match(s) is not None\n`),
        ...pair('digits', `import re\n\n\ndef looks_numeric(text: str) -> bool:\n    return bool(re.fullmatch(r'(\\d+)*x', text))\n`, `import re\n\n\ndef looks_numeric(text: str) -> bool:\n    return bool(re.fullmatch(r'\\d*x', text))\n`),
        ...pair('alt', `import re\n\n\ndef check(value: str) -> bool:\n    return re.search('^(a|aa)+$', value) is not None\n`, `import re\n\n\ndef check(value: str) -> bool:\n    return re.search('^a+$', value) is not None\n`),
      ],
    },
  ];
}
