"""`make look`: builds the default site and writes a contact sheet of every page kind at a phone's and a
desktop's width, in English and Persian, light and dark, with some route progress made, to look at before
calling a change to pages done (../shared/CHECKLIST.md). Writes look/contact-sheet-<scheme>.png and each
screenshot beside it."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "e2e"))
from PIL import Image, ImageDraw  # noqa: E402

from helpers import PAGES, ROOT, Server, build, make_driver  # noqa: E402
from test_layout import seed_some_progress  # noqa: E402

OUT = os.path.join(ROOT, "look")
WIDTHS = [(390, 844), (1280, 900)]
LANGS = ["en", "fa"]
THUMB = 0.5  # each screenshot at half size on the sheet


def main():
    os.makedirs(OUT, exist_ok=True)
    site = build(os.path.join(ROOT, "content"), os.path.join(tempfile.mkdtemp(prefix="waymark-look-"), "site"))
    server = Server(site)
    try:
        for scheme in ("light", "dark"):
            shots = {}
            for width, height in WIDTHS:
                driver = make_driver(width, height)
                try:
                    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]})
                    seed_some_progress(driver, server)
                    for lang in LANGS:
                        for kind, path in PAGES.items():
                            driver.get(server.url + path.format(lang=lang))
                            name = os.path.join(OUT, f"{kind}-{lang}-{width}-{scheme}.png")
                            driver.save_screenshot(name)
                            shots[(kind, lang, width)] = name
                finally:
                    driver.quit()
            sheet(shots, scheme)
    finally:
        server.close()


def sheet(shots, scheme):
    """One row per page kind; columns: each language at each width."""
    columns = [(lang, w) for lang in LANGS for w, _ in WIDTHS]
    col_width = [int(w * THUMB) for _, w in columns]
    row_height = int(max(h for _, h in WIDTHS) * THUMB) + 24
    image = Image.new("RGB", (sum(col_width) + 12 * len(columns), row_height * len(PAGES)), "white")
    draw = ImageDraw.Draw(image)
    for r, kind in enumerate(PAGES):
        x = 0
        for c, (lang, w) in enumerate(columns):
            shot = Image.open(shots[(kind, lang, w)])
            shot = shot.resize((int(shot.width * THUMB), int(shot.height * THUMB)))
            image.paste(shot, (x, r * row_height + 20))
            draw.text((x + 4, r * row_height + 4), f"{kind} · {lang} · {w}px · {scheme}", fill="black")
            x += col_width[c] + 12
    path = os.path.join(OUT, f"contact-sheet-{scheme}.png")
    image.save(path)
    print(path)


if __name__ == "__main__":
    main()
