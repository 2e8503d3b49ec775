"""Vẽ ảnh 240×240 cho các câu hỏi image_choice trong question-bank.yaml.

Chạy:  .venv/bin/python assessment/data/make_item_images.py
Ảnh được ghi vào assessment/data/item-images/. Chỉ dùng Pillow; chữ tiếng Việt dùng font DejaVu
vì font mặc định của Pillow không có dấu. Màu không được để lộ đáp án (trừ khi màu chính là nội dung,
như cục pin đỏ), nên các lựa chọn cùng một câu dùng chung một bảng màu trung tính.
"""

from pathlib import Path
import random

from PIL import Image, ImageDraw, ImageFont

SIZE = 240
OUT = Path(__file__).resolve().parent / "item-images"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

INK = (33, 37, 41)
GREY = (134, 142, 150)
LIGHT = (233, 236, 239)
BLUE = (25, 113, 194)
GREEN = (47, 158, 68)
RED = (224, 49, 49)
ORANGE = (247, 103, 7)
BUBBLE = (231, 245, 255)


def font(size, bold=False):
    return ImageFont.truetype(FONT_BOLD if bold else FONT, size)


def canvas(bg=(255, 255, 255)):
    img = Image.new("RGB", (SIZE, SIZE), bg)
    return img, ImageDraw.Draw(img)


def fit_font(draw, text, max_width, start=28, bold=False, smallest=12):
    """Largest font size at which text fits in max_width."""
    for size in range(start, smallest - 1, -1):
        f = font(size, bold)
        if draw.textlength(text, font=f) <= max_width:
            return f
    return font(smallest, bold)


def wrap(draw, text, f, max_width):
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=f) <= max_width:
            line = trial
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def centered(draw, y, text, f, fill=INK):
    w = draw.textlength(text, font=f)
    draw.text(((SIZE - w) / 2, y), text, font=f, fill=fill)


