// Draws the app icons (a tiny 3-layer network) as PNGs with no dependency but zlib.
// Run once: node scripts/make-icons.mjs ; the PNGs are committed in static/icons.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf) {
  let c,
    crc = 0xffffffff;
  for (let n = 0; n < buf.length; n++) {
    c = (crc ^ buf[n]) & 0xff;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    crc = (crc >>> 8) ^ c;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, pixel) {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const [r, g, b, a] = pixel(x / size, y / size);
      const o = y * (size * 4 + 1) + 1 + x * 4;
      raw[o] = r;
      raw[o + 1] = g;
      raw[o + 2] = b;
      raw[o + 3] = a;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  ihdr[10] = 0;
  ihdr[11] = 0;
  ihdr[12] = 0;
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
function segDist(px, py, ax, ay, bx, by) {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}
function icon(scale) {
  const cols = [[0.3, 0.7], [0.2, 0.5, 0.8], [0.5]];
  const xs = [0.22, 0.5, 0.78];
  const nodes = cols.flatMap((ys, i) =>
    ys.map((y) => [0.5 + (xs[i] - 0.5) * scale, 0.5 + (y - 0.5) * scale]),
  );
  const edges = [];
  for (let i = 0; i < cols.length - 1; i++)
    for (const a of cols[i])
      for (const b of cols[i + 1])
        edges.push([
          0.5 + (xs[i] - 0.5) * scale,
          0.5 + (a - 0.5) * scale,
          0.5 + (xs[i + 1] - 0.5) * scale,
          0.5 + (b - 0.5) * scale,
        ]);
  return (x, y) => {
    for (const [nx, ny] of nodes)
      if (Math.hypot(x - nx, y - ny) < 0.07 * scale) return [255, 196, 87, 255];
    for (const [ax, ay, bx, by] of edges)
      if (segDist(x, y, ax, ay, bx, by) < 0.012 * scale) return [140, 200, 255, 255];
    return [31, 58, 95, 255];
  };
}
mkdirSync('static/icons', { recursive: true });
writeFileSync('static/icons/icon-192.png', png(192, icon(1)));
writeFileSync('static/icons/icon-512.png', png(512, icon(1)));
writeFileSync('static/icons/icon-maskable-512.png', png(512, icon(0.7)));
console.log('icons written');
