// A throw-away certificate authority and a localhost certificate it signs, made with node:crypto alone
// (a minimal DER writer: no openssl binary, no dependency). EC P-256 keys, ECDSA with SHA-256.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

export interface ServerCertificates {
  /** PEM of the CA: what a client must trust. */
  readonly caCertificate: string;
  /** PEM of the server certificate for localhost, 127.0.0.1 and ::1. */
  readonly certificate: string;
  /** PEM (PKCS#8) of the server key. */
  readonly key: string;
}

// DER: tag, length, content.
function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else {
    const bytes: number[] = [];
    for (let rest = length; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}

const sequence = (...items: Buffer[]) => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items));
const explicit = (tagNumber: number, content: Buffer) => der(0xa0 + tagNumber, content);
const octetString = (content: Buffer) => der(0x04, content);
const bitString = (content: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), content]));
const utf8String = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const booleanTrue = () => der(0x01, Buffer.from([0xff]));

/**
 * DER INTEGER of unsigned big-endian bytes, minimal as DER demands: leading zero bytes dropped (a random serial that
 * starts with 0x00 was refused by OpenSSL as "illegal padding"), one 0 put back when the top bit is set.
 */
export function positiveInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const minimal = bytes.subarray(start);
  return der(0x02, minimal[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes = [parts[0]! * 40 + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk = [part & 0x7f];
    for (let rest = part >> 7; rest > 0; rest >>= 7) chunk.unshift((rest & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';
  // UTCTime up to 2049, GeneralizedTime after (RFC 5280).
  return date.getUTCFullYear() < 2050 ? der(0x17, Buffer.from(iso.slice(2), 'ascii')) : der(0x18, Buffer.from(iso, 'ascii'));
}

const commonName = (cn: string) => sequence(set(sequence(oid('2.5.4.3'), utf8String(cn))));
const ecdsaWithSha256 = () => sequence(oid('1.2.840.10045.4.3.2'));
const extension = (id: string, critical: boolean, value: Buffer) =>
  sequence(oid(id), ...(critical ? [booleanTrue()] : []), octetString(value));

function keyId(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
}

function certificate(options: {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerKeyId: Buffer;
  notBefore: Date;
  notAfter: Date;
  extensions: Buffer[];
}): string {
  const tbs = sequence(
    explicit(0, der(0x02, Buffer.from([2]))),
    positiveInteger(randomBytes(16)),
    ecdsaWithSha256(),
    commonName(options.issuer),
    sequence(time(options.notBefore), time(options.notAfter)),
    commonName(options.subject),
    options.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...options.extensions, extension('2.5.29.35', false, sequence(der(0x80, options.issuerKeyId))))),
  );
  const signature = sign('sha256', tbs, options.signingKey);
  const body = sequence(tbs, ecdsaWithSha256(), bitString(signature)).toString('base64');
  return `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)!.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * A fresh CA and a server certificate; `expired` makes the server certificate's validity end yesterday; `hostNames`
 * adds DNS names (e.g. `sonarcloud.io`, reached through a tunnelling proxy) to localhost and the loopback addresses.
 */
export function createServerCertificates(options: { expired?: boolean; now?: Date; hostNames?: readonly string[] } = {}): ServerCertificates {
  const now = options.now ?? new Date();
  const day = 86_400_000;
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caKeyId = keyId(ca.publicKey);
  const caCertificate = certificate({
    subject: 'Fake SonarQube throw-away CA',
    issuer: 'Fake SonarQube throw-away CA',
    publicKey: ca.publicKey,
    signingKey: ca.privateKey,
    issuerKeyId: caKeyId,
    notBefore: new Date(now.getTime() - 7 * day),
    notAfter: new Date(now.getTime() + 30 * day),
    extensions: [
      extension('2.5.29.19', true, sequence(booleanTrue())),
      // keyCertSign and cRLSign.
      extension('2.5.29.15', true, der(0x03, Buffer.from([1, 0x06]))),
      extension('2.5.29.14', false, octetString(caKeyId)),
    ],
  });
  const serverCertificate = certificate({
    subject: 'localhost',
    issuer: 'Fake SonarQube throw-away CA',
    publicKey: server.publicKey,
    signingKey: ca.privateKey,
    issuerKeyId: caKeyId,
    notBefore: new Date(now.getTime() - (options.expired ? 3 : 1) * day),
    notAfter: new Date(now.getTime() + (options.expired ? -1 : 30) * day),
    extensions: [
      extension('2.5.29.19', true, sequence()),
      // digitalSignature.
      extension('2.5.29.15', true, der(0x03, Buffer.from([7, 0x80]))),
      extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))),
      extension(
        '2.5.29.17',
        false,
        sequence(
          ...['localhost', ...(options.hostNames ?? [])].map((name) => der(0x82, Buffer.from(name, 'ascii'))),
          der(0x87, Buffer.from([127, 0, 0, 1])),
          der(0x87, Buffer.alloc(16).fill(0, 0, 15).fill(1, 15)),
        ),
      ),
      extension('2.5.29.14', false, octetString(keyId(server.publicKey))),
    ],
  });
  return {
    caCertificate,
    certificate: serverCertificate,
    key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
