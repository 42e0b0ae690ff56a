/** Java cases for rules that need no data flow, as vulnerable/safe pairs. */
import { pair, type FixedGroup } from './model.ts';

const cipherClass = (imports: string, body: string) => `package com.example.crypto;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
${imports}
public class $UNIT {

${body}
}
`;
const seal = (transformation: string, extra = '') => cipherClass(
  '',
  `    public byte[] seal(SecretKey key, byte[] plain) throws Exception {
        Cipher cipher = Cipher.getInstance(${transformation});${extra}
        cipher.init(Cipher.ENCRYPT_MODE, key);
        return cipher.doFinal(plain);
    }`,
);

const digest = (call: string, imports = '') => `package com.example.auth;

${imports}import java.nio.charset.StandardCharsets;

public class $UNIT {

    public static String fingerprint(String apiKey, String tenant) throws Exception {
        byte[] out = ${call};
        return java.util.HexFormat.of().formatHex(out);
    }
}
`;

const servletCookie = (flags: string) => `package com.example.web;

import java.io.IOException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

public class $UNIT extends HttpServlet {

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Cookie cookie = new Cookie("SESSION", request.getSession().getId());
        cookie.setPath("/");
${flags}        response.addCookie(cookie);
        response.sendRedirect("/home");
    }
}
`;

const springCookie = (chain: string) => `package com.example.api;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class $UNIT {

    @PostMapping("/login")
    public ResponseEntity<Void> login() {
        ResponseCookie cookie = ResponseCookie.from("remember", "pending")${chain}.path("/").build();
        return ResponseEntity.noContent().header(HttpHeaders.SET_COOKIE, cookie.toString()).build();
    }
}
`;

const security = (csrf: string) => `package com.example.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.web.SecurityFilterChain;

@Configuration
public class $UNIT {

    @Bean
    public SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
        http
            .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())${csrf}
            .formLogin(form -> form.loginPage("/login").permitAll());
        return http.build();
    }
}
`;

const jwt = (key: string) => `package com.example.auth;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;

public class $UNIT {

    ${key}

    public String issue(String subject) {
        return JWT.create().withSubject(subject).sign(Algorithm.HMAC256(SIGNING_KEY));
    }
}
`;

const random = (field: string, body: string) => `package com.example.auth;

${field.includes('SecureRandom') ? 'import java.security.SecureRandom;\n' : ''}import java.util.Random;

public class $UNIT {

    private static final ${field}

    public String ${body}
}
`;

