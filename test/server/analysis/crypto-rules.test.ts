import { describeCases, safe, vulnerable } from './rule-cases.ts';

const CIPHER = 'nyx/crypto/weak-cipher';
const HASH = 'nyx/crypto/weak-hash';
const PASSWORD_HASH = 'nyx/dangerous/weak-password-hash';
const RANDOM = 'nyx/crypto/predictable-random';

const java = (body: string, imports = 'import javax.crypto.Cipher;\nimport java.security.MessageDigest;\n') => `${imports}class A {\n  byte[] run(byte[] data, java.util.Properties props) throws Exception {\n${body}\n    return data;\n  }\n}\n`;

describe('nyx/crypto/weak-cipher', () => {
  describeCases([
    vulnerable('Java DES/ECB', 'A.java', java('    Cipher c = Cipher.getInstance("DES/ECB/PKCS5Padding");'), CIPHER),
    vulnerable('Java fully qualified DESede', 'A.java', java('    javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("DESede/CBC/PKCS5Padding", "SunJCE");', ''), CIPHER),
    vulnerable('Java bare "AES" (defaults to ECB)', 'A.java', java('    Cipher c = Cipher.getInstance("AES");'), CIPHER),
    vulnerable('Java algorithm from a property with a weak default', 'A.java', java('    String alg = props.getProperty("cryptoAlg1", "DESede/ECB/PKCS5Padding");\n    Cipher c = Cipher.getInstance(alg);'), CIPHER),
    vulnerable('Java RC4 constant field', 'A.java', 'class A {\n  private static final String ALG = "RC4";\n  void f() throws Exception { javax.crypto.Cipher.getInstance(ALG); }\n}\n', CIPHER),
    safe('Java AES/GCM', 'A.java', java('    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");'), CIPHER),
    safe('Java RSA/ECB/OAEP (ECB names no mode for RSA)', 'A.java', java('    Cipher c = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");'), CIPHER),
    safe('Java property with a strong default', 'A.java', java('    String alg = props.getProperty("cryptoAlg2", "AES/CBC/PKCS5Padding");\n    Cipher c = Cipher.getInstance(alg);'), CIPHER),
    vulnerable('Node createCipheriv des-ede3-cbc', 'a.js', "const crypto = require('crypto');\nconst c = crypto.createCipheriv('des-ede3-cbc', key, iv);\n", CIPHER),
    vulnerable('Node aes-128-ecb', 'a.ts', "import { createCipheriv } from 'node:crypto';\nconst c = createCipheriv('aes-128-ecb', key, null);\n", CIPHER),
    vulnerable('Node rc4 via env default', 'a.js', "const algo = process.env.CIPHER || 'rc4';\nconst c = crypto.createCipheriv(algo, key, '');\n", CIPHER),
    vulnerable('CryptoJS DES', 'a.js', 'const out = CryptoJS.DES.encrypt(msg, key);\n', CIPHER),
    safe('Node aes-256-gcm', 'a.js', "const c = crypto.createCipheriv('aes-256-gcm', key, iv);\n", CIPHER),
    vulnerable('PyCryptodome DES', 'a.py', 'from Crypto.Cipher import DES\ncipher = DES.new(key, DES.MODE_CBC, iv)\n', CIPHER),
    vulnerable('PyCryptodome AES in ECB', 'a.py', 'from Crypto.Cipher import AES\ncipher = AES.new(key, AES.MODE_ECB)\n', CIPHER),
    vulnerable('cryptography TripleDES', 'a.py', 'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nc = Cipher(algorithms.TripleDES(key), modes.CBC(iv))\n', CIPHER),
    vulnerable('cryptography ECB mode', 'a.py', 'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nc = Cipher(algorithms.AES(key), modes.ECB())\n', CIPHER),
    safe('cryptography AES-GCM', 'a.py', 'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nc = Cipher(algorithms.AES(key), modes.GCM(iv))\n', CIPHER),
    safe('PyCryptodome AES in GCM', 'a.py', 'from Crypto.Cipher import AES\ncipher = AES.new(key, AES.MODE_GCM)\n', CIPHER),
    vulnerable('Go crypto/des', 'a.go', 'package a\n\nimport "crypto/des"\n\nfunc f(k []byte) { b, _ := des.NewTripleDESCipher(k); _ = b }\n', CIPHER),
    vulnerable('Go crypto/rc4 under an alias', 'a.go', 'package a\n\nimport r "crypto/rc4"\n\nfunc f(k []byte) { c, _ := r.NewCipher(k); _ = c }\n', CIPHER),
    safe('Go crypto/aes', 'a.go', 'package a\n\nimport "crypto/aes"\n\nfunc f(k []byte) { c, _ := aes.NewCipher(k); _ = c }\n', CIPHER),
  ]);
});