def padlock(draw, x, y, s, fill=INK):
    """Small closed padlock with top-left corner (x, y), s pixels wide."""
    draw.arc([x + s * 0.2, y, x + s * 0.8, y + s * 0.7], 180, 360, fill=fill, width=max(2, s // 8))
    draw.line([x + s * 0.2, y + s * 0.35, x + s * 0.2, y + s * 0.5], fill=fill, width=max(2, s // 8))
    draw.line([x + s * 0.8, y + s * 0.35, x + s * 0.8, y + s * 0.5], fill=fill, width=max(2, s // 8))
    draw.rounded_rectangle([x, y + s * 0.45, x + s, y + s * 1.1], radius=s // 8, fill=fill)


def fake_qr(draw, x, y, size, seed):
    """A QR-looking pattern (three finder squares + random cells). Not a scannable code."""
    cells = 21
    c = size / cells
    rnd = random.Random(seed)
    draw.rectangle([x - 4, y - 4, x + size + 4, y + size + 4], fill=(255, 255, 255))
    for row in range(cells):
        for col in range(cells):
            in_finder = (row < 8 and col < 8) or (row < 8 and col > 12) or (row > 12 and col < 8)
            if not in_finder and rnd.random() < 0.45:
                draw.rectangle([x + col * c, y + row * c, x + (col + 1) * c - 1, y + (row + 1) * c - 1], fill=INK)
    for fx, fy in ((0, 0), (14, 0), (0, 14)):
        ox, oy = x + fx * c, y + fy * c
        draw.rectangle([ox, oy, ox + 7 * c - 1, oy + 7 * c - 1], fill=INK)
        draw.rectangle([ox + c, oy + c, ox + 6 * c - 1, oy + 6 * c - 1], fill=(255, 255, 255))
        draw.rectangle([ox + 2 * c, oy + 2 * c, ox + 5 * c - 1, oy + 5 * c - 1], fill=INK)


# ───────────── Biểu tượng trên thanh trạng thái ─────────────

def battery(level, colour):
    img, d = canvas()
    d.rounded_rectangle([30, 75, 190, 165], radius=14, outline=INK, width=8)
    d.rounded_rectangle([190, 100, 212, 140], radius=5, fill=INK)
    inner_w = 140 * level
    d.rounded_rectangle([40, 85, 40 + max(inner_w, 14), 155], radius=6, fill=colour)
    return img


def wifi():
    img, d = canvas()
    cx, cy = 120, 185
    for r in (140, 100, 60):
        d.pieslice([cx - r, cy - r, cx + r, cy + r], 225, 315, fill=INK)
        d.pieslice([cx - r + 18, cy - r + 18, cx + r - 18, cy + r - 18], 225, 315, fill=(255, 255, 255))
    d.pieslice([cx - 30, cy - 30, cx + 30, cy + 30], 225, 315, fill=INK)
    return img


def signal_bars():
    img, d = canvas()
    for i, h in enumerate((40, 75, 110, 145)):
        x = 40 + i * 44
        d.rounded_rectangle([x, 190 - h, x + 30, 190], radius=4, fill=INK)
    return img


def airplane():
    img, d = canvas()
    d.rounded_rectangle([108, 25, 132, 205], radius=12, fill=INK)          # thân
    d.polygon([(120, 85), (25, 140), (25, 160), (120, 125), (215, 160), (215, 140)], fill=INK)  # cánh
    d.polygon([(120, 175), (75, 205), (75, 218), (120, 200), (165, 218), (165, 205)], fill=INK)  # đuôi
    return img


# ───────────── Trang web: thanh địa chỉ ─────────────

def address_bar(domain):
    img, d = canvas(LIGHT)
    d.rounded_rectangle([6, 6, 233, 233], radius=14, fill=(255, 255, 255), outline=GREY, width=2)
    d.rounded_rectangle([14, 16, 225, 50], radius=16, fill=LIGHT)
    padlock(d, 24, 22, 18)
    d.text((50, 23), domain, font=fit_font(d, domain, 168, start=17), fill=INK)
    big = fit_font(d, domain, 210, start=30, bold=True)
    centered(d, 88, domain, big)
    for y, w in ((150, 190), (170, 160), (190, 175), (210, 120)):
        d.rounded_rectangle([25, y, 25 + w, y + 8], radius=4, fill=LIGHT)
    return img


# ───────────── Cách cài ứng dụng ─────────────

def app_store():
    img, d = canvas()
    d.rounded_rectangle([60, 55, 180, 165], radius=16, fill=BLUE)           # túi
    d.arc([90, 25, 150, 85], 180, 360, fill=BLUE, width=8)                   # quai
    d.polygon([(103, 85), (103, 140), (148, 112)], fill=(255, 255, 255))     # nút tải
    centered(d, 180, "CH Play", font(20, bold=True))
    centered(d, 206, "App Store", font(20, bold=True))
    return img


def apk_file():
    img, d = canvas()
    d.polygon([(60, 30), (145, 30), (180, 65), (180, 200), (60, 200)], fill=LIGHT, outline=INK)
    d.polygon([(145, 30), (145, 65), (180, 65)], fill=GREY)
    d.line([(60, 30), (145, 30), (180, 65), (180, 200), (60, 200), (60, 30)], fill=INK, width=4)
    centered(d, 95, ".apk", font(40, bold=True))
    centered(d, 150, "tệp gửi qua", font(16))
    centered(d, 170, "tin nhắn", font(16))
    return img


def qr_flyer():
    img, d = canvas(LIGHT)
    d.rectangle([35, 12, 205, 228], fill=(255, 255, 255), outline=GREY, width=2)
    centered(d, 22, "QUÉT MÃ", font(20, bold=True))
    centered(d, 46, "cài ứng dụng", font(16))
    fake_qr(d, 62, 80, 116, seed="to-roi")
    return img


# ───────────── Tin nhắn ─────────────

def message(sender, body):
    img, d = canvas(LIGHT)
    d.rectangle([0, 0, SIZE, 40], fill=(255, 255, 255))
    d.ellipse([10, 8, 34, 32], fill=GREY)
    d.text((44, 10), sender, font=font(17, bold=True), fill=INK)
    f = font(16)
    lines = wrap(d, body, f, 188)
    height = 22 * len(lines) + 20
    d.rounded_rectangle([12, 56, 228, 56 + height], radius=14, fill=BUBBLE, outline=(165, 216, 255), width=2)
    for i, line in enumerate(lines):
        d.text((24, 66 + i * 22), line, font=f, fill=INK)
    return img


# ───────────── Rác điện tử ─────────────

def collection_box():
    img, d = canvas()
    d.rectangle([45, 70, 195, 215], fill=GREEN)
    d.rectangle([38, 55, 202, 75], fill=(43, 138, 62))
    d.rectangle([95, 61, 145, 67], fill=INK)                                 # khe bỏ pin
    d.rounded_rectangle([70, 95, 110, 165], radius=5, fill=(255, 255, 255))  # pin
    d.rectangle([83, 88, 97, 95], fill=(255, 255, 255))
    d.rounded_rectangle([130, 92, 170, 165], radius=6, fill=(255, 255, 255))  # điện thoại
    d.rectangle([136, 100, 164, 150], fill=GREEN)
    centered(d, 175, "THU GOM", font(18, bold=True), fill=(255, 255, 255))
    centered(d, 12, "Pin, đồ điện tử cũ", font(17, bold=True))
    return img


def household_bin():
    img, d = canvas()
    d.polygon([(65, 75), (175, 75), (162, 215), (78, 215)], fill=GREY)
    d.rounded_rectangle([50, 55, 190, 75], radius=6, fill=INK)
    d.rounded_rectangle([100, 40, 140, 58], radius=6, outline=INK, width=6)
    for x in (95, 120, 145):
        d.line([(x, 95), (x, 195)], fill=(255, 255, 255), width=6)
    return img


def fire():
    img, d = canvas()
    d.polygon([(120, 30), (170, 120), (185, 190), (55, 190), (70, 120)], fill=ORANGE)
    d.polygon([(120, 90), (150, 150), (155, 190), (85, 190), (90, 150)], fill=(252, 196, 25))
    for x0 in (40, 100, 150):
        d.rounded_rectangle([x0, 190, x0 + 55, 210], radius=8, fill=(134, 94, 60))
    return img


# ───────────── Màn hình xác nhận chuyển tiền ─────────────

def transfer_screen(name, amount):
    img, d = canvas(LIGHT)
    d.rounded_rectangle([30, 4, 210, 236], radius=18, fill=(255, 255, 255), outline=INK, width=3)
    centered(d, 18, "Chuyển tiền", font(18, bold=True))
    d.text((44, 58), "Người nhận", font=font(14), fill=GREY)
    d.text((44, 78), name, font=fit_font(d, name, 155, start=18, bold=True), fill=INK)
    d.text((44, 116), "Số tiền", font=font(14), fill=GREY)
    d.text((44, 136), amount, font=font(24, bold=True), fill=INK)
    d.rounded_rectangle([50, 186, 190, 220], radius=10, fill=BLUE)
    centered(d, 193, "Xác nhận", font(18, bold=True), fill=(255, 255, 255))
    return img


IMAGES = {
    "pin-yeu.png": lambda: battery(0.12, RED),
    "pin-day.png": lambda: battery(1.0, GREEN),
    "wifi.png": wifi,
    "song-di-dong.png": signal_bars,
    "may-bay.png": airplane,
    "dia-chi-dichvucong-gov-vn.png": lambda: address_bar("dichvucong.gov.vn"),
    "dia-chi-dichvucongs-top.png": lambda: address_bar("dichvucongs.top"),
    "dia-chi-vneid-gov-vn.png": lambda: address_bar("vneid.gov.vn"),
    "kho-ung-dung.png": app_store,
    "tep-apk.png": apk_file,
    "qr-to-roi.png": qr_flyer,
    # "•••" thay cho tên miền: không in một địa chỉ lừa đảo cụ thể.
    "tin-nhan-lua-dao.png": lambda: message(
        "Ngân hàng",
        "Tài khoản của Quý khách sẽ bị khóa sau 24h do chưa cập nhật sinh trắc học. Bấm link: •••.top",
    ),
    "tin-nhan-gia-dinh.png": lambda: message("Con gái", "Mẹ ơi, tối nay con về ăn cơm nhé!"),
    "tin-nhan-hop-to.png": lambda: message(
        "Tổ trưởng", "Sáng chủ nhật, 8 giờ, họp tổ dân phố tại nhà văn hóa. Mời bà con đến dự."
    ),
    "thu-gom-dien-tu.png": collection_box,
    "thung-rac-thuong.png": household_bin,
    "dot-rac.png": fire,
    "qr-dung-ten.png": lambda: transfer_screen("NGUYEN THI LAN", "30.000 đ"),
    "qr-sai-ten.png": lambda: transfer_screen("LE VAN HUNG", "30.000 đ"),
    "qr-sai-tien.png": lambda: transfer_screen("NGUYEN THI LAN", "300.000 đ"),
}


def main():
    OUT.mkdir(exist_ok=True)
    for name, draw in IMAGES.items():
        draw().save(OUT / name, optimize=True)
    print(f"{len(IMAGES)} ảnh -> {OUT}")


if __name__ == "__main__":
    main()