export function javaFixed(): FixedGroup[] {
  return [
    {
      cwe: 'CWE-327',
      stem: 'cipher',
      cases: [
        ...pair('des', seal('"DES/CBC/PKCS5Padding"'), seal('"AES/GCM/NoPadding"')),
        ...pair('aes-default', seal('"AES"'), seal('"AES/CBC/PKCS5Padding"')),
        ...pair('3des', seal('"DESede/ECB/PKCS5Padding"'), seal('"ChaCha20-Poly1305"')),
        ...pair('rc4', seal('"RC4"'), seal('"AES/GCM/NoPadding"').replace('seal(', 'encrypt(')),
        ...pair('blowfish-const', seal('ALGORITHM').replace('public class $UNIT {\n', 'public class $UNIT {\n\n    private static final String ALGORITHM = "Blowfish";\n'), seal('ALGORITHM').replace('public class $UNIT {\n', 'public class $UNIT {\n\n    private static final String ALGORITHM = "AES/GCM/NoPadding";\n')),
        ...pair(
          'config-default',
          cipherClass('import java.util.Properties;\n', `    private final Properties settings = new Properties();\n\n    public byte[] seal(SecretKey key, byte[] plain) throws Exception {\n        String algorithm = settings.getProperty("cipher.algorithm", "DESede");\n        Cipher cipher = Cipher.getInstance(algorithm);\n        cipher.init(Cipher.ENCRYPT_MODE, key);\n        return cipher.doFinal(plain);\n    }`),
          cipherClass('import java.util.Properties;\n', `    private final Properties settings = new Properties();\n\n    public byte[] seal(SecretKey key, byte[] plain) throws Exception {\n        String algorithm = settings.getProperty("cipher.algorithm", "AES/GCM/NoPadding");\n        Cipher cipher = Cipher.getInstance(algorithm);\n        cipher.init(Cipher.ENCRYPT_MODE, key);\n        return cipher.doFinal(plain);\n    }`),
        ),
      ],
    },
    {
      cwe: 'CWE-328',
      stem: 'hash',
      cases: [
        ...pair('fq-md5', digest('java.security.MessageDigest.getInstance("MD5").digest((tenant + apiKey).getBytes(StandardCharsets.UTF_8))'), digest('java.security.MessageDigest.getInstance("SHA-256").digest((tenant + apiKey).getBytes(StandardCharsets.UTF_8))')),
        ...pair('sha1', digest('md.digest(apiKey.getBytes(StandardCharsets.UTF_8))', 'import java.security.MessageDigest;\n').replace('        byte[] out', '        MessageDigest md = MessageDigest.getInstance("SHA-1");\n        md.update(tenant.getBytes(StandardCharsets.UTF_8));\n        byte[] out'), digest('md.digest(apiKey.getBytes(StandardCharsets.UTF_8))', 'import java.security.MessageDigest;\n').replace('        byte[] out', '        MessageDigest md = MessageDigest.getInstance("SHA-512");\n        md.update(tenant.getBytes(StandardCharsets.UTF_8));\n        byte[] out')),
        ...pair('commons', digest('DigestUtils.md5(tenant + apiKey)', 'import org.apache.commons.codec.digest.DigestUtils;\n'), digest('DigestUtils.sha256(tenant + apiKey)', 'import org.apache.commons.codec.digest.DigestUtils;\n')),
        ...pair('algo-field', digest('java.security.MessageDigest.getInstance(ALGO).digest(apiKey.getBytes(StandardCharsets.UTF_8))').replace('public class $UNIT {\n', 'public class $UNIT {\n\n    private static final String ALGO = "MD2";\n'), digest('java.security.MessageDigest.getInstance(ALGO).digest(apiKey.getBytes(StandardCharsets.UTF_8))').replace('public class $UNIT {\n', 'public class $UNIT {\n\n    private static final String ALGO = "SHA3-256";\n')),
        ...pair(
          'pw',
          `package com.example.auth;\n\nimport java.security.MessageDigest;\n\npublic class $UNIT {\n\n    public byte[] store(char[] pw, byte[] salt) throws Exception {\n        MessageDigest md = MessageDigest.getInstance("MD5");\n        md.update(salt);\n        return md.digest(new String(pw).getBytes());\n    }\n}\n`,
          `package com.example.auth;\n\nimport javax.crypto.SecretKeyFactory;\nimport javax.crypto.spec.PBEKeySpec;\n\npublic class $UNIT {\n\n    public byte[] store(char[] pw, byte[] salt) throws Exception {\n        PBEKeySpec spec = new PBEKeySpec(pw, salt, 310000, 256);\n        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();\n    }\n}\n`,
        ),
        ...pair(
          'guava',
          digest('Hashing.sha1().hashString(tenant + apiKey, StandardCharsets.UTF_8).asBytes()', 'import com.google.common.hash.Hashing;\n'),
          digest('Hashing.sha256().hashString(tenant + apiKey, StandardCharsets.UTF_8).asBytes()', 'import com.google.common.hash.Hashing;\n'),
        ),
      ],
    },
    {
      cwe: 'CWE-330',
      stem: 'random',
      cases: [
        ...pair('session', random('Random RNG = new Random();', 'newSessionId() {\n        return Long.toHexString(RNG.nextLong()) + Long.toHexString(RNG.nextLong());\n    }'), random('SecureRandom RNG = new SecureRandom();', 'newSessionId() {\n        return Long.toHexString(RNG.nextLong()) + Long.toHexString(RNG.nextLong());\n    }')),
        ...pair('math-random', random('String DIGITS = "0123456789";', 'resetCode() {\n        StringBuilder code = new StringBuilder();\n        for (int i = 0; i < 8; i++) code.append(DIGITS.charAt((int) (Math.random() * DIGITS.length())));\n        return code.toString();\n    }'), random('SecureRandom RNG = new SecureRandom();', 'resetCode() {\n        StringBuilder code = new StringBuilder();\n        for (int i = 0; i < 8; i++) code.append(RNG.nextInt(10));\n        return code.toString();\n    }')),
        ...pair('tlr', random('String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";', 'apiKey() {\n        char[] key = new char[32];\n        for (int i = 0; i < key.length; i++) key[i] = ALPHABET.charAt(java.util.concurrent.ThreadLocalRandom.current().nextInt(ALPHABET.length()));\n        return new String(key);\n    }'), random('String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";\n    private static final SecureRandom RNG = new SecureRandom();', 'apiKey() {\n        char[] key = new char[32];\n        for (int i = 0; i < key.length; i++) key[i] = ALPHABET.charAt(RNG.nextInt(ALPHABET.length()));\n        return new String(key);\n    }')),
        ...pair('seeded', random('Random RNG = new Random(System.currentTimeMillis());', 'csrfToken() {\n        byte[] bytes = new byte[16];\n        RNG.nextBytes(bytes);\n        return java.util.HexFormat.of().formatHex(bytes);\n    }'), random('SecureRandom RNG = new SecureRandom();', 'csrfToken() {\n        byte[] bytes = new byte[16];\n        RNG.nextBytes(bytes);\n        return java.util.HexFormat.of().formatHex(bytes);\n    }')),
        { vulnerable: false, text: random('Random RNG = new Random();', 'pickBannerColor() {\n        String[] colors = {"#e57373", "#64b5f6", "#81c784"};\n        return colors[RNG.nextInt(colors.length)];\n    }') },
        { vulnerable: false, text: random('Random JITTER = new Random();', 'retryDelayMillis(int attempt) {\n        // Jitter spreads retries out; nobody gains anything by predicting it.\n        return String.valueOf((1L << attempt) * 100 + JITTER.nextInt(50));\n    }') },
      ],
    },
    {
      cwe: 'CWE-614',
      stem: 'cookie-secure',
      cases: [
        ...pair('servlet', servletCookie('        cookie.setHttpOnly(true);\n'), servletCookie('        cookie.setHttpOnly(true);\n        cookie.setSecure(true);\n')),
        ...pair('servlet-false', servletCookie('        cookie.setSecure(false);\n        cookie.setHttpOnly(true);\n'), servletCookie('        cookie.setSecure(request.isSecure() || true);\n        cookie.setHttpOnly(true);\n').replace('request.isSecure() || true', 'true')),
        ...pair('spring', springCookie('.httpOnly(true)'), springCookie('.httpOnly(true).secure(true)')),
        ...pair('spring-false', springCookie('.secure(false).httpOnly(true).sameSite("Lax")'), springCookie('.secure(true).httpOnly(true).sameSite("Lax")')),
      ],
    },
    {
      cwe: 'CWE-1004',
      stem: 'cookie-httponly',
      cases: [
        ...pair('servlet', servletCookie('        cookie.setSecure(true);\n'), servletCookie('        cookie.setSecure(true);\n        cookie.setHttpOnly(true);\n')),
        ...pair('servlet-false', servletCookie('        cookie.setSecure(true);\n        cookie.setHttpOnly(false);\n'), servletCookie('        cookie.setHttpOnly(true);\n        cookie.setSecure(true);\n')),
        ...pair('spring', springCookie('.secure(true)'), springCookie('.secure(true).httpOnly(true)')),
        ...pair('spring-false', springCookie('.httpOnly(false).secure(true)'), springCookie('.httpOnly(true).secure(true).sameSite("Strict")')),
      ],
    },
    {
      cwe: 'CWE-798',
      stem: 'session-secret',
      cases: [
        ...pair('jwt', jwt('private static final String SIGNING_KEY = "change-me-signing-key";'), jwt('private static final String SIGNING_KEY = System.getenv("JWT_SIGNING_KEY");')),
        ...pair('jwt-inline', jwt('').replace('Algorithm.HMAC256(SIGNING_KEY)', 'Algorithm.HMAC256("s3cr3t-hmac-key")'), jwt('').replace('Algorithm.HMAC256(SIGNING_KEY)', 'Algorithm.HMAC256(System.getProperty("jwt.key"))')),
        ...pair(
          'spring-value',
          `package com.example.auth;\n\nimport io.jsonwebtoken.Jwts;\nimport io.jsonwebtoken.SignatureAlgorithm;\n\npublic class $UNIT {\n\n    private final String secret = "my-session-secret-123";\n\n    public String issue(String subject) {\n        return Jwts.builder().setSubject(subject).signWith(SignatureAlgorithm.HS256, secret.getBytes()).compact();\n    }\n}\n`,
          `package com.example.auth;\n\nimport io.jsonwebtoken.Jwts;\nimport io.jsonwebtoken.SignatureAlgorithm;\nimport org.springframework.beans.factory.annotation.Value;\n\npublic class $UNIT {\n\n    @Value("\${security.session-secret}")\n    private String secret;\n\n    public String issue(String subject) {\n        return Jwts.builder().setSubject(subject).signWith(SignatureAlgorithm.HS256, secret.getBytes()).compact();\n    }\n}\n`,
        ),
      ],
    },
    {
      cwe: 'CWE-352',
      stem: 'csrf',
      cases: [
        ...pair('lambda', security('\n            .csrf(csrf -> csrf.disable())'), security('\n            .csrf(csrf -> csrf.ignoringRequestMatchers("/webhooks/**"))')),
        ...pair('method-ref', security('\n            .csrf(AbstractHttpConfigurer::disable)'), security('')),
        ...pair('legacy', security('').replace('http\n            .authorizeHttpRequests', 'http.csrf().disable();\n        http\n            .authorizeHttpRequests'), security('').replace('http\n            .authorizeHttpRequests', 'http.csrf().csrfTokenRepository(org.springframework.security.web.csrf.CookieCsrfTokenRepository.withHttpOnlyFalse());\n        http\n            .authorizeHttpRequests')),
      ],
    },
    {
      cwe: 'CWE-1333',
      stem: 'regex-literal',
      cases: [
        ...pair('email', `package com.example.validation;\n\nimport java.util.regex.Pattern;\n\npublic class $UNIT {\n\n    private static final Pattern EMAIL = Pattern.compile("^([a-zA-Z0-9]+\\\\.?)+@example\\\\.com$");\n\n    public static boolean valid(String s) {\n        return EMAIL.matcher(s).matches();\n    }\n}\n`, `package com.example.validation;\n\nimport java.util.regex.Pattern;\n\npublic class $UNIT {\n\n    private static final Pattern EMAIL = Pattern.compile("^[a-zA-Z0-9.]+@example\\\\.com$");\n\n    public static boolean valid(String s) {\n        return EMAIL.matcher(s).matches();\n    }\n}\n`),
        ...pair('matches', `package com.example.validation;\n\npublic class $UNIT {\n\n    public static boolean sentence(String text) {\n        return text.matches("(\\\\w+\\\\s?)*");\n    }\n}\n`, `package com.example.validation;\n\npublic class $UNIT {\n\n    public static boolean sentence(String text) {\n        return text.matches("[\\\\w\\\\s]*");\n    }\n}\n`),
        ...pair('alt', `package com.example.validation;\n\npublic class $UNIT {\n\n    public static boolean check(String value) {\n        return value.matches("(a|aa)+");\n    }\n}\n`, `package com.example.validation;\n\npublic class $UNIT {\n\n    public static boolean check(String value) {\n        return value.matches("a+");\n    }\n}\n`),
      ],
    },
  ];
}