describe('nyx/crypto/weak-hash and weak-password-hash', () => {
  describeCases([
    vulnerable('Java fully qualified MD5', 'A.java', java('    java.security.MessageDigest md = java.security.MessageDigest.getInstance("MD5");', ''), HASH),
    vulnerable('Java SHA1 with provider', 'A.java', java('    MessageDigest md = MessageDigest.getInstance("SHA1", "SUN");'), HASH),
    vulnerable('Java hash from a property with a weak default', 'A.java', java('    String alg = props.getProperty("hashAlg1", "MD5");\n    MessageDigest md = MessageDigest.getInstance(alg);'), HASH),
    vulnerable('Commons DigestUtils.md5Hex', 'A.java', java('    String h = org.apache.commons.codec.digest.DigestUtils.md5Hex(data);'), HASH),
    safe('Java SHA-256', 'A.java', java('    MessageDigest md = MessageDigest.getInstance("SHA-256");'), HASH),
    vulnerable('Java MD5 of a password param named pw', 'A.java', 'import java.security.MessageDigest;\nclass A { byte[] hashPassword(String pw) throws Exception { return MessageDigest.getInstance("MD5").digest(pw.getBytes()); } }\n', PASSWORD_HASH),
    vulnerable('Node md5 of any data', 'a.js', "const h = require('crypto').createHash('md5').update(body).digest('hex');\n", HASH),
    vulnerable('Node sha1 held in a constant', 'a.js', "const ALG = 'sha1';\nconst h = crypto.createHash(ALG).update(x).digest();\n", HASH),
    safe('Node sha256', 'a.js', "const h = crypto.createHash('sha256').update(body).digest('hex');\n", HASH),
    vulnerable('Python hashlib.md5', 'a.py', 'import hashlib\ndigest = hashlib.md5(data).hexdigest()\n', HASH),
    vulnerable('Python from hashlib import sha1 as s', 'a.py', 'from hashlib import sha1 as s\ndigest = s(data).hexdigest()\n', HASH),
    vulnerable("Python hashlib.new('md5')", 'a.py', "import hashlib\nh = hashlib.new('md5')\n", HASH),
    vulnerable('Python env read with a weak default', 'a.py', 'import hashlib, os\nh = hashlib.new(os.getenv("HASH_ALG", "sha1"))\n', HASH),
    safe('Python usedforsecurity=False', 'a.py', 'import hashlib\ndigest = hashlib.md5(data, usedforsecurity=False).hexdigest()\n', HASH),
    safe('Python sha256', 'a.py', 'import hashlib\ndigest = hashlib.sha256(data).hexdigest()\n', HASH),
    vulnerable('Python password hash (reported once, as password hash)', 'a.py', 'import hashlib\ndef store(pwd):\n    return hashlib.md5(pwd.encode()).hexdigest()\n', PASSWORD_HASH),
    safe('Python password hash is not also a weak-hash finding', 'a.py', 'import hashlib\ndef store(pwd):\n    return hashlib.md5(pwd.encode()).hexdigest()\n', HASH),
    vulnerable('Go md5.Sum', 'a.go', 'package a\n\nimport "crypto/md5"\n\nfunc f(b []byte) [16]byte { return md5.Sum(b) }\n', HASH),
    vulnerable('Go sha1.New', 'a.go', 'package a\n\nimport "crypto/sha1"\n\nfunc f() { h := sha1.New(); _ = h }\n', HASH),
    safe('Go sha256', 'a.go', 'package a\n\nimport "crypto/sha256"\n\nfunc f(b []byte) [32]byte { return sha256.Sum256(b) }\n', HASH),
  ]);
});

