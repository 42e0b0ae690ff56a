/** Go cases for rules that need no data flow, as vulnerable/safe pairs (and safe-only ReDoS cases: RE2 is linear). */
import { pair, type FixedGroup } from './model.ts';

const blockCipher = (imports: string[], make: string) => `package vault

import (
${imports.map((i) => `\t"${i}"`).join('\n')}
)

func Seal$UNIT(key, plain []byte) ([]byte, error) {
${make}
}
`;
const cbc = (pkg: string, ctor: string, size: string) =>
  blockCipher(['crypto/cipher', pkg, 'crypto/rand'], `\tblock, err := ${ctor}(key)
\tif err != nil {
\t\treturn nil, err
\t}
\tiv := make([]byte, ${size})
\tif _, err := rand.Read(iv); err != nil {
\t\treturn nil, err
\t}
\tout := make([]byte, len(plain))
\tcipher.NewCBCEncrypter(block, iv).CryptBlocks(out, plain)
\treturn append(iv, out...), nil`);
const gcm = blockCipher(['crypto/aes', 'crypto/cipher', 'crypto/rand'], `\tblock, err := aes.NewCipher(key)
\tif err != nil {
\t\treturn nil, err
\t}
\taead, err := cipher.NewGCM(block)
\tif err != nil {
\t\treturn nil, err
\t}
\tnonce := make([]byte, aead.NonceSize())
\tif _, err := rand.Read(nonce); err != nil {
\t\treturn nil, err
\t}
\treturn aead.Seal(nonce, nonce, plain, nil), nil`);

const digest = (imports: string[], body: string) => `package auth

import (
${imports.map((i) => `\t"${i}"`).join('\n')}
)

${body}
`;

const cookie = (fields: string) => `package handlers

import (
\t"net/http"
\t"time"
)

func Login$UNIT(w http.ResponseWriter, r *http.Request) {
\thttp.SetCookie(w, &http.Cookie{
\t\tName:    "session",
\t\tValue:   r.Header.Get("X-Session-Token"),
\t\tPath:    "/",
\t\tExpires: time.Now().Add(8 * time.Hour),
${fields}\t})
\tw.WriteHeader(http.StatusNoContent)
}
`;
const ginCookie = (secure: string, httpOnly: string) => `package api

import (
\t"net/http"

\t"github.com/gin-gonic/gin"
)

func Login$UNIT(c *gin.Context) {
\tc.SetCookie("session", c.GetHeader("X-Session-Token"), 3600, "/", "app.example.com", ${secure}, ${httpOnly})
\tc.Status(http.StatusNoContent)
}
`;

const rng = (imports: string[], body: string) => digest(imports, body).replace('package auth', 'package tokens');

