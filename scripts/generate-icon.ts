// Draws media/icon.png (128x128): an orange key on a SonarQube-blue shield. Run after compiling:
//   npx tsc -p . && node out/scripts/generate-icon.js
// No image library: shapes are tested per pixel (4x4 samples for smooth edges) and written as a PNG with node's zlib.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

const SIZE = 128;
const SAMPLES = 4;
type Rgb = readonly [number, number, number];
const SHIELD_EDGE: Rgb = [0x12, 0x3f, 0x7a];
const SHIELD: Rgb = [0x1e, 0x6f, 0xc9];
const KEY: Rgb = [0xf5, 0x9e, 0x2a];

/** Inside a shield: straight sides with rounded top corners, then narrowing to a point at the bottom. */
function inShield(x: number, y: number, inset: number): boolean {
  const top = 10 + inset;
  const halfWidth = 48 - inset;
  const bottom = 120 - inset * 1.6;
  const shoulder = 66;
  const dx = Math.abs(x - 64);
  if (y < top || y > bottom) return false;
  if (y <= shoulder) {
    const radius = 12;
    if (y < top + radius && dx > halfWidth - radius) {
      return Math.hypot(dx - (halfWidth - radius), y - (top + radius)) <= radius;
    }
    return dx <= halfWidth;
  }
  const t = (y - shoulder) / (bottom - shoulder);
  return dx <= halfWidth * Math.sqrt(1 - t * t);
}

/** Inside the key, drawn along the x axis in its own frame and turned 45 degrees around the icon's centre. */
function inKey(x: number, y: number): boolean {
  const angle = Math.PI / 4;
  const cx = x - 64;
  const cy = y - 62;
  const kx = cx * Math.cos(angle) + cy * Math.sin(angle);
  const ky = -cx * Math.sin(angle) + cy * Math.cos(angle);
  const bow = Math.hypot(kx + 20, ky);
  if (bow <= 17 && bow >= 7) return true;
  const shaft = kx >= -5 && kx <= 34 && Math.abs(ky) <= 4.5;
  const tooth = (from: number, to: number, depth: number): boolean => kx >= from && kx <= to && ky >= 4.5 && ky <= depth;
  return shaft || tooth(20, 26, 13) || tooth(29, 34, 11);
}

function colourAt(x: number, y: number): [number, number, number, number] | undefined {
  if (inKey(x, y)) return [...KEY, 255];
  if (inShield(x, y, 5)) return [...SHIELD, 255];
  if (inShield(x, y, 0)) return [...SHIELD_EDGE, 255];
  return undefined;
}

function render(): Buffer {
  // Each row starts with PNG filter type 0 (none), then RGBA pixels.
  const rowBytes = 1 + SIZE * 4;
  const raw = Buffer.alloc(rowBytes * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = colourAt(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
          if (!colour) continue;
          for (let c = 0; c < 3; c++) sum[c] += colour[c] * colour[3];
          sum[3] += colour[3];
        }
      }
      const offset = y * rowBytes + 1 + x * 4;
      const alpha = sum[3] / (SAMPLES * SAMPLES);
      for (let c = 0; c < 3; c++) raw[offset + c] = sum[3] === 0 ? 0 : Math.round(sum[c] / sum[3]);
      raw[offset + 3] = Math.round(alpha);
    }
  }
  return raw;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export function iconPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.writeUInt8(8, 8); // bits per channel
  header.writeUInt8(6, 9); // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(render(), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (require.main === module) {
  const target = path.resolve(__dirname, '..', '..', 'media', 'icon.png');
  fs.writeFileSync(target, iconPng());
  console.log(`Wrote ${target}`);
}