describe('nyx/crypto/predictable-random', () => {
  describeCases([
    vulnerable('Java Random into a remember-me cookie', 'A.java', `class A {
  void f(javax.servlet.http.HttpServletResponse response) {
    double value = new java.util.Random().nextDouble();
    String rememberMeKey = Double.toString(value).substring(2);
    javax.servlet.http.Cookie c = new javax.servlet.http.Cookie("rememberMe", rememberMeKey);
    response.addCookie(c);
  }
}
`, RANDOM),
    vulnerable('Java Random.nextBytes filling a token buffer', 'A.java', `import java.util.Random;
class A {
  private final Random random = new Random();
  String token() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String sessionToken = java.util.Base64.getEncoder().encodeToString(bytes);
    return sessionToken;
  }
}
`, RANDOM),
    vulnerable('Java Math.random returned from generatePassword', 'A.java', 'class A { String generatePassword() { return Long.toString((long) (Math.random() * 1e12)); } }\n', RANDOM),
    safe('Java SecureRandom into the same cookie', 'A.java', `class A {
  void f(javax.servlet.http.HttpServletResponse response) {
    double value = new java.security.SecureRandom().nextDouble();
    String rememberMeKey = Double.toString(value).substring(2);
    response.addCookie(new javax.servlet.http.Cookie("rememberMe", rememberMeKey));
  }
}
`, RANDOM),
    safe('Java Random for shuffling', 'A.java', 'import java.util.*;\nclass A { void f(List<String> items) { Random r = new Random(); int i = r.nextInt(items.size()); Collections.swap(items, 0, i); } }\n', RANDOM),
    vulnerable('JS Math.random as a reset token', 'a.js', 'function issue(user) {\n  const resetToken = Math.random().toString(36).slice(2);\n  return save(user, resetToken);\n}\n', RANDOM),
    vulnerable('JS Math.random into a cookie', 'a.js', "app.get('/', (req, res) => {\n  const v = Math.floor(Math.random() * 1e9);\n  res.cookie('sid', String(v));\n});\n", RANDOM),
    vulnerable('JS object key nonce', 'a.js', 'const opts = { nonce: Math.random().toString(16) };\n', RANDOM),
    safe('JS Math.random for jitter', 'a.js', 'const delay = base * 2 ** attempt + Math.random() * 100;\nsetTimeout(retry, delay);\n', RANDOM),
    safe('JS crypto.randomBytes token', 'a.js', "const resetToken = crypto.randomBytes(32).toString('hex');\n", RANDOM),
    vulnerable('Python random.choice joined into a token', 'a.py', "import random, string\ndef make():\n    token = ''.join(random.choice(string.ascii_letters) for _ in range(32))\n    return token\n", RANDOM),
    vulnerable('Python from random import randint as OTP', 'a.py', 'from random import randint\ndef send_code(user):\n    otp = randint(100000, 999999)\n    mail(user, otp)\n', RANDOM),
    vulnerable('Python session value', 'a.py', "import random\ndef login():\n    session['csrf'] = random.getrandbits(64)\n", RANDOM),
    safe('Python random.sample for a sample', 'a.py', 'import random\nrows = random.sample(population, 10)\n', RANDOM),
    safe('Python random weights as sort keys (weighted sampling)', 'a.py', 'from math import log\nfrom random import random\ndef sample(iterable, weights, k):\n    weight_keys = (log(random()) / w for w in weights)\n    return sorted(zip(weight_keys, iterable))[:k]\n', RANDOM),
    vulnerable('Python random in a remember-me key', 'a.py', 'import random\ndef remember(user):\n    remember_key = random.getrandbits(64)\n    store(user, remember_key)\n', RANDOM),
    safe('Python secrets token', 'a.py', 'import secrets\ntoken = secrets.token_urlsafe(32)\n', RANDOM),
    vulnerable('Go math/rand into an http.Cookie value', 'a.go', 'package a\n\nimport (\n\t"math/rand"\n\t"net/http"\n\t"strconv"\n)\n\nfunc f(w http.ResponseWriter) {\n\tn := rand.Int63()\n\thttp.SetCookie(w, &http.Cookie{Name: "sid", Value: strconv.FormatInt(n, 10), Secure: true, HttpOnly: true})\n}\n', RANDOM),
    vulnerable('Go math/rand.Read into a key', 'a.go', 'package a\n\nimport "math/rand"\n\nfunc newKey() []byte {\n\tb := make([]byte, 32)\n\trand.Read(b)\n\tapiKey := b\n\treturn apiKey\n}\n', RANDOM),
    safe('Go crypto/rand', 'a.go', 'package a\n\nimport "crypto/rand"\n\nfunc newKey() []byte {\n\tb := make([]byte, 32)\n\trand.Read(b)\n\tapiKey := b\n\treturn apiKey\n}\n', RANDOM),
    safe('Go math/rand for backoff jitter', 'a.go', 'package a\n\nimport (\n\t"math/rand"\n\t"time"\n)\n\nfunc backoff() time.Duration { return time.Duration(rand.Intn(100)) * time.Millisecond }\n', RANDOM),
  ]);
});