export function goFixed(): FixedGroup[] {
  return [
    {
      cwe: 'CWE-327',
      stem: 'cipher',
      cases: [
        ...pair('des', cbc('crypto/des', 'des.NewCipher', 'des.BlockSize'), gcm),
        ...pair('3des', cbc('crypto/des', 'des.NewTripleDESCipher', 'des.BlockSize'), cbc('crypto/aes', 'aes.NewCipher', 'aes.BlockSize')),
        ...pair(
          'rc4',
          blockCipher(['crypto/rc4'], `\tc, err := rc4.NewCipher(key)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tout := make([]byte, len(plain))\n\tc.XORKeyStream(out, plain)\n\treturn out, nil`),
          blockCipher(['golang.org/x/crypto/chacha20poly1305', 'crypto/rand'], `\taead, err := chacha20poly1305.New(key)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tnonce := make([]byte, aead.NonceSize())\n\t_, _ = rand.Read(nonce)\n\treturn aead.Seal(nonce, nonce, plain, nil), nil`),
        ),
        ...pair('blowfish', cbc('golang.org/x/crypto/blowfish', 'blowfish.NewCipher', 'blowfish.BlockSize'), gcm.replace('package vault', 'package sealing')),
        ...pair(
          'ecb',
          blockCipher(['crypto/aes'], `\tblock, err := aes.NewCipher(key)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tout := make([]byte, len(plain))\n\tfor i := 0; i+aes.BlockSize <= len(plain); i += aes.BlockSize {\n\t\tblock.Encrypt(out[i:i+aes.BlockSize], plain[i:i+aes.BlockSize])\n\t}\n\treturn out, nil`),
          blockCipher(['crypto/aes', 'crypto/cipher', 'crypto/rand'], `\tblock, err := aes.NewCipher(key)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n\tiv := make([]byte, aes.BlockSize)\n\t_, _ = rand.Read(iv)\n\tout := make([]byte, len(plain))\n\tcipher.NewCTR(block, iv).XORKeyStream(out, plain)\n\treturn append(iv, out...), nil`),
        ),
      ],
    },
    {
      cwe: 'CWE-328',
      stem: 'hash',
      cases: [
        ...pair('pw-md5', digest(['crypto/md5', 'encoding/hex'], `func StoredCredential$UNIT(pw, salt string) string {\n\tsum := md5.Sum([]byte(salt + pw))\n\treturn hex.EncodeToString(sum[:])\n}`), digest(['encoding/hex', 'golang.org/x/crypto/argon2'], `func StoredCredential$UNIT(pw, salt string) string {\n\tkey := argon2.IDKey([]byte(pw), []byte(salt), 1, 64*1024, 4, 32)\n\treturn hex.EncodeToString(key)\n}`)),
        ...pair('sha1-sig', digest(['crypto/sha1', 'encoding/base64'], `func Signature$UNIT(body, secret []byte) string {\n\th := sha1.New()\n\th.Write(secret)\n\th.Write(body)\n\treturn base64.StdEncoding.EncodeToString(h.Sum(nil))\n}`), digest(['crypto/hmac', 'crypto/sha256', 'encoding/base64'], `func Signature$UNIT(body, secret []byte) string {\n\th := hmac.New(sha256.New, secret)\n\th.Write(body)\n\treturn base64.StdEncoding.EncodeToString(h.Sum(nil))\n}`)),
        ...pair('md5-new', digest(['crypto/md5', 'fmt', 'io'], `func TokenDigest$UNIT(apiKey string) string {\n\th := md5.New()\n\tio.WriteString(h, apiKey)\n\treturn fmt.Sprintf("%x", h.Sum(nil))\n}`), digest(['crypto/sha512', 'fmt', 'io'], `func TokenDigest$UNIT(apiKey string) string {\n\th := sha512.New()\n\tio.WriteString(h, apiKey)\n\treturn fmt.Sprintf("%x", h.Sum(nil))\n}`)),
        ...pair('md4', digest(['encoding/hex', 'golang.org/x/crypto/md4'], `func ResetCode$UNIT(userID, stamp string) string {\n\th := md4.New()\n\th.Write([]byte(userID + stamp))\n\treturn hex.EncodeToString(h.Sum(nil))\n}`), digest(['crypto/sha256', 'encoding/hex'], `func ResetCode$UNIT(userID, stamp string) string {\n\th := sha256.New()\n\th.Write([]byte(userID + stamp))\n\treturn hex.EncodeToString(h.Sum(nil))\n}`)),
      ],
    },
    {
      cwe: 'CWE-330',
      stem: 'random',
      cases: [
        ...pair('session-id', rng(['fmt', 'math/rand'], `func NewSessionID$UNIT() string {\n\treturn fmt.Sprintf("%016x%016x", rand.Uint64(), rand.Uint64())\n}`), rng(['crypto/rand', 'encoding/hex'], `func NewSessionID$UNIT() string {\n\tb := make([]byte, 16)\n\t_, _ = rand.Read(b)\n\treturn hex.EncodeToString(b)\n}`)),
        ...pair('otp', rng(['fmt', 'math/rand/v2'], `func OneTimeCode$UNIT() string {\n\treturn fmt.Sprintf("%06d", rand.IntN(1000000))\n}`), rng(['crypto/rand', 'fmt', 'math/big'], `func OneTimeCode$UNIT() string {\n\tn, _ := rand.Int(rand.Reader, big.NewInt(1000000))\n\treturn fmt.Sprintf("%06d", n.Int64())\n}`)),
        ...pair('seeded', rng(['math/rand', 'time'], `const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"\n\nfunc APIKey$UNIT() string {\n\tr := rand.New(rand.NewSource(time.Now().UnixNano()))\n\tkey := make([]byte, 32)\n\tfor i := range key {\n\t\tkey[i] = alphabet[r.Intn(len(alphabet))]\n\t}\n\treturn string(key)\n}`), rng(['crypto/rand', 'math/big'], `const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"\n\nfunc APIKey$UNIT() string {\n\tkey := make([]byte, 32)\n\tfor i := range key {\n\t\tn, _ := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))\n\t\tkey[i] = alphabet[n.Int64()]\n\t}\n\treturn string(key)\n}`)),
        { vulnerable: false, text: rng(['math/rand', 'time'], `func Backoff$UNIT(attempt int) time.Duration {\n\tbase := time.Duration(1<<attempt) * 100 * time.Millisecond\n\treturn base + time.Duration(rand.Int63n(int64(50*time.Millisecond)))\n}`) },
        { vulnerable: false, text: rng(['math/rand'], `func Shuffle$UNIT(items []string) {\n\trand.Shuffle(len(items), func(i, j int) { items[i], items[j] = items[j], items[i] })\n}`) },
      ],
    },
    {
      cwe: 'CWE-614',
      stem: 'cookie-secure',
      cases: [
        ...pair('std', cookie('\t\tHttpOnly: true,\n'), cookie('\t\tHttpOnly: true,\n\t\tSecure:   true,\n')),
        ...pair('std-false', cookie('\t\tSecure:   false,\n\t\tHttpOnly: true,\n\t\tSameSite: http.SameSiteLaxMode,\n'), cookie('\t\tSecure:   true,\n\t\tHttpOnly: true,\n\t\tSameSite: http.SameSiteLaxMode,\n')),
        ...pair('gin', ginCookie('false', 'true'), ginCookie('true', 'true')),
      ],
    },
    {
      cwe: 'CWE-1004',
      stem: 'cookie-httponly',
      cases: [
        ...pair('std', cookie('\t\tSecure: true,\n'), cookie('\t\tSecure:   true,\n\t\tHttpOnly: true,\n')),
        ...pair('std-false', cookie('\t\tSecure:   true,\n\t\tHttpOnly: false,\n'), cookie('\t\tSecure:   true,\n\t\tHttpOnly: true,\n\t\tSameSite: http.SameSiteStrictMode,\n')),
        ...pair('gin', ginCookie('true', 'false'), ginCookie('true', 'true')),
      ],
    },
    {
      cwe: 'CWE-798',
      stem: 'session-secret',
      cases: [
        ...pair('gorilla', `package web\n\nimport "github.com/gorilla/sessions"\n\nvar store = sessions.NewCookieStore([]byte("super-secret-key"))\n`, `package web\n\nimport (\n\t"os"\n\n\t"github.com/gorilla/sessions"\n)\n\nvar store = sessions.NewCookieStore([]byte(os.Getenv("SESSION_KEY")))\n`),
        ...pair('jwt', `package auth\n\nimport "github.com/golang-jwt/jwt/v5"\n\nvar signingKey = []byte("jwt-signing-secret")\n\nfunc Issue$UNIT(userID string) (string, error) {\n\treturn jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": userID}).SignedString(signingKey)\n}\n`, `package auth\n\nimport (\n\t"os"\n\n\t"github.com/golang-jwt/jwt/v5"\n)\n\nvar signingKey = []byte(os.Getenv("JWT_SIGNING_KEY"))\n\nfunc Issue$UNIT(userID string) (string, error) {\n\treturn jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": userID}).SignedString(signingKey)\n}\n`),
        ...pair('gin-sessions', `package api\n\nimport (\n\t"github.com/gin-contrib/sessions"\n\t"github.com/gin-contrib/sessions/cookie"\n\t"github.com/gin-gonic/gin"\n)\n\nconst sessionSecret = "keyboard-cat"\n\nfunc Setup$UNIT(r *gin.Engine) {\n\tstore := cookie.NewStore([]byte(sessionSecret))\n\tr.Use(sessions.Sessions("app", store))\n}\n`, `package api\n\nimport (\n\t"os"\n\n\t"github.com/gin-contrib/sessions"\n\t"github.com/gin-contrib/sessions/cookie"\n\t"github.com/gin-gonic/gin"\n)\n\nfunc Setup$UNIT(r *gin.Engine) {\n\tstore := cookie.NewStore([]byte(os.Getenv("SESSION_SECRET")))\n\tr.Use(sessions.Sessions("app", store))\n}\n`),
      ],
    },
    {
      cwe: 'CWE-1333',
      stem: 'regex',
      cases: [
        { vulnerable: false, text: `package validation\n\nimport "regexp"\n\n// Go's regexp is RE2: matching is linear in the input whatever the pattern.\nvar email$UNIT = regexp.MustCompile(\`^([a-zA-Z0-9]+\\.?)+@example\\.com$\`)\n\nfunc ValidEmail$UNIT(s string) bool {\n\treturn email$UNIT.MatchString(s)\n}\n` },
        { vulnerable: false, text: `package search\n\nimport (\n\t"net/http"\n\t"regexp"\n)\n\nfunc Filter$UNIT(w http.ResponseWriter, r *http.Request) {\n\tre, err := regexp.Compile(r.URL.Query().Get("pattern"))\n\tif err != nil {\n\t\thttp.Error(w, "bad pattern", http.StatusBadRequest)\n\t\treturn\n\t}\n\tif re.MatchString("report-2024.pdf") {\n\t\tw.Write([]byte("match"))\n\t}\n}\n` },
        { vulnerable: false, text: `package validation\n\nimport "regexp"\n\nfunc Check$UNIT(value string) bool {\n\treturn regexp.MustCompile("^(a|aa)+$").MatchString(value)\n}\n` },
      ],
    },
  ];
}
