"""Draws the app icons (PNG, stdlib only): a rounded green tile with a white
bowl and steam. Run from kiosk-pwa/assets: python3 make_icons.py"""
import math
import struct
import zlib

GREEN = (31, 95, 74)
WHITE = (255, 255, 255)
CREAM = (246, 244, 239)


def png(path, size, pixels):
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def draw(size, maskable):
    s = size
    radius = 0 if maskable else s * 0.2
    pixels = []
    for y in range(s):
        row = []
        for x in range(s):
            fx, fy = (x + 0.5) / s, (y + 0.5) / s
            # Rounded tile (full bleed for maskable icons).
            dx = max(radius - x, 0, x - (s - 1 - radius))
            dy = max(radius - y, 0, y - (s - 1 - radius))
            inside = radius == 0 or dx * dx + dy * dy <= radius * radius
            if not inside:
                row.append((0, 0, 0, 0))
                continue
            colour = GREEN
            # The content sits in the middle 60% (the maskable safe zone).
            cx, cy = fx - 0.5, fy - 0.5
            # Bowl: the lower half of a circle, with a rim.
            if cy >= 0.0 and cx * cx + cy * cy <= 0.26 ** 2 and cy <= 0.2:
                colour = WHITE
            if -0.3 <= cx <= 0.3 and -0.02 <= cy <= 0.02:
                colour = WHITE
            # Steam: three short wavy strokes.
            for offset in (-0.1, 0.0, 0.1):
                wave = offset + 0.025 * math.sin((fy - 0.2) * 40)
                if -0.24 <= cy <= -0.06 and abs(cx - wave) <= 0.018:
                    colour = CREAM
            row.append(colour + (255,))
        pixels.append(row)
    return pixels


for size in (192, 512):
    png(f"icons/icon-{size}.png", size, draw(size, False))
png("icons/icon-maskable-512.png", 512, draw(512, True))