describe('security names', () => {
  describeCases([
    safe('JS a bare `key` (map or React key)', 'a.js', 'const key = Math.random().toString(36);\ncache.set(key, value);\n', RANDOM),
    safe('JS a cache key', 'a.js', 'const cacheKey = `${prefix}:${Math.random()}`;\n', RANDOM),
    vulnerable('JS an api key', 'a.js', 'const apiKey = Math.random().toString(36).slice(2);\n', RANDOM),
  ]);
});

describe('predictable-random receivers', () => {
  describeCases([
    vulnerable('Java `var` holding a java.util.Random', 'A.java', 'class A { String newToken() { var r = new java.util.Random(); return Long.toHexString(r.nextLong()); } }\n', RANDOM),
    safe('Java `var` holding a SecureRandom', 'A.java', 'class A { String newToken() { var r = new java.security.SecureRandom(); return Long.toHexString(r.nextLong()); } }\n', RANDOM),
  ]);
});

describe('algorithm values', () => {
  describeCases([
    safe('a name assigned twice is unknown, not guessed', 'A.java', java('    String alg = "DES";\n    if (strong) alg = "AES/GCM/NoPadding";\n    Cipher c = Cipher.getInstance(alg);'), CIPHER),
    safe('an algorithm from configuration without a default', 'A.java', java('    Cipher c = Cipher.getInstance(props.getProperty("cipher"));'), CIPHER),
    vulnerable('an inline config read with a weak default', 'A.java', java('    MessageDigest md = MessageDigest.getInstance(props.getProperty("hashAlg", "MD5"));'), HASH),
  ]);
});

describe('renamed imports', () => {
  describeCases([
    vulnerable('Node createHash renamed in a destructure', 'a.js', "const { createHash: digest } = require('node:crypto');\nconst h = digest('md5');\n", HASH),
    vulnerable('Node createCipheriv renamed in an import', 'a.ts', "import { createCipheriv as encryptWith } from 'crypto';\nencryptWith('bf-cbc', key, iv);\n", CIPHER),
    safe('Node renamed createHash with sha256', 'a.js', "const { createHash: digest } = require('node:crypto');\nconst h = digest('sha256');\n", HASH),
  ]);
});

describe('predictable-random: generators and one-time codes', () => {
  describeCases([
    vulnerable('Go generator from rand.New building a key', 'a.go', 'package a\n\nimport (\n\t"math/rand"\n\t"time"\n)\n\nfunc NewAPIKey() string {\n\tr := rand.New(rand.NewSource(time.Now().UnixNano()))\n\tkey := make([]byte, 32)\n\tfor i := range key {\n\t\tkey[i] = "abcdef0123456789"[r.Intn(16)]\n\t}\n\treturn string(key)\n}\n', RANDOM),
    safe('Go generator from rand.New for a simulation', 'a.go', 'package a\n\nimport "math/rand"\n\nfunc Simulate(seed int64) float64 {\n\tr := rand.New(rand.NewSource(seed))\n\treturn r.Float64() * 10\n}\n', RANDOM),
    vulnerable('Python one-time code returned', 'a.py', 'import random\ndef one_time_code() -> str:\n    return str(random.randint(100000, 999999))\n', RANDOM),
    safe('Python dice roll returned', 'a.py', 'import random\ndef roll_dice() -> int:\n    return random.randint(1, 6)\n', RANDOM),
  ]);
});
